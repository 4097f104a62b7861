/**
 * How the identity service erases a user (its manifest's `erase`, run last by the composition
 * root, after every other service's data is gone). The refresh tokens and families carry a
 * `userId` field and are declared; the rest is keyed by a hash of the address, known only from
 * the account, so `eraseAccount` reads the account first and deletes it last: a retry after a
 * failure still finds it. Each delete is idempotent, so a retry counts only what was left.
 */
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { ErasableDocuments, ErasureCounts, ErasureLog } from '../../kernel/services.ts';
import { revokeUserTokens } from '../../middleware/auth/revocations.ts';
import { accountEmailsContainer, accountsContainer, identityRepositories, pinsContainer, refreshFamiliesContainer, refreshTokensContainer } from './store.ts';

/** The tokens first: once they are gone, no refresh can mint a new access token for the user. */
export const identityErasedDocuments: readonly ErasableDocuments[] = [
  { container: refreshTokensContainer, userField: 'userId' },
  { container: refreshFamiliesContainer, userField: 'userId' },
];

export async function eraseAccount({ documents, clock }: { documents: DocumentStore; clock: Clock }, userId: string, log: ErasureLog): Promise<ErasureCounts> {
  const { accounts, emails, pins } = identityRepositories(documents);
  const counts: ErasureCounts = { [pinsContainer.name]: 0, [accountEmailsContainer.name]: 0, [accountsContainer.name]: 0 };
  const account = await accounts.get(userId, userId);
  if (account) {
    const key = account.emailKey;
    if (await pins.delete(key, key)) counts[pinsContainer.name] = 1;
    // The address claim only if it is still this account's (it is, unless something is very wrong).
    const claim = await emails.get(key, key);
    if (claim && claim.userId === userId && (await emails.delete(key, key))) counts[accountEmailsContainer.name] = 1;
    if (claim && claim.userId !== userId) log.warn({ userId }, 'the address claim points at another account: left alone');
  }
  // Before the account goes: a token must never outlive the account it names.
  await revokeUserTokens(documents, userId, clock.now(), 'account_erased');
  if (await accounts.delete(userId, userId)) counts[accountsContainer.name] = 1;
  return counts;
}
