/** Reading a user's collection links (one partition), shared by the service and the erase step. */
import type { DocumentRepository, Stored } from '../../../domain/ports.ts';
import type { CollectionLinkDoc } from './store.ts';

/** Every link in the user's partition, all pages. */
export async function allLinks(links: DocumentRepository<CollectionLinkDoc>, userId: string): Promise<Stored<CollectionLinkDoc>[]> {
  const found: Stored<CollectionLinkDoc>[] = [];
  let continuation: string | undefined;
  do {
    const page = await links.query({ partitionKey: userId, limit: 1000, ...(continuation ? { continuation } : {}) });
    found.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return found;
}
