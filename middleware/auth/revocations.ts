/**
 * Revoked users: Portico's access tokens are stateless JWTs, so once an account is erased its
 * tokens would keep working until they expire. Erasing an account writes a tombstone here (by
 * user id), and the authenticator refuses a Portico token whose subject has one. A tombstone
 * outlives every access token issued before it (JWT_ACCESS_TTL_SECONDS is at most a day), then
 * expires; a new sign-up gets a new random user id, so it never meets an old tombstone.
 */
import type { ContainerSpec, DocumentStore } from '../../domain/ports.ts';

export const revokedUsersContainer: ContainerSpec = { name: 'revoked-users', partitionKey: 'id' };

/** Longer than the longest access token (86 400 s) plus any clock tolerance. */
export const REVOCATION_KEEP_MS = 2 * 86_400_000;

interface RevokedUserDoc {
  /** The user id. */
  id: string;
  revokedAt: string;
  reason: string;
  expiresAt: number;
  [field: string]: unknown;
}

/** Every access token of the user stops working (idempotent: a second call renews the tombstone). */
export async function revokeUserTokens(documents: DocumentStore, userId: string, now: Date, reason: string): Promise<void> {
  await documents.repository<RevokedUserDoc>(revokedUsersContainer).upsert({ id: userId, revokedAt: now.toISOString(), reason, expiresAt: now.getTime() + REVOCATION_KEEP_MS });
}

/** The check the authenticator runs for each Portico token: one point read (a miss, normally). */
export function revocationCheck(documents: DocumentStore): (userId: string) => Promise<boolean> {
  return async (userId) => (await documents.repository<RevokedUserDoc>(revokedUsersContainer).get(userId, userId)) !== undefined;
}
