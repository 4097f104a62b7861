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
import { requireRoles } from './auth/roles.ts';

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

/** `roles`: the route's (HttpTrigger.roles); the caller must hold one of them, else 403 `missing_role`. */
export function auth(
  required: AuthClass | readonly ProtectedClass[],
  authenticate: Authenticator,
  roles?: readonly string[],
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  if (required === 'public') return { before: () => undefined };
  const accepted: readonly ProtectedClass[] = typeof required === 'string' ? [required] : required;
  return {
    before: async (request) => {
      const context = request.context as PorticoContext;
      const principal = await authenticate(request.event, accepted, context);
      try {
        requireRoles(principal, roles);
      } catch (error) {
        // The same audit line as the authenticator's failures; the caller is proven, so named.
        context.log?.warn(
          { audit: 'auth_failure', reason: 'missing_role', status: 403, requestId: context.requestId, route: request.event.routeKey, principal: principal.qualifiedId, required: roles },
          'authorization failed',
        );
        throw error;
      }
      context.principal = principal;
    },
  };
}
