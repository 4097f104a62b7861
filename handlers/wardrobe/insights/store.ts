/**
 * The finalised items of one user, read whole from the `wardrobe-items` container as the
 * analyses over a wardrobe (the vault insights and the digest) need them. Drafts are left out.
 */
import type { Document, DocumentStore } from '../../../domain/ports.ts';
import { isFinalised, type StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { itemsContainer } from '../items/store.ts';

const ITEM_PAGE = 500;
/** An analysis reads at most this many items of one user (20 pages): a bound on one request's work. */
export const MAX_ANALYSED_ITEMS = 10_000;

export type StoredItemDoc = StoredClothingItem & Document;

/** Items written before the PluckIt shape marked drafts `status: "draft"`; they are drafts too until migrated. */
const isLegacyDraft = (item: Record<string, unknown>) => item.status === 'draft';

export async function finalisedItemsOf(documents: DocumentStore, userId: string): Promise<StoredClothingItem[]> {
  const items = documents.repository<StoredItemDoc>(itemsContainer);
  const all: StoredClothingItem[] = [];
  let read = 0;
  let continuation: string | undefined;
  do {
    const page = await items.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }], limit: ITEM_PAGE, ...(continuation ? { continuation } : {}) });
    read += page.items.length;
    for (const { etag: _etag, ...item } of page.items) if (isFinalised(item) && !isLegacyDraft(item)) all.push(item as StoredClothingItem);
    continuation = page.continuation;
  } while (continuation && read < MAX_ANALYSED_ITEMS);
  return all;
}
