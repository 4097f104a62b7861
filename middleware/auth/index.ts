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
}

/** `isRevoked`: the revoked-users check (revocations.ts), when there is a document store to ask. */
export function createAuth(settings: AuthSettings, logger: Logger, isRevoked?: (userId: string) => Promise<boolean>): Auth {
  const tokens = createTokenService(settings);
  const oidc = settings.oidc ? createOidcVerifier(settings.oidc) : undefined;
  return { authenticate: createAuthenticator({ settings, tokens, oidc, logger, ...(isRevoked ? { isRevoked } : {}) }), tokens, oidc };
}

export { createAuthenticator, type AuthCallContext, type PorticoAuthenticator } from './authenticator.ts';
export { createApiKeyVerifier, type ApiKeyVerifier } from './api-keys.ts';
export { AuthFailure } from './failure.ts';
export { createOidcVerifier, type OidcOptions, type OidcVerifier } from './oidc.ts';
export { loadAuthSettings, type AuthSettings, type OidcSettings, type TokenSettings } from './settings.ts';
export { revocationCheck, revokeUserTokens, revokedUsersContainer } from './revocations.ts';
export { createTokenService, type IssuedToken, type TokenService, type VerifiedUser } from './tokens.ts';
