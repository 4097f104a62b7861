/**
 * Collections on the document store: the collection in its own partition, a link per (user,
 * collection) in the user's partition (./store.ts). Writes touch the link first where a
 * half-done write must stay invisible: a link without its collection is skipped (and removed)
 * by the list, while a collection without its owner's link could never be listed.
 */
import { queryAll, readModifyWrite } from '../../../domain/documents.ts';
import { badRequest, conflict, notFound, PreconditionFailedError } from '../../../domain/errors.ts';
import type { Clock, Document, DocumentStore, IdSource, Stored } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { canView, cleanName, COLLECTION_LIMITS, collectionChange, NAME_REQUIRED, newestFirst, type Collection } from '../../../domain/wardrobe/collections.ts';
import { isoSeconds } from '../../../domain/time.ts';
import { matches } from '../../../middleware/resources.ts';
import { itemsContainer } from '../items/store.ts';
import { collectionLinksContainer, collectionsContainer, type CollectionDoc, type CollectionLinkDoc } from './store.ts';

export interface CollectionsDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
}

export interface NewCollection {
  name?: string | null;
  description?: string | null;
  isPublic?: boolean | null;
  clothingItemIds?: string[] | null;
}

/** The client shape: the stored fields only, `description` omitted when empty (the API omits nulls). */
export function toCollection(doc: CollectionDoc): Collection {
  return {
    id: doc.id,
    ownerId: doc.ownerId,
    name: doc.name,
    ...(doc.description ? { description: doc.description } : {}),
    isPublic: doc.isPublic,
    clothingItemIds: [...doc.clothingItemIds],
    memberUserIds: [...doc.memberUserIds],
    createdAt: doc.createdAt,
  };
}

export type CollectionsService = ReturnType<typeof createCollectionsService>;

