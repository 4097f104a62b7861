/**
 * The PluckIt wardrobe on the document store: the list, item CRUD, wears (exactly once per
 * clientEventId) with their full history, and styling activities with the wear suggestions they
 * raise. Every read and write is scoped to the owner's partition, so another user's id is
 * simply absent (404).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readModifyWrite } from '../../../domain/documents.ts';
import { badRequest, conflict, DocumentExistsError, notFound } from '../../../domain/errors.ts';
import type { BlobStore, Clock, Document, DocumentRepository, DocumentStore, IdSource, Stored } from '../../../domain/ports.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { clientItemFields, compact, serverItemFields, type ClothingItemBody } from '../../../domain/wardrobe/item-rules.ts';
import { cursorOf, listPage, listQueryOf, pageSizeOf, type RawListQuery } from '../../../domain/wardrobe/items.ts';
import { historyRange, lapsed, MAX_SUGGESTIONS, newActivity, resolveOccurredAt, suggestionMessage, wearHistory, wearRecordId, withWear, type SuggestionStatus, type WearBody, type WearHistory, type WearRecord } from '../../../domain/wardrobe/wears.ts';
import { unwrapToken, wrapToken } from '../../../middleware/resources.ts';
import type { MediaSettings } from '../media/settings.ts';
import { presentItem } from './present.ts';
import { itemsContainer, stylingContainer, wearsContainer, type ClothingItemDoc, type StylingActivityDoc, type WearRecordDoc } from './store.ts';
import { deleteOwned, getOwned, replaceOwned } from './writes.ts';

export interface WardrobeItemsDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  settings: { media: MediaSettings };
}

const PAGE = 1000;
/** Ids the server makes: 32 lowercase hex, as upstream. */
const newId = () => randomBytes(16).toString('hex');

