/**
 * The metadata route's own authentication, on top of the standard authenticator:
 *
 * - `acceptOnly` narrows the classes a route accepts to those its settings allow
 *   (METADATA_EXTRACT_AUTH_MODE), so the function table can declare the broadest classes without
 *   reading the environment. A credential of a class it removes is refused by the standard
 *   authenticator exactly as on a route that never declared it (401, audited with the narrowed
 *   classes).
 * - `withRouteApiKey` accepts one extra API key for one route (the seed's METADATA_EXTRACT_API_KEY):
 *   checked with the same constant-time digest comparison as API_KEYS, before the standard
 *   authenticator, which still decides (and audits) everything else. It never widens what the
 *   route accepts: only a route that takes `apiKey` looks at it.
 */
import type { ProtectedClass } from '../../../kernel/functions.ts';
import type { Authenticator } from '../../../middleware/auth.ts';
import { createApiKeyVerifier } from '../../../middleware/auth/api-keys.ts';
import { sha256 } from '../../../middleware/auth/settings.ts';

export function acceptOnly(authenticate: Authenticator, allowed: readonly ProtectedClass[]): Authenticator {
  return (event, accepted, context) => authenticate(event, accepted.filter((kind) => allowed.includes(kind)), context);
}

export function withRouteApiKey(authenticate: Authenticator, key: string | undefined, name: string): Authenticator {
  if (!key) return authenticate;
  const verifier = createApiKeyVerifier([{ name, digest: sha256(key) }]);
  return async (event, accepted, context) => {
    if (accepted.includes('apiKey')) {
      const values = Object.entries(event.headers ?? {}).filter(([header, value]) => header.toLowerCase() === 'x-api-key' && value !== undefined);
      const presented = values.length === 1 ? values[0]![1] : undefined;
      if (presented !== undefined && !presented.includes(',')) {
        try {
          return verifier.verify(presented);
        } catch {
          // Not this route's key: the standard authenticator decides, and audits a failure.
        }
      }
    }
    return authenticate(event, accepted, context);
  };
}
