/**
 * The authenticator, assembled from validated settings: the composition root calls
 * `createAuth(loadAuthSettings(), logger)` once per cold start and hands `authenticate` to the
 * HTTP platform and `tokens` to the sign-in handlers. No network I/O happens here; the OIDC key
 * set is fetched on first use.
 */
import type { Logger } from '../logger.ts';
import { createAuthenticator, type PorticoAuthenticator } from './authenticator.ts';
import { createOidcVerifier, type OidcVerifier } from './oidc.ts';
import type { AuthSettings } from './settings.ts';
import { createTokenService, type TokenService } from './tokens.ts';

export interface Auth {
  authenticate: PorticoAuthenticator;
  tokens: TokenService;
  oidc: OidcVerifier | undefined;
  /** Google ID tokens (GOOGLE_CLIENT_IDS), for the mobile token exchange; undefined when not configured. */
  google?: OidcVerifier | undefined;
}

/** `isRevoked`: the revoked-users check (revocations.ts), when there is a document store to ask. */
export function createAuth(settings: AuthSettings, logger: Logger, isRevoked?: (userId: string, issuedAt: number) => Promise<boolean>): Auth {
  const tokens = createTokenService(settings);
  const oidc = settings.oidc ? createOidcVerifier(settings.oidc) : undefined;
  const google = settings.google ? createOidcVerifier(settings.google) : undefined;
  const verifiers = [oidc, google].filter((verifier): verifier is OidcVerifier => verifier !== undefined);
  return { authenticate: createAuthenticator({ settings, tokens, oidc: verifiers, logger, ...(isRevoked ? { isRevoked } : {}) }), tokens, oidc, google };
}

export { createAuthenticator, type AuthCallContext, type PorticoAuthenticator } from './authenticator.ts';
export { createApiKeyVerifier, type ApiKeyVerifier } from './api-keys.ts';
export { AuthFailure } from './failure.ts';
export { createOidcVerifier, type OidcOptions, type OidcVerifier } from './oidc.ts';
export { GOOGLE_ISSUERS, loadAuthSettings, type AuthHost, type AuthSettings, type OidcSettings, type TokenSettings } from './settings.ts';
export { revocationCheck, revokeUserTokens, revokedUsersContainer } from './revocations.ts';
export { CLIENT_SESSION_TTL_SECONDS, createTokenService, type AccessTokenSubject, type IssuedToken, type TokenService, type VerifiedUser } from './tokens.ts';