export function createCollectionsService(deps: CollectionsDeps) {
  const collections = deps.documents.repository<CollectionDoc>(collectionsContainer);
  const links = deps.documents.repository<CollectionLinkDoc>(collectionLinksContainer);
  const items = deps.documents.repository<StoredClothingItem & Document>(itemsContainer);

  const missing = (id: string) => notFound(`No collection ${id}.`);

  /** The collection if the caller may see it; otherwise 404, whether it exists or not. */
  async function visible(userId: string, id: string): Promise<Stored<CollectionDoc>> {
    const found = await collections.get(id, id);
    if (!found || !canView(found, userId)) throw missing(id);
    return found;
  }

  /** Changes a collection the caller owns; anyone else (members included) gets 404, as upstream. */
  async function changeOwned(userId: string, id: string, change: (current: CollectionDoc) => CollectionDoc | undefined, ifMatch?: readonly string[]): Promise<void> {
    if (ifMatch) {
      const current = await collections.get(id, id);
      if (!current || current.ownerId !== userId) throw missing(id);
      if (!matches(ifMatch, current.etag)) throw new PreconditionFailedError();
      const next = change(current);
      if (next) await collections.replace(next, current.etag);
      return;
    }
    await readModifyWrite(collections, id, id, (current) => {
      if (!current || current.ownerId !== userId) throw missing(id);
      return change(current);
    });
  }

  /** Refuses item ids the caller owns no item for, naming each (another user's item is unknown too). */
  async function ownedItems(userId: string, ids: readonly string[], pointer: (index: number) => string): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => items.get(id, userId)));
    const unknown = unique.filter((_, index) => !found[index]);
    if (unknown.length) throw badRequest('unknown_items', `No such items: ${unknown.join(', ')}.`, unknown.map((id) => ({ pointer: pointer(ids.indexOf(id)), detail: `no item ${id}` })));
    return unique;
  }

  return {
    /** Owned and joined, newest first; links whose collection is gone or no longer shared are dropped on the way. */
    async list(userId: string): Promise<Collection[]> {
      const mine = await queryAll(links, { partitionKey: userId });
      const docs = await Promise.all(mine.map((link) => collections.get(link.id, link.id)));
      const stale = mine.filter((_, index) => !docs[index] || !canView(docs[index], userId));
      // Cleaning up is a courtesy: the list is right without it, so a failed delete does not fail the read.
      await Promise.allSettled(stale.map((link) => links.delete(link.id, userId)));
      return docs.filter((doc): doc is Stored<CollectionDoc> => doc !== undefined && canView(doc, userId)).map(toCollection).sort(newestFirst);
    },

    async create(userId: string, body: NewCollection): Promise<Collection> {
      const name = cleanName(body.name);
      if (!name) throw badRequest('name_required', NAME_REQUIRED, [{ pointer: '/body/name', detail: 'is required' }]);
      const clothingItemIds = await ownedItems(userId, body.clothingItemIds ?? [], (index) => `/body/clothingItemIds/${index}`);
      const doc: CollectionDoc = {
        id: deps.ids.next(),
        ownerId: userId,
        name,
        ...(body.description?.trim() ? { description: body.description.trim() } : {}),
        isPublic: body.isPublic ?? false,
        clothingItemIds,
        memberUserIds: [],
        createdAt: isoSeconds(deps.clock.now()),
      };
      await links.upsert({ id: doc.id, userId, ownerId: userId, role: 'owner', createdAt: doc.createdAt });
      return toCollection(await collections.create(doc));
    },

    async get(userId: string, id: string): Promise<{ collection: Collection; etag: string }> {
      const found = await visible(userId, id);
      return { collection: toCollection(found), etag: found.etag };
    },

    async update(userId: string, id: string, body: Record<string, unknown>, ifMatch?: readonly string[]): Promise<void> {
      const { blankName, ...change } = collectionChange(body);
      // Ownership before the body: another user learns nothing about a collection from a bad body.
      const current = await collections.get(id, id);
      if (!current || current.ownerId !== userId) throw missing(id);
      if (blankName) throw badRequest('name_required', NAME_REQUIRED, [{ pointer: '/body/name', detail: 'must not be blank' }]);
      await changeOwned(userId, id, (doc) => {
        const { description: _old, ...rest } = doc;
        const description = change.description === undefined ? doc.description : change.description;
        return { ...rest, ...(change.name !== undefined ? { name: change.name } : {}), ...(change.isPublic !== undefined ? { isPublic: change.isPublic } : {}), ...(description ? { description } : {}) };
      }, ifMatch);
    },

    /**
     * The owner deletes; a member's call changes nothing (the contract's silent 204); anyone else
     * gets 404, as on every id route, so an id reveals nothing.
     */
    async remove(userId: string, id: string): Promise<void> {
      const current = await collections.get(id, id);
      if (!current || !(current.ownerId === userId || current.memberUserIds.includes(userId))) throw missing(id);
      if (current.ownerId !== userId) return;
      await collections.delete(id, id);
      await links.delete(id, userId);
    },

    /**
     * Joins a public collection (or one the caller is already in). A private one the caller was not
     * invited to is 404, like an absent one (the upstream's 403 told a stranger it exists).
     */
    async join(userId: string, id: string): Promise<void> {
      const current = await collections.get(id, id);
      if (!current) throw missing(id);
      if (current.ownerId === userId) return;
      await readModifyWrite(collections, id, id, (doc) => {
        if (!doc) throw missing(id);
        if (doc.memberUserIds.includes(userId)) return undefined;
        if (!doc.isPublic) throw missing(id);
        if (doc.memberUserIds.length >= COLLECTION_LIMITS.members) throw conflict('collection_full', 'This collection has as many members as it may.');
        return { ...doc, memberUserIds: [...doc.memberUserIds, userId] };
      });
      await links.upsert({ id, userId, ownerId: current.ownerId, role: 'member', createdAt: isoSeconds(deps.clock.now()) });
    },

    /** 204 for a member (again: no change); the owner cannot leave their own; anyone else gets 404. */
    async leave(userId: string, id: string): Promise<void> {
      const link = await links.get(id, userId);
      if (link?.role === 'owner') return;
      const current = await collections.get(id, id);
      if (!link && !current?.memberUserIds.includes(userId)) throw missing(id);
      if (link) await links.delete(id, userId);
      await readModifyWrite(collections, id, id, (doc) =>
        doc?.memberUserIds.includes(userId) ? { ...doc, memberUserIds: doc.memberUserIds.filter((member) => member !== userId) } : undefined,
      );
    },

    /** Adds one of the owner's items (a repeat changes nothing). */
    async addItem(userId: string, id: string, itemId: string): Promise<void> {
      const current = await collections.get(id, id);
      if (!current || current.ownerId !== userId) throw missing(id);
      if (!(await items.get(itemId, userId))) throw notFound(`No item ${itemId}.`);
      await changeOwned(userId, id, (doc) => {
        if (doc.clothingItemIds.includes(itemId)) return undefined;
        if (doc.clothingItemIds.length >= COLLECTION_LIMITS.items) throw conflict('collection_full', `A collection holds at most ${COLLECTION_LIMITS.items} items.`);
        return { ...doc, clothingItemIds: [...doc.clothingItemIds, itemId] };
      });
    },

    /** Removes an item id (an absent one changes nothing); owner only. */
    async removeItem(userId: string, id: string, itemId: string): Promise<void> {
      await changeOwned(userId, id, (doc) => (doc.clothingItemIds.includes(itemId) ? { ...doc, clothingItemIds: doc.clothingItemIds.filter((item) => item !== itemId) } : undefined));
    },
  };
}
