/**
 * Wardrobe items on the document store: CRUD, paging, and exactly-once wear counting. Every
 * read and write is scoped to the owner's partition, so another user's id is simply absent.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError, DocumentExistsError, badRequest, conflict, notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, FilterValue, IdSource, QuerySpec, Stored } from '../../../domain/ports.ts';
import { itemFieldsOf, newItemFields, normaliseCategory, patchedItemFields, type ItemInput, type ItemPatch } from '../../../domain/wardrobe/item-rules.ts';
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';
import { laterOf, resolveWornAt, wearRecordId, type WearResult } from '../../../domain/wardrobe/wears.ts';
import { itemsContainer, wearsContainer, type WardrobeItemDoc, type WearRecordDoc } from './store.ts';
import { unwrapToken, wrapToken } from '../../../middleware/resources.ts';
import { deleteOwned, getOwned, replaceOwned } from './writes.ts';
import { imagesContainer, type WardrobeImageDoc } from '../media/store.ts';
import type { ItemSort } from './schemas.ts';

export interface ItemsDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
}

/** An item as clients see it: the stored fields without internal markers, plus its ETag. */
export type ItemView = WardrobeItem & { etag: string };

export interface ListOptions {
  limit: number;
  continuation?: string;
  category?: string;
  status?: WardrobeItem['status'];
  sort: ItemSort;
}

const PAGE = 1000;

export function toView(doc: Stored<WardrobeItemDoc>): ItemView {
  const { pendingWearIds: _pending, expiresAt: _expires, ...item } = doc;
  return item as ItemView;
}

export type ItemsService = ReturnType<typeof createItemsService>;

