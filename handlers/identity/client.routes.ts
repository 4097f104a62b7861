/**
 * The session routes the real clients share: `auth/mobile-token` (PluckIt's mobile app trades a
 * Google ID token for a Portico login), `auth/refresh` (Portico's, Axly's and PluckIt's clients
 * on one route, each with its own body key, all answered the union session of
 * client-session.ts) and `auth/revoke` (PluckIt's sign-out). Errors are problem+json, whose
 * `detail` the PluckIt web client reads.
 */
import type { PorticoContext, PorticoHttpEvent } from '../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import type { PorticoAuthenticator } from '../../middleware/auth/authenticator.ts';
import type { AccountRoutesDeps } from './accounts.routes.ts';
import { clientSession, firstOf } from './client-session.ts';
import { ID_TOKEN_KEYS, REFRESH_TOKEN_KEYS } from './schemas.ts';
import { createAccountService } from './service.ts';

type Keyed<K extends string> = Partial<Record<K, string>>;

/** POST /api/auth/mobile-token: a Google ID token for a session; 401 when Google's checks fail. */
export const mobileToken = (deps: AccountRoutesDeps): PorticoHttpHandler<Keyed<(typeof ID_TOKEN_KEYS)[number]>> => {
  const service = createAccountService(deps);
  // The schema requires one of the keys; `?? ''` only satisfies the type (an empty token fails verification).
  return async (event, context) => json(200, clientSession(await service.signInWithGoogle(firstOf(event.json, ID_TOKEN_KEYS) ?? '', context.log)));
};

/** POST /api/auth/refresh: rotates the refresh token, with a grace window for a retried refresh. */
export const refresh = (deps: AccountRoutesDeps): PorticoHttpHandler<Keyed<(typeof REFRESH_TOKEN_KEYS)[number]>> => {
  const service = createAccountService(deps);
  return async (event, context) => json(200, clientSession(await service.refresh(firstOf(event.json, REFRESH_TOKEN_KEYS) ?? '', context.log)));
};

interface RevokeBody {
  refresh_token?: string;
  token?: string;
  user_id?: string;
  userId?: string;
}

/**
 * POST /api/auth/revoke: a public route (a signed-out app may hold only its refresh token); the
 * bearer is read only when a user id alone is to be revoked, and must name that user.
 */
export const revoke = (deps: AccountRoutesDeps & { auth: { authenticate: PorticoAuthenticator } }): PorticoHttpHandler<RevokeBody> => {
  const service = createAccountService(deps);
  const caller = (event: PorticoHttpEvent<RevokeBody>, context: PorticoContext) => () => deps.auth.authenticate(event, ['user'], context);
  return async (event, context) => {
    const { json: body } = event;
    const input = { refreshToken: body.refresh_token ?? body.token, userId: body.user_id ?? body.userId };
    const revoked = await service.revoke(input, caller(event, context), context.log);
    return json(200, { revoked, message: revoked ? 'Signed out.' : 'Nothing to revoke.' });
  };
};
