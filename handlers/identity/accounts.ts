/** The accounts routes (see functions.ts): thin HTTP shells over the account service. */
import type { HttpLambda } from '../../kernel/functions.ts';
import { getDocumentStore, getHttpPlatform, systemClock } from '../../app/composition.ts';
import { unauthorized } from '../../domain/errors.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import * as defs from './functions.ts';
import { createAccountService, type AccountServiceDeps } from './service.ts';
import { getAccessTokenIssuer, getEmailSender, getIdentitySettings } from './wiring.ts';

export interface AccountsDeps extends AccountServiceDeps {
  platform: HttpPlatform;
}

export type AccountRoute = 'requestPin' | 'confirmSignup' | 'login' | 'refresh' | 'logout' | 'me';

export function createHandlers(deps: AccountsDeps): Record<AccountRoute, HttpLambda> {
  const service = createAccountService(deps);
  const { platform } = deps;
  return {
    requestPin: httpHandler<{ email: string }>(
      defs.requestPin,
      async (event, context) => {
        await service.requestPin(event.json.email, context.log);
        return json(202, { status: 'sent' });
      },
      platform,
    ),
    confirmSignup: httpHandler<{ email: string; pin: string; password: string }>(
      defs.confirmSignup,
      async (event, context) => json(201, await service.confirmSignup(event.json, context.log)),
      platform,
    ),
    login: httpHandler<{ email: string; password: string }>(
      defs.login,
      async (event, context) => json(200, await service.login(event.json, context.log)),
      platform,
    ),
    refresh: httpHandler<{ refreshToken: string }>(
      defs.refresh,
      async (event, context) => json(200, await service.refresh(event.json.refreshToken, context.log)),
      platform,
    ),
    logout: httpHandler<{ refreshToken: string }>(
      defs.logout,
      async (event, context) => {
        await service.logout(event.json.refreshToken, context.log);
        return { statusCode: 204, headers: {}, body: '' };
      },
      platform,
    ),
    me: httpHandler(
      defs.me,
      async (_event, context) => {
        // The auth middleware sets the principal on a `user` route; its absence is a wiring bug, not a 500.
        if (!context.principal) throw unauthorized();
        return json(200, await service.profile(context.principal));
      },
      platform,
    ),
  };
}

const handlers = createHandlers({
  platform: getHttpPlatform(),
  documents: getDocumentStore(),
  clock: systemClock,
  settings: getIdentitySettings(),
  tokens: getAccessTokenIssuer(),
  email: getEmailSender(),
});
export const { requestPin, confirmSignup, login, refresh, logout, me } = handlers;
