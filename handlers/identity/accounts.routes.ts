/**
 * The accounts routes (see functions.ts): one factory per function, each a thin HTTP shell over
 * the account service. `bind` calls each factory once with the identity service's dependencies
 * and wraps the result in the standard HTTP stack (validation, auth, rate limits, problem+json).
 */
import { unauthorized } from '../../domain/errors.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { createAccountService, porticoSession, type AccountServiceDeps } from './service.ts';

/** What the accounts routes use: the app's Deps satisfies it, tests pass memory ports. */
export type AccountRoutesDeps = AccountServiceDeps;

/** POST /api/auth/request-pin: mails a sign-up PIN; the same 202 whether or not the address has an account. */
export const requestPin = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => {
    await service.requestPin(event.json.email, context.log);
    return json(202, { status: 'sent' });
  };
};

/** POST /api/auth/confirm-signup: creates the account with the mailed PIN and signs it in. */
export const confirmSignup = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string; pin: string; password: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => json(201, porticoSession(await service.confirmSignup(event.json, context.log)));
};

/** POST /api/auth/login: e-mail and password. */
export const login = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string; password: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => json(200, porticoSession(await service.login(event.json, context.log)));
};

/** POST /api/auth/logout: revokes the token's login; 204 even for an unknown token. */
export const logout = (deps: AccountRoutesDeps): PorticoHttpHandler<{ refreshToken: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => {
    await service.logout(event.json.refreshToken, context.log);
    return { statusCode: 204, headers: {}, body: '' };
  };
};

/** GET /api/auth/me: the signed-in caller. */
export const me = (deps: AccountRoutesDeps): PorticoHttpHandler => {
  const service = createAccountService(deps);
  return async (_event, context) => {
    // The auth middleware sets the principal on a `user` route; its absence is a wiring bug, not a 500.
    if (!context.principal) throw unauthorized();
    return json(200, await service.profile(context.principal));
  };
};

/** POST /api/auth/request-password-reset: mails a reset PIN to an account; the same 202 for any address. */
export const requestPasswordReset = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => {
    await service.requestPasswordReset(event.json.email, context.log);
    return json(202, { status: 'sent' });
  };
};

/** POST /api/auth/confirm-password-reset: a new password with the reset PIN; every other login is signed out. */
export const confirmPasswordReset = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string; pin: string; newPassword: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => json(200, porticoSession(await service.confirmPasswordReset(event.json, context.log)));
};
