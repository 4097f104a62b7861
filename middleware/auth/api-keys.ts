/**
 * Service API keys (X-API-Key). Only SHA-256 digests are kept; a presented key is hashed and
 * compared with every configured digest in constant time. The digests are all 32 bytes, so
 * timingSafeEqual never throws and the comparison leaks neither length nor prefix, and the loop
 * never stops early, so the time does not reveal which key matched.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Identity } from '../context.ts';
import { AuthFailure } from './failure.ts';
import { API_KEY_ISSUER, MAX_API_KEY_LENGTH, sha256, type ApiKeyEntry } from './settings.ts';

export interface ApiKeyVerifier {
  readonly enabled: boolean;
  /** Resolves the key's identity, or throws a 401 AuthFailure. */
  verify(presented: string): Identity;
}

export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): ApiKeyVerifier {
  return {
    enabled: entries.length > 0,
    verify(presented) {
      if (presented === '') throw new AuthFailure('api_key_empty');
      // Bounded before hashing; the length limit is public configuration, not a secret.
      if (presented.length > MAX_API_KEY_LENGTH) throw new AuthFailure('api_key_invalid');
      const digest = sha256(presented);
      let match: ApiKeyEntry | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(digest, entry.digest) && !match) match = entry;
      }
      if (!match) throw new AuthFailure(entries.length === 0 ? 'api_keys_not_configured' : 'api_key_invalid');
      return { userId: match.name, qualifiedId: `${API_KEY_ISSUER}|${match.name}`, issuer: API_KEY_ISSUER, via: 'apiKey', roles: [], isAdmin: false };
    },
  };
}
