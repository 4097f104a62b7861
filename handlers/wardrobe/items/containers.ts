/**
 * The wardrobe items container. Every wardrobe document is partitioned by its owner's user id
 * (from the token), so a read with another user's id finds nothing: 404, never 403.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';

export const itemsContainer: ContainerSpec = { name: 'wardrobe-items', partitionKey: 'userId' };

export type WardrobeItemDoc = WardrobeItem & Document;

export const itemsContainers: readonly ContainerSpec[] = [itemsContainer];
