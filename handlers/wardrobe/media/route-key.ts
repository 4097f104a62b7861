/**
 * One extra API key for one route (the seed's METADATA_EXTRACT_API_KEY): checked with the same
 * constant-time digest comparison as API_KEYS, before the standard authenticator, which still
 * decides (and audits) everything else. It never widens what the route accepts: only a route
 * that takes `apiKey` looks at it.
 */
import type { Authenticator } from '../../../middleware/auth.ts';
import { createApiKeyVerifier } from '../../../middleware/auth/api-keys.ts';
import { sha256 } from '../../../middleware/auth/settings.ts';

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
