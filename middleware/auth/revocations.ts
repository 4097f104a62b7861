/**
 * Revoked users: Portico's access tokens are stateless JWTs, so once an account is erased its
 * tokens would keep working until they expire. Erasing an account writes a tombstone here (by
 * user id), and the authenticator refuses a Portico token of that subject issued at or before
 * the erasure. Tokens issued later pass: a Google account keeps its `sub` as its user id, so a
 * person who erased their account and signs in again must not be locked out. A tombstone
 * outlives every access token issued before it (JWT_ACCESS_TTL_SECONDS is at most a day), then
 * expires.
 */
import type { ContainerSpec, DocumentStore } from '../../domain/ports.ts';
import { tokenClock } from './tokens.ts';

export const revokedUsersContainer: ContainerSpec = { name: 'revoked-users', partitionKey: 'id' };

/** Longer than the longest access token (86 400 s) plus any clock tolerance. */
export const REVOCATION_KEEP_MS = 2 * 86_400_000;

interface RevokedUserDoc {
  /** The user id. */
  id: string;
  revokedAt: string;
  /** Epoch seconds on the tokens' own clock: tokens with an `iat` up to this are refused. */
  issuedUpTo?: number;
  reason: string;
  expiresAt: number;
  [field: string]: unknown;
}

/** Every access token of the user stops working (idempotent: a second call renews the tombstone). */
export async function revokeUserTokens(documents: DocumentStore, userId: string, now: Date, reason: string): Promise<void> {
  await documents.repository<RevokedUserDoc>(revokedUsersContainer).upsert({ id: userId, revokedAt: now.toISOString(), issuedUpTo: Math.floor(tokenClock() / 1000), reason, expiresAt: now.getTime() + REVOCATION_KEEP_MS });
}

/**
 * The check the authenticator runs for each Portico token: one point read (a miss, normally).
 * `iat` has whole seconds, so a token from the erasure's own second counts as before it. A
 * tombstone written before `issuedUpTo` existed refuses every token, as it always did.
 */
export function revocationCheck(documents: DocumentStore): (userId: string, issuedAt: number) => Promise<boolean> {
  return async (userId, issuedAt) => {
    const tombstone = await documents.repository<RevokedUserDoc>(revokedUsersContainer).get(userId, userId);
    return tombstone !== undefined && (tombstone.issuedUpTo === undefined || issuedAt <= tombstone.issuedUpTo);
  };
}
