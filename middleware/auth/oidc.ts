/**
 * RS256 tokens from Entra ID, another OIDC issuer or Google (ID tokens), verified against the
 * issuer's JWKS; one verifier per trusted issuer, each pinned to its own issuers and audiences.
 *
 * Keys come from jose's remote key set: cached (refreshed every 10 min), and an unknown `kid`
 * refetches at most once per 30 s, so a flood of made-up kids cannot hammer the IdP. jose
 * retries a *failed* fetch on the very next request, so a failure also starts a short backoff;
 * meanwhile, and while the IdP is down, the last key set fetched (up to an hour old) keeps
 * verifying tokens with known kids. When no key set can answer, the caller gets 503
 * `idp_unavailable`: the IdP's outage is not the caller's fault (401) nor our bug (500).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  jwksCache,
  jwtVerify,
  type ExportedJWKSCache,
  type FetchImplementation,
  type JWSHeaderParameters,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import { AuthFailure, emailOf, nameOf, rolesOf, subjectOf } from './failure.ts';
import type { OidcSettings } from './settings.ts';
import type { VerifiedUser } from './tokens.ts';

export interface OidcVerifier {
  /** The canonical issuer name (users' qualified ids start with it). */
  readonly issuer: string;
  /** Every `iss` value this verifier takes: what the authenticator routes an RS256 token by. */
  readonly issuerAliases: readonly string[];
  verifyAccessToken(token: string): Promise<VerifiedUser>;
}

export interface OidcOptions {
  /** Minimum time between refetches for an unknown kid (default 30 s). */
  cooldownMs?: number;
  /** How long a refreshed key set is trusted before the next fetch (default 10 min). */
  cacheMaxAgeMs?: number;
  /** After a failed fetch, how long to wait before trying again (default 5 s; also the Retry-After). */
  failureBackoffMs?: number;
  /** How old a key set may be and still verify tokens while the IdP is down (default 1 h). */
  staleIfErrorMs?: number;
}

/** The IdP could not be asked: network error, timeout, non-200 or not a key set. */
class JwksFetchError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? {} : { cause });
    this.name = 'JwksFetchError';
  }
}

// Every failure is rethrown as JwksFetchError (jose passes errors through unless named TimeoutError),
// so an IdP failure is never mistaken for a bad token.
const fetchKeySet: FetchImplementation = async (url, options) => {
  let response: Response;
  try {
    response = await fetch(url, options);
  } catch (cause) {
    throw new JwksFetchError('JWKS endpoint unreachable', cause);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new JwksFetchError(`JWKS endpoint answered ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new JwksFetchError('JWKS response unreadable', cause);
  }
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => key !== null && typeof key === 'object' && !Array.isArray(key))) {
    throw new JwksFetchError('JWKS response is not a key set');
  }
  return Response.json(body);
};

const MAX_TOKEN_AGE_SECONDS = 24 * 3600;
// Google's subjects are decimal account ids; holding them to that keeps them apart from the GUIDs
// that Portico accounts and Entra object ids are (users are keyed by subject alone).
const GOOGLE_SUBJECT = /^[0-9]{1,255}$/;

/** The user id a verified token names, by its issuer's rules. */
function userIdOf(settings: OidcSettings, payload: JWTPayload): string {
  // Entra's `sub` is per-application; `oid` is the user's object id across the tenant.
  const userId = subjectOf(settings.kind !== 'google' && payload.oid !== undefined ? payload.oid : payload.sub);
  if (!userId || (settings.kind === 'google' && !GOOGLE_SUBJECT.test(userId))) throw new AuthFailure('claim_invalid_sub');
  return userId;
}

/** Google puts the address in every ID token with `profile email` scopes; only a verified one is kept. */
function emailClaim(settings: OidcSettings, payload: JWTPayload): string | undefined {
  if (settings.kind === 'google' && payload.email_verified !== true) return undefined;
  return emailOf(payload.email);
}

export function createOidcVerifier(settings: OidcSettings, options: OidcOptions = {}): OidcVerifier {
  const { cooldownMs = 30_000, cacheMaxAgeMs = 600_000, failureBackoffMs = 5_000, staleIfErrorMs = 3_600_000 } = options;
  // jose writes each successfully fetched set here; it is our last-known-good copy.
  const cache: Partial<ExportedJWKSCache> = {};
  const remote = createRemoteJWKSet(settings.jwksUri, {
    timeoutDuration: settings.jwksTimeoutMs,
    cooldownDuration: cooldownMs,
    cacheMaxAge: cacheMaxAgeMs,
    [jwksCache]: cache as ExportedJWKSCache,
    [customFetch]: fetchKeySet,
  });
  let failedAt = Number.NEGATIVE_INFINITY;
  let lastGood: { uat: number; keys: ReturnType<typeof createLocalJWKSet> } | undefined;
  const retryAfterSeconds = Math.max(1, Math.ceil(failureBackoffMs / 1000));
  const unavailable = (cause?: unknown) => new AuthFailure('idp_unavailable', 503, { cause, retryAfterSeconds });

  async function fromLastGood(header: JWSHeaderParameters, token: FlattenedJWSInput, cause?: unknown) {
    const { uat, jwks } = cache;
    if (uat === undefined || !jwks || Date.now() - uat > staleIfErrorMs) throw unavailable(cause);
    if (lastGood?.uat !== uat) lastGood = { uat, keys: createLocalJWKSet(jwks as JSONWebKeySet) };
    try {
      return await lastGood.keys(header, token);
    } catch (error) {
      // An unknown kid might be a new key we cannot fetch right now: unavailable, not invalid.
      if ((error as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY') throw unavailable(cause);
      throw error;
    }
  }

  async function key(header: JWSHeaderParameters, token: FlattenedJWSInput) {
    // jose would try the only key in the set when kid is absent; IdPs always name the key, so we insist.
    if (typeof header.kid !== 'string' || header.kid === '') throw new AuthFailure('kid_missing');
    if (Date.now() - failedAt < failureBackoffMs) return fromLastGood(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      if (!(error instanceof JwksFetchError)) throw error;
      failedAt = Date.now();
      return fromLastGood(header, token, error);
    }
  }

  return {
    issuer: settings.issuer,
    issuerAliases: settings.issuerAliases,
    async verifyAccessToken(token) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: [...settings.issuerAliases],
        audience: [...settings.audiences],
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        clockTolerance: settings.clockToleranceSeconds,
      }).catch((error: unknown) => {
        throw AuthFailure.from(error);
      });
      if (settings.tenantId !== undefined) {
        if (payload.tid !== settings.tenantId) throw new AuthFailure('tenant_mismatch');
        // An Entra ID token for the same app has the same aud and issuer; only access tokens
        // carry delegated scopes (`scp`) or application roles.
        if (payload.scp === undefined && payload.roles === undefined) throw new AuthFailure('not_access_token');
      }
      const userId = userIdOf(settings, payload);
      const email = emailClaim(settings, payload);
      // The standard claim: Google's ID tokens carry it with the `profile` scope, Entra's too.
      const name = nameOf(payload.name);
      return {
        userId,
        issuer: settings.issuer,
        qualifiedId: `${settings.issuer}|${userId}`,
        via: 'oidc',
        roles: rolesOf(payload.roles),
        ...(email ? { email } : {}),
        ...(name ? { name } : {}),
      };
    },
  };
}
