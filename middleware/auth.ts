/**
 * The auth step. The function table declares each route's class; an Authenticator decides.
 * Until an identity provider is wired in, `denyAll` answers 401 for every non-public route,
 * so nothing is ever open by accident.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AuthClass, ProtectedClass } from '../kernel/functions.ts';
import { unauthorized } from '../domain/errors.ts';
import type { Identity, PorticoContext } from './context.ts';

/**
 * Resolves the caller for a protected route (any of `accepted`), or throws a 401/403 AppError.
 * The call context carries the ids that audit lines need.
 */
export type Authenticator = (
  event: APIGatewayProxyEventV2,
  accepted: readonly ProtectedClass[],
  context?: { requestId?: string; correlationId?: string },
) => Promise<Identity>;

export const denyAll: Authenticator = async () => {
  throw unauthorized('Authentication is required and no identity provider is configured.');
};

export function auth(
  required: AuthClass | readonly ProtectedClass[],
  authenticate: Authenticator,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  if (required === 'public') return { before: () => undefined };
  const accepted: readonly ProtectedClass[] = typeof required === 'string' ? [required] : required;
  return {
    before: async (request) => {
      const context = request.context as PorticoContext;
      context.principal = await authenticate(request.event, accepted, context);
    },
  };
}
