/**
 * Ownership: every route that takes an id answers 404 (never 403) to another user, changes
 * nothing of the owner's, and no list or aggregate of one user shows another's data.
 */
import { describe, expect, it } from '@jest/globals';
import { setup } from './support.ts';

async function annsWardrobe() {
  const t = setup();
  const ann = t.as('ann');
  const created = (await ann.createItem({ name: 'Ann coat', category: 'outerwear', price: 100, currency: 'EUR' })).json;
  await ann.wear(created.id, { wearId: 'w1' });
  const item = (await ann.getItem(created.id)).json;
  const mood = (await ann.createMood({ name: 'Ann mood', palette: ['#1f2a44'], itemIds: [item.id] })).json;
  return { t, ann, bob: t.as('bob'), item, mood };
}

describe('another user', () => {
  it("gets 404 on every item and mood route that takes an id, and changes nothing of A's", async () => {
    const { ann, bob, item, mood } = await annsWardrobe();
    const attempts = {
      'GET item': await bob.getItem(item.id),
      'PATCH item': await bob.patchItem(item.id, { name: 'Bob now' }),
      'PATCH item with If-Match': await bob.patchItem(item.id, { name: 'Bob now' }, { 'if-match': item.etag }),
      'DELETE item': await bob.deleteItem(item.id),
      'DELETE item with If-Match': await bob.deleteItem(item.id, { 'if-match': item.etag }),
      'POST wear': await bob.wear(item.id, { wearId: 'w2' }),
      'POST wear, same wearId': await bob.wear(item.id, { wearId: 'w1' }),
      'GET mood': await bob.getMood(mood.id),
      'PATCH mood': await bob.patchMood(mood.id, { name: 'Bob mood' }),
      'PATCH mood naming her item': await bob.patchMood(mood.id, { itemIds: [item.id] }),
      'DELETE mood': await bob.deleteMood(mood.id),
      'POST suggest': await bob.suggest(mood.id),
    };
    for (const [route, reply] of Object.entries(attempts)) {
      expect([route, reply.statusCode, reply.json.code]).toEqual([route, 404, 'not_found']);
    }
    // Byte for byte as before, ETag included: nothing of Bob's reached Ann's documents.
    expect((await ann.getItem(item.id)).json).toEqual(item);
    expect(item).toMatchObject({ name: 'Ann coat', wearCount: 1 });
    expect((await ann.getMood(mood.id)).json).toEqual(mood);
  });

  it("cannot reference A's items in a mood of their own", async () => {
    const { bob, item } = await annsWardrobe();
    const reply = await bob.createMood({ name: 'Borrowed', itemIds: [item.id] });
    expect([reply.statusCode, reply.json.code]).toEqual([400, 'unknown_items']);
  });

  it("sees none of A's data in lists, insights or suggestions", async () => {
    const { t, bob } = await annsWardrobe();
    expect((await bob.listItems()).json).toEqual({ items: [] });
    expect((await bob.listItems('status=active')).json).toEqual({ items: [] });
    expect((await bob.listMoods()).json).toEqual({ items: [] });
    // Bob's own mood with A's palette: the offline ranking only ever looks at Bob's wardrobe.
    const own = (await bob.createMood({ name: 'Bob mood', palette: ['#1f2a44'] })).json.id as string;
    expect((await bob.suggest(own)).json.items).toEqual([]);
    expect(t.platform.lines.join('\n')).not.toContain('Ann coat');
  });
});
