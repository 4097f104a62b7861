/**
 * The auth step. The function table declares each route's class; an Authenticator decides.
 * Until an identity provider is wired in, `denyAll` answers 401 for every non-public route,
 * so nothing is ever open by accident.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AuthClass } from '../app/define.ts';
import { unauthorized } from '../domain/errors.ts';
import type { Identity, PorticoContext } from './context.ts';

/** Resolves the caller for a protected route, or throws a 401/403 AppError. */
export type Authenticator = (event: APIGatewayProxyEventV2, required: Exclude<AuthClass, 'public'>) => Promise<Identity>;

export const denyAll: Authenticator = async () => {
  throw unauthorized('Authentication is required and no identity provider is configured.');
};

export function auth(
  required: AuthClass,
  authenticate: Authenticator,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    before: async (request) => {
      if (required === 'public') return;
      (request.context as PorticoContext).principal = await authenticate(request.event, required);
    },
  };
}
