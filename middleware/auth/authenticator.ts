/**
 * The Authenticator the auth middleware calls for every protected route. It decides which
 * credential a request carries, checks it with the one verifier meant for it, and writes an
 * audit line for every failure (a reason code and the request id, never the credential).
 *
 * Rules, in order:
 * - X-API-Key present: used when the route accepts `apiKey` (it wins over a bearer token on an
 *   any-of route); on a route that does not accept API keys it is a 401, not ignored.
 * - Otherwise exactly one `Authorization: Bearer <JWT>` header. Repeated headers arrive joined
 *   with ", ", so a comma, or a second "Bearer", means two headers: 401. The scheme name is
 *   case-insensitive (RFC 9110 section 11.1), so `bearer` is accepted; `Basic` and others are not.
 * - The token is bounded (8 KB) and shape-checked before anything parses it, and its header may
 *   not point at keys (`jku`, `jwk`, `x5u`, `x5c`) or demand extensions (`crit`).
 * - The header's `alg` only routes the token: HS256 to Portico's token service, RS256 to the
 *   OIDC verifiers; each pins its own algorithm and keys, so a token never picks its key type.
 *   Among several trusted issuers (Entra ID and Google), the unverified `iss` picks the one
 *   verifier that then checks it, against that issuer's own keys and audiences.
 * - No credentials at all on the local host with LOCAL_DEV_AUTH: the development user.
 * - `admin` is decided here from ADMIN_USER_IDS by issuer-qualified id; no claim in a token
 *   (`isAdmin`, `roles: ['admin']`, ...) makes anyone an admin.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { ProtectedClass } from '../../kernel/functions.ts';
import { AppError } from '../../domain/errors.ts';
import type { Identity } from '../context.ts';
import type { Logger } from '../logger.ts';
import { createApiKeyVerifier, type ApiKeyVerifier } from './api-keys.ts';
import { AuthFailure } from './failure.ts';
import type { OidcVerifier } from './oidc.ts';
import { LOCAL_DEV_ISSUER, type AuthSettings } from './settings.ts';
import type { TokenService, VerifiedUser } from './tokens.ts';

export const MAX_TOKEN_BYTES = 8 * 1024;
const TOKEN_CHARS = /^[A-Za-z0-9_.-]+$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?: +(.*))?$/s;
const BEARER_WORD = /(?:^|[\s,])bearer(?:\s|$)/gi;
const KEY_POINTERS = ['jku', 'jwk', 'x5u', 'x5c', 'crit'] as const;
// Mirrors middleware/telemetry.ts: a caller's id is used only when it looks like an id.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What the auth middleware can pass as a third argument, so audit lines carry its request id. */
export interface AuthCallContext {
  requestId?: string;
  correlationId?: string;
}

export type PorticoAuthenticator = (
  event: APIGatewayProxyEventV2,
  accepted: readonly ProtectedClass[],
  context?: AuthCallContext,
) => Promise<Identity>;

export interface AuthenticatorDeps {
  settings: AuthSettings;
  tokens: TokenService;
  /** Every trusted OIDC issuer's verifier (Entra ID or a generic issuer, Google). */
  oidc?: OidcVerifier | readonly OidcVerifier[] | undefined;
  logger: Logger;
  /** Defaults to one built from `settings.apiKeys`. */
  apiKeys?: ApiKeyVerifier;
  /**
   * Whether a Portico token issued at `issuedAt` (epoch seconds) to this subject was revoked (an
   * erased account: revocations.ts). Absent: no store to ask, so no check. A failing check fails
   * closed (401 `verification_error`).
   */
  isRevoked?: (userId: string, issuedAt: number) => Promise<boolean>;
}

function developmentUser(userId: string): Identity {
  // Never an admin, whatever ADMIN_USER_IDS says: admin routes want a real credential.
  return { userId, issuer: LOCAL_DEV_ISSUER, qualifiedId: `${LOCAL_DEV_ISSUER}|${userId}`, via: 'dev', roles: [], isAdmin: false };
}

type Scheme = 'none' | 'apiKey' | 'bearer' | 'other';

/** Every value of a header, whatever the case of its name (duplicates by case count twice). */
function headerValues(headers: APIGatewayProxyEventV2['headers'] | undefined, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && value !== undefined) values.push(value);
  }
  return values;
}

/** The raw token from exactly one well-formed `Authorization: Bearer` header. */
function bearerToken(values: readonly string[]): string {
  const [value] = values;
  if (values.length > 1) throw new AuthFailure('authorization_multiple');
  if (value === undefined || value.trim() === '') throw new AuthFailure('authorization_empty');
  if (value.length > MAX_TOKEN_BYTES + 16) throw new AuthFailure('token_too_large');
  if (value.includes(',') || (value.match(BEARER_WORD)?.length ?? 0) > 1) throw new AuthFailure('authorization_multiple');
  const match = SCHEME.exec(value);
  if (!match || match[1]?.toLowerCase() !== 'bearer') throw new AuthFailure('scheme_not_bearer');
  const token = match[2] ?? '';
  if (token === '') throw new AuthFailure('token_empty');
  if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw new AuthFailure('token_too_large');
  if (!TOKEN_CHARS.test(token)) throw new AuthFailure('token_charset');
  const parts = token.split('.');
  if (parts.length !== 3) throw new AuthFailure('token_segments');
  if (parts.some((part) => part === '')) throw new AuthFailure('token_malformed');
  return token;
}

