/**
 * The Axly seed's sign-in routes (`/api/request_pin`, `/api/login`, ...): thin aliases of the
 * accounts routes over the same account service, with the seed's snake_case bodies and its login
 * answer (`access_token`, `refresh_token`, `token_type: "bearer"`, `user`). Errors stay the
 * platform's problem+json. `delete_account` erases the caller's data in every service.
 */
import { unauthorized } from '../../domain/errors.ts';
import type { EraseUser } from '../../kernel/services.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import type { AccountRoutesDeps } from './accounts.routes.ts';
import { createAccountService, type Session } from './service.ts';

/** The seed's login answer. */
export interface SeedSession {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: { id: string; email: string | null };
}

export function seedSession(session: Session): SeedSession {
  return { access_token: session.accessToken, refresh_token: session.refreshToken, token_type: 'bearer', expires_in: session.expiresIn, user: session.user };
}

/** POST /api/request_pin `{email}`: as `auth/request-pin`. */
export const seedRequestPin = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => {
    await service.requestPin(event.json.email, context.log);
    return json(202, { status: 'sent' });
  };
};

/** POST /api/confirm_signup `{email, password, pin}`: creates the account and answers the login answer (201). */
export const seedConfirmSignup = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string; pin: string; password: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => json(201, seedSession(await service.confirmSignup(event.json, context.log)));
};

/** POST /api/login `{email, password}`. */
export const seedLogin = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string; password: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => json(200, seedSession(await service.login(event.json, context.log)));
};

/** POST /api/request_password_reset_pin `{email}`: as `auth/request-password-reset`. */
export const seedRequestPasswordReset = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => {
    await service.requestPasswordReset(event.json.email, context.log);
    return json(202, { status: 'sent' });
  };
};

/** POST /api/confirm_password_reset `{email, pin, new_password}`: the login answer. */
export const seedConfirmPasswordReset = (deps: AccountRoutesDeps): PorticoHttpHandler<{ email: string; pin: string; new_password: string }> => {
  const service = createAccountService(deps);
  return async (event, context) => {
    const { email, pin, new_password: newPassword } = event.json;
    return json(200, seedSession(await service.confirmPasswordReset({ email, pin, newPassword }, context.log, '/body/new_password')));
  };
};

/** DELETE /api/delete_account: erases the caller's data in every service, the account last; 204. */
export const deleteAccount = (deps: { eraseUser: EraseUser }): PorticoHttpHandler => {
  return async (_event, context) => {
    if (!context.principal) throw unauthorized();
    await deps.eraseUser(context.principal.userId, context.log);
    return { statusCode: 204, headers: {}, body: '' };
  };
};
