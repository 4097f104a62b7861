/**
 * Reads of the pre-issue-16 item shape, kept only so the areas other branches are moving to
 * `StoredClothingItem` (insights, moods, scraper) compile and pass their tests meanwhile.
 * Nothing in the items area uses it; delete it when those areas have moved.
 */
import type { JsonSchema } from '../../../kernel/functions.ts';
import type { Clock, DocumentStore, IdSource, QuerySpec, Stored } from '../../../domain/ports.ts';
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';
import { itemsContainer, type WardrobeItemDoc } from './store.ts';

export interface ItemsDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
}

/** An old-shape item as its routes answered it. */
export type ItemView = WardrobeItem & { etag: string };

export function toView(doc: Stored<WardrobeItemDoc>): ItemView {
  const { pendingWearIds: _pending, expiresAt: _expires, ...item } = doc;
  return item as ItemView;
}

const PAGE = 1000;

export function createItemsService(deps: ItemsDeps) {
  const items = deps.documents.repository<WardrobeItemDoc>(itemsContainer);
  return {
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

const nullable = (type: string): JsonSchema => ({ type: [type, 'null'] });

/** The old-shape item as the scraper's import route still answers it (API docs only). */
export const legacyItemResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'category', 'colours', 'tags', 'wearCount', 'lastWornAt', 'status', 'createdAt', 'updatedAt', 'etag'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    status: { enum: ['active', 'draft'] },
    colours: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, hex: { type: 'string' } } } },
    brand: nullable('string'),
    price: nullable('number'),
    currency: nullable('string'),
    imageId: nullable('string'),
    imageUrl: nullable('string'),
    tags: { type: 'array', items: { type: 'string' } },
    purchaseDate: nullable('string'),
    wearCount: { type: 'integer' },
    lastWornAt: nullable('string'),
    source: nullable('object'),
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    etag: { type: 'string' },
  },
};