async function everything<T extends Document>(repository: DocumentRepository<T>, userId: string, filters: { field: string; op: '='; value: string }[] = []): Promise<Stored<T>[]> {
  const found: Stored<T>[] = [];
  let continuation: string | undefined;
  do {
    const page = await repository.query({ partitionKey: userId, filters, limit: PAGE, ...(continuation ? { continuation } : {}) });
    found.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return found;
}

export type ItemsService = ReturnType<typeof createItemsService>;

export function createItemsService(deps: WardrobeItemsDeps) {
  const items = deps.documents.repository<ClothingItemDoc>(itemsContainer);
  const wears = deps.documents.repository<WearRecordDoc>(wearsContainer);
  const activities = deps.documents.repository<StylingActivityDoc>(stylingContainer);
  const now = () => deps.clock.now();
  const missing = (id: string) => () => notFound(`No item ${id}.`);
  const find = (userId: string, id: string) => getOwned(items, id, userId, missing(id));
  const present = (item: StoredClothingItem) => presentItem(deps, item);

  /** The page's keyset, bound to the query by wrapToken; a token for another query or a forged one is 400. */
  function cursorFrom(query: unknown, token: string | undefined) {
    const inner = unwrapToken(query, token);
    if (inner === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(inner, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    return cursorOf(parsed);
  }

  /** Marks the activity's suggestion Accepted (a wear that answers it); a lapsed or settled one stays as it is. */
  async function accept(userId: string, activityId: string): Promise<void> {
    await readModifyWrite(activities, activityId, userId, (current) => (current?.status === 'Pending' ? { ...current, status: 'Accepted' as const } : undefined));
  }

  return {
    present,

    async list(userId: string, raw: RawListQuery) {
      const query = listQueryOf(raw);
      const after = cursorFrom(query, raw.continuationToken);
      const page = listPage(await everything<ClothingItemDoc>(items, userId), query, pageSizeOf(raw), after);
      const token = page.next && wrapToken(query, Buffer.from(JSON.stringify(page.next)).toString('base64url'));
      return { items: await Promise.all(page.items.map(present)), ...(token ? { nextContinuationToken: token } : {}) };
    },

    get: find,

    /** POST: a new item with a server id, the caller as owner, no wears, dateAdded now unless given. */
    async create(userId: string, body: ClothingItemBody): Promise<Stored<ClothingItemDoc>> {
      const fields = clientItemFields(body);
      // POST may name an external picture (a product page's); uploaded images come through drafts.
      const external = typeof body.imageUrl === 'string' && /^https?:\/\//i.test(body.imageUrl) ? body.imageUrl : undefined;
      return items.create(compact({ ...fields, id: newId(), userId, wearCount: 0, dateAdded: fields.dateAdded ?? isoSeconds(now()), externalImageUrl: external }));
    },

    /**
     * PUT: the client fields replaced as a whole; what the client cannot set (owner, wears,
     * images, draft state, the original dateAdded) is kept. Honours If-Match.
     */
    async replace(userId: string, id: string, body: ClothingItemBody, ifMatch?: readonly string[]): Promise<Stored<ClothingItemDoc>> {
      if (typeof body.id === 'string' && body.id.toLowerCase() !== id.toLowerCase()) {
        throw badRequest('validation_failed', 'ID in path and body must match.', [{ pointer: '/body/id', detail: 'must equal the id in the path' }]);
      }
      const fields = clientItemFields(body);
      return replaceOwned(items, id, userId, ifMatch, (current) => compact({ ...serverItemFields(current), ...fields, dateAdded: current.dateAdded ?? fields.dateAdded, id: current.id, userId }), missing(id));
    },

    /**
     * Deletes the item (honouring If-Match), then its images, its wear history and its styling
     * activities. A blob that cannot be deleted now is left to the orphan sweep rather than
     * failing a delete that already happened.
     */
    async remove(userId: string, id: string, ifMatch?: readonly string[]): Promise<void> {
      const current = await find(userId, id);
      await deleteOwned(items, id, userId, ifMatch, missing(id));
      const media = deps.settings.media;
      await Promise.allSettled([
        ...(current.imageBlob ? [deps.blobs.delete(media.imagesContainer, current.imageBlob)] : []),
        ...(current.rawImageBlob ? [deps.blobs.delete(media.archiveContainer, current.rawImageBlob)] : []),
      ]);
      const byItem = [{ field: 'itemId', op: '=' as const, value: id }];
      await Promise.all((await everything<WearRecordDoc>(wears, userId, byItem)).map((wear) => wears.delete(wear.id, userId)));
      await Promise.all((await everything<StylingActivityDoc>(activities, userId, byItem)).map((activity) => activities.delete(activity.id, userId)));
    },

    /**
     * Logs a wear exactly once per clientEventId (each call without one is a new wear), under
     * duplicates, concurrency and crashes:
     *
     * 1. create the wear record (`applied: false`); a duplicate finds the existing one;
     * 2. ETag-guarded update of the item (count, lastWornAt, wearEvents, lastWearActionId), which
     *    also adds the record id to `pendingWearIds`, unless it is already there or the record is
     *    already applied (both mean "counted");
     * 3. mark the record applied; 4. drop the marker.
     *
     * A crash after any step leaves a state from which a retry of the same clientEventId
     * completes the rest without counting twice. Answers the item as it is afterwards.
     */
    async wear(userId: string, itemId: string, body: WearBody): Promise<Stored<ClothingItemDoc>> {
      const item = await find(userId, itemId);
      if (body.clientEventId !== undefined && item.lastWearActionId === body.clientEventId) return item;
      const at = now();
      const recordId = wearRecordId(itemId, body.clientEventId ?? deps.ids.next());
      let record = await wears.get(recordId, userId);
      if (!record) {
        const fresh: WearRecordDoc = compact<WearRecordDoc>({
          id: recordId, userId, itemId,
          occurredAt: resolveOccurredAt(body.occurredAt, at),
          source: body.source ?? 'unknown',
          occasion: body.occasion, weatherSnapshot: body.weatherSnapshot, stylingActivityId: body.stylingActivityId, clientEventId: body.clientEventId,
          createdAt: isoSeconds(at), applied: false,
        });
        try {
          record = await wears.create(fresh);
        } catch (error) {
          if (!(error instanceof DocumentExistsError)) throw error;
          record = await wears.get(recordId, userId);
        }
        // Created and deleted (with its item) between two of our reads.
        if (!record) throw missing(itemId)();
      }
      if (!record.applied) {
        const counted = record;
        const written = await readModifyWrite(items, itemId, userId, async (current) => {
          if (!current) throw missing(itemId)();
          if (current.pendingWearIds?.includes(recordId)) return undefined;
          if ((await wears.get(recordId, userId))?.applied) return undefined;
          return { ...withWear(current, counted), pendingWearIds: [...(current.pendingWearIds ?? []), recordId] };
        });
        if (!written) throw missing(itemId)();
        record = await readModifyWrite(wears, recordId, userId, (current) => (!current || current.applied ? undefined : { ...current, applied: true }));
      }
      const settled = await readModifyWrite(items, itemId, userId, (current) =>
        current?.pendingWearIds?.includes(recordId) ? { ...current, pendingWearIds: current.pendingWearIds.filter((id) => id !== recordId) } : undefined,
      );
      if (!record) throw conflict('concurrent_update', 'The wear is being logged by another request; try again.');
      if (record.stylingActivityId) await accept(userId, record.stylingActivityId);
      return settled ?? find(userId, itemId);
    },

    async history(userId: string, itemId: string, from?: string, to?: string): Promise<WearHistory> {
      const range = historyRange(from, to);
      const item = await find(userId, itemId);
      const records = await everything<WearRecordDoc>(wears, userId, [{ field: 'itemId', op: '=', value: itemId }]);
      const plain = records.map(({ etag: _etag, ...record }) => record as WearRecord);
      return wearHistory(item, plain, range);
    },

    /** Records a styling activity once per clientEventId (its id derives from it); the item must be the caller's. */
    async recordActivity(userId: string, input: { itemId: string; clientEventId?: string; activityType?: string; source?: string; occurredAt?: string }) {
      await find(userId, input.itemId);
      const id = input.clientEventId ? createHash('sha256').update(`${userId}\n${input.clientEventId}`).digest('hex').slice(0, 32) : newId();
      try {
        await activities.create(newActivity({ ...input, id, userId }, now()) as StylingActivityDoc);
      } catch (error) {
        if (!(error instanceof DocumentExistsError)) throw error;
      }
      return { status: 'recorded' as const, activityId: id };
    },

    /**
     * Pending suggestions, newest first, one per item, at most 20. One that lapsed (three days
     * on, the item worn since, or the item gone) is marked Expired on the way.
     */
    async suggestions(userId: string) {
      const pending = await everything<StylingActivityDoc>(activities, userId, [{ field: 'status', op: '=', value: 'Pending' }]);
      pending.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0));
      const at = now();
      const seen = new Set<string>();
      const out = [];
      for (const activity of pending) {
        if (out.length === MAX_SUGGESTIONS) break;
        if (seen.has(activity.itemId)) continue;
        const item = await items.get(activity.itemId, userId);
        if (lapsed(activity, item, at)) {
          await readModifyWrite(activities, activity.id, userId, (current) => (current?.status === 'Pending' ? { ...current, status: 'Expired' as const } : undefined));
          continue;
        }
        seen.add(activity.itemId);
        const { imageUrl } = await present(item!);
        out.push({ suggestionId: activity.id, itemId: activity.itemId, message: suggestionMessage(item!), activityAt: activity.occurredAt, expiresAt: activity.suggestionExpiresAt, ...(imageUrl ? { imageUrl } : {}) });
      }
      return { suggestions: out };
    },

    async settleSuggestion(userId: string, suggestionId: string, status: Extract<SuggestionStatus, 'Accepted' | 'Dismissed'>) {
      const written = await readModifyWrite(activities, suggestionId, userId, (current) => {
        if (!current) throw notFound(`No suggestion ${suggestionId}.`);
        return { ...current, status };
      });
      if (!written) throw notFound(`No suggestion ${suggestionId}.`);
      return { status: 'updated' as const };
    },
  };
}
