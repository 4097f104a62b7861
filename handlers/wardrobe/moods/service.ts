/** Moods on the document store, scoped to the owner's partition; item ids are checked against the owner's items. */
import { badRequest, notFound } from '../../../domain/errors.ts';
import type { Stored } from '../../../domain/ports.ts';
import { normalisePalette, type Mood } from '../../../domain/wardrobe/moods.ts';
import { unwrapToken, wrapToken } from '../../../middleware/resources.ts';
import { createItemsService, type ItemsDeps } from '../items/legacy.ts';
import { deleteOwned, getOwned, replaceOwned } from '../items/writes.ts';
import { moodsContainer, type MoodDoc } from './store.ts';

export type MoodView = Mood & { etag: string };
export interface MoodInput {
  name: string;
  description?: string;
  palette?: string[];
  itemIds?: string[];
}
export type MoodPatch = Partial<Omit<MoodInput, 'description'>> & { description?: string | null };

const toView = ({ expiresAt: _expires, ...mood }: Stored<MoodDoc>): MoodView => mood as MoodView;

export type MoodsService = ReturnType<typeof createMoodsService>;

export function createMoodsService(deps: ItemsDeps) {
  const moods = deps.documents.repository<MoodDoc>(moodsContainer);
  const items = createItemsService(deps);

  /** Refuses ids the caller owns no item for, naming each (another user's item is unknown too). */
  async function ownedItemIds(userId: string, ids: readonly string[]): Promise<string[]> {
    const unknown = await items.unknownIds(userId, ids);
    if (unknown.length) {
      throw badRequest(
        'unknown_items',
        `No such items: ${unknown.join(', ')}.`,
        unknown.map((id) => ({ pointer: `/body/itemIds/${ids.indexOf(id)}`, detail: `no item ${id}` })),
      );
    }
    return [...ids];
  }

  const missing = (id: string) => () => notFound(`No mood ${id}.`);
  const find = (userId: string, id: string) => getOwned(moods, id, userId, missing(id));

  const blankName = () => badRequest('validation_failed', 'Invalid mood: /body/name must not be blank.', [{ pointer: '/body/name', detail: 'must not be blank' }]);
  const cleanName = (name: string) => {
    const clean = name.trim().replace(/\s+/g, ' ');
    if (!clean) throw blankName();
    return clean;
  };
  const cleanDescription = (description: string | null | undefined) => (description == null ? null : description.trim() || null);

  return {
    find,

    async list(userId: string, options: { limit: number; continuation?: string }): Promise<{ items: MoodView[]; continuation?: string }> {
      const continuation = unwrapToken('moods', options.continuation);
      const page = await moods.query({ partitionKey: userId, orderBy: { field: 'createdAt', direction: 'desc' }, limit: options.limit, ...(continuation ? { continuation } : {}) });
      const token = wrapToken('moods', page.continuation);
      return { items: page.items.map(toView), ...(token ? { continuation: token } : {}) };
    },

    async create(userId: string, input: MoodInput): Promise<MoodView> {
      const name = cleanName(input.name);
      const itemIds = await ownedItemIds(userId, input.itemIds ?? []);
      const stamp = deps.clock.now().toISOString();
      const mood: MoodDoc = {
        id: deps.ids.next(),
        userId,
        name,
        description: cleanDescription(input.description),
        palette: normalisePalette(input.palette ?? []),
        itemIds,
        createdAt: stamp,
        updatedAt: stamp,
      };
      return toView(await moods.create(mood));
    },

    async get(userId: string, id: string): Promise<MoodView> {
      return toView(await find(userId, id));
    },

    async update(userId: string, id: string, patch: MoodPatch, ifMatch?: readonly string[]): Promise<MoodView> {
      const name = patch.name === undefined ? undefined : cleanName(patch.name);
      // Another user's mood is absent before anything about the body is judged.
      await find(userId, id);
      // Checked once, before the write: ownership of an item does not change under a retry.
      const itemIds = patch.itemIds === undefined ? undefined : await ownedItemIds(userId, patch.itemIds);
      const next = (current: Stored<MoodDoc>): MoodDoc => ({
        ...current,
        ...(name !== undefined ? { name } : {}),
        ...('description' in patch ? { description: cleanDescription(patch.description) } : {}),
        ...(patch.palette !== undefined ? { palette: normalisePalette(patch.palette) } : {}),
        ...(itemIds !== undefined ? { itemIds } : {}),
        updatedAt: deps.clock.now().toISOString(),
      });
      return toView(await replaceOwned(moods, id, userId, ifMatch, next, missing(id)));
    },

    async remove(userId: string, id: string, ifMatch?: readonly string[]): Promise<void> {
      await deleteOwned(moods, id, userId, ifMatch, missing(id));
    },
  };
}
