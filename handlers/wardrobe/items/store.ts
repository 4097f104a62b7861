/**
 * The wardrobe items containers. Every wardrobe document is partitioned by its owner's user id
 * (from the token), so a read with another user's id finds nothing: 404, never 403.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import type { StylingActivity, WearRecord } from '../../../domain/wardrobe/wears.ts';

export const itemsContainer: ContainerSpec = { name: 'wardrobe-items', partitionKey: 'userId' };

/** One record per wear: the idempotency key of PATCH .../wear (with a clientEventId), and the wear history. */
export const wearsContainer: ContainerSpec = { name: 'wardrobe-wears', partitionKey: 'userId' };

/** Styling activities, each carrying the wear suggestion it raised. */
export const stylingContainer: ContainerSpec = { name: 'wardrobe-styling', partitionKey: 'userId' };

export type ClothingItemDoc = StoredClothingItem &
  Document & {
    /**
     * Wears already counted in wearCount whose record is not yet marked applied: the marker that
     * keeps a retried or concurrent wear from counting twice. Internal; never sent to clients.
     */
    pendingWearIds?: string[];
  };

export type WearRecordDoc = WearRecord & Document;
export type StylingActivityDoc = StylingActivity & Document;

export const itemsContainers: readonly ContainerSpec[] = [itemsContainer, wearsContainer, stylingContainer];
