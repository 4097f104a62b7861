/**
 * The wardrobe items container. Every wardrobe document is partitioned by its owner's user id
 * (from the token), so a read with another user's id finds nothing: 404, never 403.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';
import type { WearRecord } from '../../../domain/wardrobe/wears.ts';

export const itemsContainer: ContainerSpec = { name: 'wardrobe-items', partitionKey: 'userId' };

/** One record per (item, wearId): the idempotency key of POST .../wear, and the wear history. */
export const wearsContainer: ContainerSpec = { name: 'wardrobe-wears', partitionKey: 'userId' };

export type WardrobeItemDoc = WardrobeItem &
  Document & {
    /**
     * Wears already counted in wearCount whose record is not yet marked applied: the marker that
     * keeps a retried or concurrent wear from counting twice. Internal; never sent to clients.
     */
    pendingWearIds?: string[];
  };

export type WearRecordDoc = WearRecord & Document;

export const itemsContainers: readonly ContainerSpec[] = [itemsContainer, wearsContainer];