export function createItemsService(deps: ItemsDeps) {
  const items = deps.documents.repository<WardrobeItemDoc>(itemsContainer);
  const wears = deps.documents.repository<WearRecordDoc>(wearsContainer);
  const now = () => deps.clock.now();

  const images = deps.documents.repository<WardrobeImageDoc>(imagesContainer);
  const missing = (id: string) => () => notFound(`No item ${id}.`);
  const find = (userId: string, id: string) => getOwned(items, id, userId, missing(id));

  /**
   * An imageId must name one of the caller's own uploads (POST /api/process-image): it is read in
   * the caller's partition, so another user's id and one that never existed look the same.
   */
  async function checkImage(userId: string, imageId: string | null | undefined): Promise<void> {
    if (imageId === undefined || imageId === null) return;
    const unknown = () => badRequest('unknown_image', 'imageId is not one of your images.', [{ pointer: '/body/imageId', detail: 'is not one of your images' }]);
    const image = await images.get(imageId, userId).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 400) throw unknown(); // an id the store refuses
      throw error;
    });
    if (!image) throw unknown();
  }

  return {
    async list(userId: string, options: ListOptions): Promise<{ items: ItemView[]; continuation?: string }> {
      const filters: { field: string; op: '='; value: FilterValue }[] = [];
      if (options.category !== undefined) filters.push({ field: 'category', op: '=', value: normaliseCategory(options.category) });
      if (options.status !== undefined) filters.push({ field: 'status', op: '=', value: options.status });
      const descending = options.sort.startsWith('-');
      const shape = { filters, sort: options.sort };
      const continuation = unwrapToken(shape, options.continuation);
      const page = await items.query({
        partitionKey: userId,
        filters,
        orderBy: { field: descending ? options.sort.slice(1) : options.sort, direction: descending ? 'desc' : 'asc' },
        limit: options.limit,
        ...(continuation !== undefined ? { continuation } : {}),
      });
      const token = wrapToken(shape, page.continuation);
      return { items: page.items.map(toView), ...(token ? { continuation: token } : {}) };
    },

    async create(userId: string, input: ItemInput): Promise<ItemView> {
      const at = now();
      const stamp = at.toISOString();
      const fields = newItemFields(input, at);
      await checkImage(userId, input.imageId);
      const doc: WardrobeItemDoc = {
        ...fields,
        id: deps.ids.next(),
        userId,
        wearCount: 0,
        lastWornAt: null,
        source: null,
        createdAt: stamp,
        updatedAt: stamp,
      };
      return toView(await items.create(doc));
    },

    async get(userId: string, id: string): Promise<ItemView> {
      return toView(await find(userId, id));
    },

    async update(userId: string, id: string, patch: ItemPatch, ifMatch?: readonly string[]): Promise<ItemView> {
      await checkImage(userId, patch.imageId);
      const written = await replaceOwned(items, id, userId, ifMatch, (current) => ({
        ...current,
        ...patchedItemFields(itemFieldsOf(current), patch, now()),
        updatedAt: now().toISOString(),
      }), missing(id));
      return toView(written);
    },

    /** Deletes the item, then its wear history (a page at a time; wears of a deleted item are never read again). */
    async remove(userId: string, id: string, ifMatch?: readonly string[]): Promise<void> {
      await deleteOwned(items, id, userId, ifMatch, missing(id));
      for (;;) {
        const page = await wears.query({ partitionKey: userId, filters: [{ field: 'itemId', op: '=', value: id }], limit: 100 });
        await Promise.all(page.items.map((wear) => wears.delete(wear.id, userId)));
        if (!page.continuation) return;
      }
    },

    /**
     * Logs a wear exactly once per (item, wearId), under duplicates, concurrency and crashes:
     *
     * 1. create the wear record (`applied: false`); a duplicate finds the existing one, and keeps
     *    its wornAt;
     * 2. ETag-guarded increment of the item, which also adds the wearId to `pendingWearIds`,
     *    unless it is already there or the record is already applied (both mean "counted");
     * 3. mark the record applied, with the result (the first writer's result wins, so every
     *    repeat answers the same);
     * 4. drop the wearId from `pendingWearIds`.
     *
     * A crash after any step leaves a state from which a retry of the same wearId completes the
     * rest without counting twice: the marker is only removed once the record says applied.
     */
    async wear(userId: string, itemId: string, input: { wearId: string; wornAt?: string }): Promise<WearResult> {
      await find(userId, itemId);
      const recordId = wearRecordId(itemId, input.wearId);
      let record = await wears.get(recordId, userId);
      if (!record) {
        const at = now();
        try {
          record = await wears.create({ id: recordId, userId, itemId, wearId: input.wearId, wornAt: resolveWornAt(input.wornAt, at), createdAt: at.toISOString(), applied: false });
        } catch (error) {
          if (!(error instanceof DocumentExistsError)) throw error;
          record = await wears.get(recordId, userId);
        }
        // Created and deleted (with its item) between two of our reads.
        if (!record) throw notFound(`No item ${itemId}.`);
      }
      const { wornAt } = record;

      if (!record.applied) {
        const counted = await readModifyWrite(items, itemId, userId, async (current) => {
          if (!current) throw notFound(`No item ${itemId}.`);
          if (current.pendingWearIds?.includes(input.wearId)) return undefined;
          if ((await wears.get(recordId, userId))?.applied) return undefined;
          return {
            ...current,
            wearCount: (current.wearCount ?? 0) + 1,
            lastWornAt: laterOf(current.lastWornAt ?? null, wornAt),
            pendingWearIds: [...(current.pendingWearIds ?? []), input.wearId],
            updatedAt: now().toISOString(),
          };
        });
        if (!counted) throw notFound(`No item ${itemId}.`);
        const result: WearResult = { itemId, wearId: input.wearId, wornAt, wearCount: counted.wearCount, lastWornAt: counted.lastWornAt ?? wornAt };
        record = await readModifyWrite(wears, recordId, userId, (current) => (!current || current.applied ? undefined : { ...current, applied: true, result }));
      }
      await readModifyWrite(items, itemId, userId, (current) =>
        current?.pendingWearIds?.includes(input.wearId) ? { ...current, pendingWearIds: current.pendingWearIds.filter((id) => id !== input.wearId) } : undefined,
      );
      if (!record?.result) throw conflict('concurrent_update', 'The wear is being logged by another request; try again.');
      return record.result;
    },

    /** Every item of the user with this status, all pages. */
    async all(userId: string, status: WardrobeItem['status'] = 'active'): Promise<Stored<WardrobeItemDoc>[]> {
      const found: Stored<WardrobeItemDoc>[] = [];
      let continuation: string | undefined;
      do {
        const spec: QuerySpec = { partitionKey: userId, filters: [{ field: 'status', op: '=', value: status }], limit: PAGE, ...(continuation ? { continuation } : {}) };
        const page = await items.query(spec);
        found.push(...page.items);
        continuation = page.continuation;
      } while (continuation);
      return found;
    },

    /** Which of these ids the user has no item for. */
    async unknownIds(userId: string, ids: readonly string[]): Promise<string[]> {
      const found = await Promise.all(ids.map(async (id) => ((await items.get(id, userId)) ? undefined : id)));
      return found.filter((id): id is string => id !== undefined);
    },
  };
}
