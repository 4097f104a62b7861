/**
 * The one presenter of a stored item to a client, for every area that answers items (the
 * wardrobe list and routes, drafts): only the contract's fields (section 5), so a server-only
 * member (blob names, a draft's run options, the store's `etag` and `_rid`...) can never leak,
 * nulls omitted, defaults filled, and every image URL a fresh short-lived read URL (contract
 * section 3: "image URLs are blob URLs with a short-lived SAS"). Signed on each read, never
 * stored, so none goes stale.
 */
import type { BlobStore } from '../../../domain/ports.ts';
import type { ClothingItem, StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import type { MediaSettings } from '../media/settings.ts';

export interface PresentDeps {
  blobs: BlobStore;
  settings: { media: Pick<MediaSettings, 'imagesContainer' | 'archiveContainer' | 'urlTtlSeconds'> };
}

const CLIENT_FIELDS = [
  'id', 'userId', 'tags', 'aestheticTags', 'colours', 'brand', 'category', 'notes', 'price', 'dateAdded', 'wearCount', 'lastWornAt',
  'wearEvents', 'lastWearActionId', 'estimatedMarketValue', 'purchaseDate', 'careInfo', 'condition', 'size',
  'draftStatus', 'draftError', 'draftCreatedAt', 'draftUpdatedAt', 'isWishlisted',
] as const satisfies readonly (keyof ClothingItem)[];

export async function presentItem(deps: PresentDeps, stored: StoredClothingItem): Promise<ClothingItem> {
  const out: Record<string, unknown> = {};
  for (const field of CLIENT_FIELDS) if (stored[field] !== undefined && stored[field] !== null) out[field] = stored[field];
  const { blobs } = deps;
  const { media } = deps.settings;
  const imageUrl = stored.imageBlob ? await blobs.readUrl(media.imagesContainer, stored.imageBlob, media.urlTtlSeconds) : stored.externalImageUrl;
  if (imageUrl) out.imageUrl = imageUrl;
  // The raw upload belongs to a draft's lifecycle only (the contract's draft fields).
  if (stored.draftStatus !== undefined && stored.rawImageBlob) out.rawImageBlobUrl = await blobs.readUrl(media.archiveContainer, stored.rawImageBlob, media.urlTtlSeconds);
  return { tags: [], colours: [], wearCount: 0, isWishlisted: false, ...out } as unknown as ClothingItem;
}
