/**
 * The collections containers. A collection is shared between users, so it is its own partition
 * (`id`): every id route is one point read, whoever asks. Who may see which collection is a link
 * document per (user, collection) in the user's partition (`role` owner or member), so the list
 * of owned and joined collections reads one partition, never a scan over everyone's.
 */
import type { ErasableDocuments } from '../../../kernel/services.ts';
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { Collection } from '../../../domain/wardrobe/collections.ts';

export const collectionsContainer: ContainerSpec = { name: 'wardrobe-collections', partitionKey: 'id' };
export const collectionLinksContainer: ContainerSpec = { name: 'wardrobe-collection-links', partitionKey: 'userId' };

export type CollectionDoc = Collection & Document;

/** id = the collection's id, in the user's partition. */
export interface CollectionLinkDoc extends Document {
  userId: string;
  ownerId: string;
  role: 'owner' | 'member';
  createdAt: string;
}

export const collectionsContainers: readonly ContainerSpec[] = [collectionsContainer, collectionLinksContainer];

/**
 * A user's erasure removes the collections they own (found by `ownerId`: a cross-partition
 * query, acceptable for a rare erasure). Their links and their membership in other users'
 * collections go in the custom step (./erase.ts), which needs the links to find them.
 */
export const collectionsErasable: readonly ErasableDocuments[] = [{ container: collectionsContainer, userField: 'ownerId' }];