/**
 * The token's protected header, decoded (not verified) only far enough to route it, by jose: a
 * header that is not base64url of UTF-8 JSON of an object is `token_malformed`.
 */
function protectedHeader(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw new AuthFailure('token_malformed');
  }
}

/** The unverified `iss`, read only to choose which trusted issuer checks the token. */
function claimedIssuer(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    throw new AuthFailure('token_malformed');
  }
}

export function createAuthenticator(deps: AuthenticatorDeps): PorticoAuthenticator {
  const { settings, tokens, logger } = deps;
  const verifiers: readonly OidcVerifier[] = deps.oidc === undefined ? [] : Array.isArray(deps.oidc) ? deps.oidc : [deps.oidc as OidcVerifier];
  const apiKeys = deps.apiKeys ?? createApiKeyVerifier(settings.apiKeys);
  const admins = settings.adminUserIds;

  function issuerVerifier(token: string): OidcVerifier {
    // One issuer: its verifier decides alone (and reports a wrong issuer the way it always has).
    if (verifiers.length === 1) return verifiers[0]!;
    const iss = claimedIssuer(token);
    const verifier = verifiers.find((candidate) => candidate.issuerAliases.includes(iss as string));
    if (!verifier) throw new AuthFailure('issuer_unknown');
    return verifier;
  }

  async function verifyBearer(token: string): Promise<VerifiedUser> {
    const header = protectedHeader(token);
    if (KEY_POINTERS.some((name) => Object.hasOwn(header, name))) throw new AuthFailure('header_rejected');
    const { alg } = header;
    if (alg === 'HS256') {
      if (!tokens.enabled) throw new AuthFailure('alg_not_configured');
      return tokens.verifyAccessToken(token);
    }
    if (alg === 'RS256') {
      if (verifiers.length === 0) throw new AuthFailure('alg_not_configured');
      return issuerVerifier(token).verifyAccessToken(token);
    }
    throw new AuthFailure(typeof alg === 'string' && alg.toLowerCase() === 'none' ? 'alg_none' : 'alg_not_allowed');
  }

  async function resolve(event: APIGatewayProxyEventV2, accepted: readonly ProtectedClass[], note: { scheme: Scheme; principal?: string }) {
    const wantsKey = accepted.includes('apiKey');
    const wantsUser = accepted.includes('user') || accepted.includes('admin');
    const keys = headerValues(event.headers, 'x-api-key');
    const authorization = headerValues(event.headers, 'authorization');

    if (keys.length > 0) {
      note.scheme = 'apiKey';
      if (!wantsKey) throw new AuthFailure('api_key_not_accepted');
      const [key] = keys;
      // Joined repeats contain ", "; a configured key never contains a comma.
      if (keys.length > 1 || key === undefined || key.includes(',')) throw new AuthFailure('api_key_multiple');
      return apiKeys.verify(key);
    }
    if (authorization.length === 0) {
      // Local host only (settings refuse it anywhere else): the development user, as the upstream does.
      if (settings.localDevUserId !== undefined && accepted.includes('user')) return developmentUser(settings.localDevUserId);
      throw new AuthFailure('credentials_missing');
    }
    note.scheme = /^\s*bearer(\s|$)/i.test(authorization[0] ?? '') ? 'bearer' : 'other';
    if (!wantsUser) throw new AuthFailure('bearer_not_accepted');

    const { issuedAt, ...user } = await verifyBearer(bearerToken(authorization));
    if (user.via === 'token' && deps.isRevoked && (await deps.isRevoked(user.userId, issuedAt ?? 0))) throw new AuthFailure('token_revoked');
    const identity: Identity = { ...user, isAdmin: admins.has(user.qualifiedId) };
    note.principal = identity.qualifiedId;
    if (accepted.includes('user') || identity.isAdmin) return identity;
    throw new AuthFailure('not_admin', 403);
  }

  return async (event, accepted, context) => {
    const note: { scheme: Scheme; principal?: string } = { scheme: 'none' };
    try {
      return await resolve(event, accepted, note);
    } catch (error) {
      // Unexpected errors fail closed: a 401 (`verification_error`, with its cause in the audit line).
      const failure = error instanceof AppError ? error : AuthFailure.from(error);
      const reason = failure instanceof AuthFailure ? failure.reason : failure.code;
      const headers = event.headers ?? {};
      const callerId = headers['x-request-id'];
      const requestId = context?.requestId ?? (callerId && SAFE_ID.test(callerId) ? callerId : event.requestContext?.requestId);
      const cause = failure.cause;
      const line = {
        audit: 'auth_failure',
        reason,
        status: failure.status,
        requestId,
        ...(context?.correlationId ? { correlationId: context.correlationId } : {}),
        route: event.routeKey,
        accepted,
        scheme: note.scheme,
        sourceIp: event.requestContext?.http?.sourceIp,
        // The caller is named only once proven (a 403); never what they presented.
        ...(note.principal ? { principal: note.principal } : {}),
        // Causes are our own or jose's messages (no token text); useful for 503s and surprises.
        ...(cause instanceof Error ? { cause: `${cause.name}: ${cause.message}` } : {}),
      };
      logger.warn(line, failure.status === 403 ? 'authorization failed' : 'authentication failed');
      throw failure;
    }
  };
}
