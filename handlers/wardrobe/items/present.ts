/**
 * The one presenter of a stored item to a client, for every area that answers items (the
 * wardrobe list and routes, drafts, digest suggestions): internal fields dropped, defaults
 * filled, and every image URL a fresh short-lived read URL (contract section 3: "image URLs are
 * blob URLs with a short-lived SAS"). Signed on each read, never stored, so none goes stale.
 */
import type { BlobStore } from '../../../domain/ports.ts';
import type { ClothingItem, StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import type { MediaSettings } from '../media/settings.ts';

export interface PresentDeps {
  blobs: BlobStore;
  settings: { media: Pick<MediaSettings, 'imagesContainer' | 'archiveContainer' | 'urlTtlSeconds'> };
}

/** Members of a stored document that are the store's or the server's, not the client's. */
type Internal = 'imageBlob' | 'rawImageBlob' | 'externalImageUrl' | 'etag' | 'expiresAt' | 'pendingWearIds';

/** Takes a stored document as read (with the store's members, e.g. `etag`) or a plain StoredClothingItem. */
export async function presentItem(deps: PresentDeps, stored: StoredClothingItem): Promise<ClothingItem> {
  const { imageBlob, rawImageBlob, externalImageUrl, etag: _etag, expiresAt: _expires, pendingWearIds: _pending, ...item } = stored as StoredClothingItem & Partial<Record<Internal, unknown>>;
  const media = deps.settings.media;
  const imageUrl = imageBlob ? await deps.blobs.readUrl(media.imagesContainer, imageBlob, media.urlTtlSeconds) : externalImageUrl;
  const rawImageBlobUrl = rawImageBlob && item.draftStatus !== undefined ? await deps.blobs.readUrl(media.archiveContainer, rawImageBlob, media.urlTtlSeconds) : undefined;
  // Cosmos system members (`_rid`, `_ts`, ...) never reach a client.
  const clean = Object.fromEntries(Object.entries(item).filter(([key, value]) => !key.startsWith('_') && value !== undefined && value !== null));
  return {
    ...(clean as unknown as ClothingItem),
    tags: item.tags ?? [],
    colours: item.colours ?? [],
    wearCount: item.wearCount ?? 0,
    isWishlisted: item.isWishlisted ?? false,
    ...(imageUrl ? { imageUrl } : {}),
    ...(rawImageBlobUrl ? { rawImageBlobUrl } : {}),
  };
}
