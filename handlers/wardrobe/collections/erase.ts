/**
 * The custom erase step of collections: the user leaves every collection they joined (their id
 * must not stay in another owner's `memberUserIds`), then their links go. Idempotent: a
 * retried erasure finds fewer links, and leaving twice changes nothing.
 */
import { queryAll, readModifyWrite } from '../../../domain/documents.ts';
import type { ErasureContext, ErasureCounts } from '../../../kernel/services.ts';
import { collectionLinksContainer, collectionsContainer, type CollectionDoc, type CollectionLinkDoc } from './store.ts';

export async function eraseCollectionLinks({ documents }: ErasureContext, userId: string): Promise<ErasureCounts> {
  const collections = documents.repository<CollectionDoc>(collectionsContainer);
  const links = documents.repository<CollectionLinkDoc>(collectionLinksContainer);
  let deleted = 0;
  for (const link of await queryAll(links, { partitionKey: userId })) {
    if (link.role === 'member') {
      await readModifyWrite(collections, link.id, link.id, (current) =>
        current?.memberUserIds.includes(userId) ? { ...current, memberUserIds: current.memberUserIds.filter((id) => id !== userId) } : undefined,
      );
    }
    if (await links.delete(link.id, userId)) deleted++;
  }
  return { [collectionLinksContainer.name]: deleted };
}
