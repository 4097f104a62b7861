/**
 * A stored item as the clients see it: only the contract's fields (section 5), nulls omitted,
 * and fresh short-lived read URLs made from the blob names. The smallest local presenter until
 * the items area's `presentItem` (handlers/wardrobe/items/present.ts) exists; then this goes.
 */
import type { BlobStore } from '../../../domain/ports.ts';
import type { ClothingItem, StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import type { MediaSettings } from '../media/settings.ts';

const CLIENT_FIELDS = [
  'id', 'userId', 'tags', 'aestheticTags', 'colours', 'brand', 'category', 'notes', 'price', 'dateAdded', 'wearCount', 'lastWornAt',
  'wearEvents', 'lastWearActionId', 'estimatedMarketValue', 'purchaseDate', 'careInfo', 'condition', 'size',
  'draftStatus', 'draftError', 'draftCreatedAt', 'draftUpdatedAt', 'isWishlisted',
] as const satisfies readonly (keyof ClothingItem)[];

export async function presentItem(deps: { blobs: BlobStore; media: MediaSettings }, item: StoredClothingItem): Promise<ClothingItem> {
  const out: Record<string, unknown> = {};
  for (const field of CLIENT_FIELDS) if (item[field] !== undefined && item[field] !== null) out[field] = item[field];
  const { blobs, media } = deps;
  const imageUrl = item.imageBlob ? await blobs.readUrl(media.imagesContainer, item.imageBlob, media.urlTtlSeconds) : item.externalImageUrl;
  if (imageUrl) out.imageUrl = imageUrl;
  // The raw upload is part of a draft's lifecycle only (the contract's draft fields).
  if (item.draftStatus && item.rawImageBlob) out.rawImageBlobUrl = await blobs.readUrl(media.archiveContainer, item.rawImageBlob, media.urlTtlSeconds);
  return { tags: [], colours: [], wearCount: 0, isWishlisted: false, ...out } as unknown as ClothingItem;
}
