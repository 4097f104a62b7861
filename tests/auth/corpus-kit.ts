/**
 * The fixture behind the auth proofs: one Portico configuration with both token schemes (HS256
 * and Entra ID via a local JWKS server), API keys and admins, wired through the real HTTP stack.
 */
import { createSecretKey, randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { defineFunction, type HttpTrigger } from '../../kernel/functions.ts';
import { createAuthenticator } from '../../middleware/auth/authenticator.ts';
import { createOidcVerifier } from '../../middleware/auth/oidc.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { createTokenService, keyId } from '../../middleware/auth/tokens.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { epoch, rsaKey, signRaw, startJwksServer, type JwksServer, type RawSigner, type RsaTestKey } from '../support/jwks-server.ts';
import { captureLogger, httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

export const SECRET = 'corpus-secret-0123456789-abcdefghijklmnop';
export const HS_KID = keyId(createSecretKey(Buffer.from(SECRET)));
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
export const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const API_KEY = 'ingest-key-7d1f0c9a4b2e8f63';
export const OTHER_API_KEY = 'backup-key-0a9b8c7d6e5f4a3b';
export const USER = 'user-1';
export const ADMIN = 'admin-1';
export const ENTRA_USER = 'b6a0e4f2-0000-4000-8000-000000000001';
export const ENTRA_ADMIN = 'b6a0e4f2-0000-4000-8000-0000000000ad';

export type Path = 'hs' | 'oidc';
export type RouteAuth = HttpTrigger['auth'];

export interface Kit {
  jwks: JwksServer;
  idpKey: RsaTestKey;
  /** A key pair the IdP never published. */
  stranger: RsaTestKey;
  lines: string[];
  /** A token for `path`, valid unless claims, header or signer say otherwise. */
  mint(path: Path, options?: { claims?: Record<string, unknown>; header?: Record<string, unknown>; signer?: RawSigner; admin?: boolean }): string;
  call(auth: RouteAuth, headers: Record<string, string>): Promise<APIGatewayProxyStructuredResultV2>;
  close(): Promise<void>;
}

export async function startKit(): Promise<Kit> {
  const idpKey = rsaKey('idp-key-1');
  const stranger = rsaKey('stranger-key');
  const jwks = await startJwksServer([idpKey]);
  const settings = loadAuthSettings({
    JWT_SECRET: SECRET,
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    OIDC_JWKS_URI: jwks.url,
    OIDC_JWKS_TIMEOUT_MS: '1000',
    API_KEYS: `ingest:${API_KEY},${OTHER_API_KEY}`,
    ADMIN_USER_IDS: `portico|${ADMIN},${ENTRA_ISSUER}|${ENTRA_ADMIN}`,
  });
  const { logger, lines } = captureLogger();
  const tokens = createTokenService(settings);
  const oidc = settings.oidc && createOidcVerifier(settings.oidc);
  const authenticate = createAuthenticator({ settings, tokens, oidc, logger });
  const platform = testPlatform({ logger, authenticate });
  const handlers = new Map<string, ReturnType<typeof httpHandler>>();

  const handlerFor = (auth: RouteAuth) => {
    const key = JSON.stringify(auth);
    let handler = handlers.get(key);
    if (!handler) {
      const def = defineFunction({
        name: 'auth-probe',
        trigger: { kind: 'http', method: 'GET', route: 'probe', auth, summary: 'auth probe', responses: {} },
        load: async () => ({ handler: async () => ({ statusCode: 200 }) }),
      });
      handler = httpHandler(def, async (_event, context) => json(200, context.principal), platform);
      handlers.set(key, handler);
    }
    return handler;
  };

  return {
    jwks,
    idpKey,
    stranger,
    lines,
    mint(path, { claims = {}, header = {}, signer, admin = false } = {}) {
      const now = epoch();
      if (path === 'hs') {
        return signRaw(
          { alg: 'HS256', typ: 'at+jwt', kid: HS_KID, ...header },
          { iss: 'portico', aud: 'portico-api', sub: admin ? ADMIN : USER, iat: now, exp: now + 600, jti: randomBytes(8).toString('hex'), ...claims },
          signer ?? { hmac: SECRET },
        );
      }
      return signRaw(
        { alg: 'RS256', typ: 'JWT', kid: idpKey.kid, ...header },
        { iss: ENTRA_ISSUER, aud: CLIENT, sub: 'pairwise', oid: admin ? ENTRA_ADMIN : ENTRA_USER, tid: TENANT, scp: 'access_as_user', iat: now, exp: now + 600, ...claims },
        signer ?? { rsa: idpKey.privateKey },
      );
    },
    call: (auth, headers) => handlerFor(auth)(httpEvent({ method: 'GET', path: '/api/probe', headers }), lambdaContext('auth-probe')),
    close: () => jwks.close(),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Re-encodes one segment of a signed token, keeping the original signature. */
export function tamper(token: string, segment: 0 | 1, change: (value: Record<string, unknown>) => Record<string, unknown>): string {
  const parts = token.split('.');
  const decoded = JSON.parse(Buffer.from(parts[segment] ?? '', 'base64url').toString()) as Record<string, unknown>;
  parts[segment] = Buffer.from(JSON.stringify(change(decoded))).toString('base64url');
  return parts.join('.');
}
