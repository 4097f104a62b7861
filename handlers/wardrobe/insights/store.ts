/**
 * The items one user owns, read whole from the `wardrobe-items` container as the analyses over a
 * wardrobe (the vault insights and the digest) need them: drafts are not in the wardrobe yet and
 * wishlist items are not owned (a cost per wear, or "wear it this week", means nothing for them).
 */
import type { Document, DocumentStore } from '../../../domain/ports.ts';
import { isFinalised, type StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { itemsContainer } from '../items/store.ts';

const ITEM_PAGE = 500;
/** An analysis reads at most this many items of one user (20 pages): a bound on one request's work. */
export const MAX_ANALYSED_ITEMS = 10_000;

export type StoredItemDoc = StoredClothingItem & Document;

export async function ownedItemsOf(documents: DocumentStore, userId: string): Promise<StoredClothingItem[]> {
  const items = documents.repository<StoredItemDoc>(itemsContainer);
  const all: StoredClothingItem[] = [];
  let read = 0;
  let continuation: string | undefined;
  do {
    const page = await items.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }], limit: ITEM_PAGE, ...(continuation ? { continuation } : {}) });
    read += page.items.length;
    for (const { etag: _etag, ...item } of page.items) if (isFinalised(item) && !item.isWishlisted) all.push(item as StoredClothingItem);
    continuation = page.continuation;
  } while (continuation && read < MAX_ANALYSED_ITEMS);
  return all;
}
