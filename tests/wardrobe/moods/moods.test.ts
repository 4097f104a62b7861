/** Moods over HTTP (CRUD and suggestions), through the full stack, on the memory store with a fake model. */
import { describe, expect, it } from '@jest/globals';
import { OfflineLanguageModel } from '../../../adapters/ai/offline-model.ts';
import { ModelError } from '../../../domain/ai.ts';
import { colourDistance, MATCH_DISTANCE, ownedPicks, rankByPalette, summariseForModel, SUMMARY_LIMITS } from '../../../domain/wardrobe/moods.ts';
import { fakeModel, setup } from '../items/support.ts';

async function wardrobe(t: ReturnType<typeof setup>, user = 'ann') {
  const ids: Record<string, string> = {};
  for (const [key, colours] of [
    ['navy', [{ name: 'navy', hex: '#1f2a44' }]],
    ['sky', [{ name: 'light blue', hex: '#a0c4ff' }]],
    ['red', [{ name: 'red', hex: '#c0392b' }]],
    ['plain', []],
    ['navy2', [{ name: 'white', hex: '#ffffff' }, { name: 'navy', hex: '#22304d' }]],
  ] as const) {
    ids[key] = (await t.as(user).createItem({ name: `Item ${key}`, category: 'tops', colours })).json.id;
  }
  return ids;
}

describe('mood CRUD', () => {
  it('creates, reads, patches (null clears the description) and deletes a mood', async () => {
    const t = setup();
    const ann = t.as('ann');
    const ids = await wardrobe(t);
    const created = await ann.createMood({ name: ' Harbour  evening ', description: 'Dark blues', palette: ['#1F2A44', '#1f2a44', '#A0C4FF'], itemIds: [ids.navy] });
    expect(created.statusCode).toBe(201);
    expect(created.json).toEqual({
      id: 'id-0006', userId: 'ann', name: 'Harbour evening', description: 'Dark blues', palette: ['#1f2a44', '#a0c4ff'], itemIds: [ids.navy],
      createdAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-22T10:00:00.000Z', etag: created.headers.etag,
    });
    expect(created.headers.location).toBe('/api/moods/id-0006');
    expect((await ann.getMood('id-0006')).json).toEqual(created.json);
    const patched = await ann.patchMood('id-0006', { description: null, itemIds: [ids.sky, ids.navy] });
    expect(patched.json).toMatchObject({ name: 'Harbour evening', description: null, palette: ['#1f2a44', '#a0c4ff'], itemIds: [ids.sky, ids.navy] });
    expect((await ann.patchMood('id-0006', { name: 'x' }, { 'if-match': created.headers.etag! })).statusCode).toBe(412);
    expect((await ann.patchMood('id-0006', { name: 'Night' }, { 'if-match': patched.headers.etag! })).json.name).toBe('Night');
    expect((await ann.deleteMood('id-0006')).statusCode).toBe(204);
    expect((await ann.deleteMood('id-0006')).statusCode).toBe(404);
    expect((await ann.getMood('id-0006')).statusCode).toBe(404);
  });

  it('refuses item ids the user does not own with 400 unknown_items naming each, and stores nothing', async () => {
    const t = setup();
    const ids = await wardrobe(t);
    const bobs = (await t.as('bob').createItem({ name: 'Bob shirt', category: 'tops' })).json.id as string;
    const reply = await t.as('ann').createMood({ name: 'Mixed', itemIds: [ids.navy, 'ghost', bobs] });
    expect(reply.statusCode).toBe(400);
    expect(reply.json.code).toBe('unknown_items');
    expect(reply.json.errors).toEqual([{ pointer: '/body/itemIds/1', detail: 'no item ghost' }, { pointer: '/body/itemIds/2', detail: `no item ${bobs}` }]);
    expect((await t.as('ann').listMoods()).json.items).toEqual([]);
    const mood = (await t.as('ann').createMood({ name: 'Ok' })).json.id as string;
    expect((await t.as('ann').patchMood(mood, { itemIds: ['ghost'] })).json.code).toBe('unknown_items');
    expect((await t.as('ann').getMood(mood)).json.itemIds).toEqual([]);
  });

  it('validates the body: palette hex colours, a non-blank name, no system fields', async () => {
    const t = setup();
    const ann = t.as('ann');
    expect((await ann.createMood({ name: 'x', palette: ['blue'] })).statusCode).toBe(400);
    expect((await ann.createMood({ name: '  ' })).json.errors).toEqual([{ pointer: '/body/name', detail: 'must not be blank' }]);
    expect((await ann.createMood({ name: 'x', userId: 'bob' })).statusCode).toBe(400);
    expect((await ann.createMood({ name: 'x', itemIds: ['a', 'a'] })).statusCode).toBe(400);
    expect((await ann.listMoods()).json.items).toEqual([]);
  });

  it('lists newest first, a page at a time', async () => {
    const t = setup();
    for (const name of ['One', 'Two', 'Three']) {
      await t.as('ann').createMood({ name });
      t.clock.advance(1000);
    }
    const first = await t.as('ann').listMoods('limit=2');
    expect(first.json.items.map((m: { name: string }) => m.name)).toEqual(['Three', 'Two']);
    const second = await t.as('ann').listMoods(`limit=2&continuation=${first.json.continuation}`);
    expect(second.json.items.map((m: { name: string }) => m.name)).toEqual(['One']);
    expect(second.json.continuation).toBeUndefined();
  });
});

describe('mood suggestions', () => {
  it("offline: ranks the user's items by palette distance, deterministically", async () => {
    const t = setup();
    const ids = await wardrobe(t);
    const mood = (await t.as('ann').createMood({ name: 'Navy', palette: ['#1f2a44'] })).json.id as string;
    const reply = await t.as('ann').suggest(mood, { limit: 3 });
    expect(reply.statusCode).toBe(200);
    // navy is exact, navy2 has a near-navy, sky blue and red are far, plain has no colours.
    expect(reply.json.items.map((i: { id: string }) => i.id)).toEqual([ids.navy, ids.navy2]);
    expect(reply.json).toMatchObject({ moodId: mood, model: 'fake-model', offline: false });
    expect(reply.json.reasoning).toMatch(/^Offline palette match: Item navy \(ΔE 0\.0\), Item navy2/);
    expect((await t.as('ann').suggest(mood, { limit: 3 })).json).toEqual(reply.json);
  });

  it('through the real offline provider: the ranking passes its schema check and is labelled offline', async () => {
    const t = setup({ model: new OfflineLanguageModel() });
    const ids = await wardrobe(t);
    const mood = (await t.as('ann').createMood({ name: 'Sky', palette: ['#a0c4ff', '#ffffff'] })).json.id as string;
    const reply = await t.as('ann').suggest(mood);
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toMatchObject({ model: 'offline', offline: true });
    // Exact white (navy2) and exact sky blue tie at ΔE 0: by name.
    expect(reply.json.items.map((i: { id: string }) => i.id)).toEqual([ids.navy2, ids.sky]);
  });

  it("never returns what the model invents or another user's items, and caps at the limit", async () => {
    const bobItem = 'id-0001';
    const model = fakeModel(() => ({ itemIds: [bobItem, 'invented', 'id-0003', 'id-0003', 'id-0004', 'id-0005', 42], reasoning: 'Because.' }));
    const t = setup({ model });
    await t.as('bob').createItem({ name: 'Bob coat', category: 'outerwear' });
    await wardrobe(t);
    const mood = (await t.as('ann').createMood({ name: 'Any' })).json.id as string;
    const reply = await t.as('ann').suggest(mood, { limit: 2 });
    expect(reply.json.items.map((i: { id: string }) => i.id)).toEqual(['id-0003', 'id-0004']);
    expect(reply.json.reasoning).toBe('Because.');
    // The prompt carried Ann's items only, as data.
    const prompt = model.requests[0]!.messages.at(-1)!.content;
    expect(prompt).toContain('"id":"id-0002"');
    expect(prompt).not.toContain('Bob coat');
    expect(model.requests[0]!.schema.name).toBe('mood_suggestion');
  });

  it("joins the model call to the caller's trace and request id, and ignores a malformed traceparent", async () => {
    const model = fakeModel((offline) => offline());
    const t = setup({ model });
    const mood = (await t.as('ann').createMood({ name: 'Any' })).json.id as string;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await t.as('ann').suggest(mood, {}, { traceparent, 'x-request-id': 'req-trace-1' });
    expect(model.requests[0]).toMatchObject({ traceparent, requestId: 'req-trace-1' });
    for (const bad of ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'garbage']) {
      await t.as('ann').suggest(mood, {}, { traceparent: bad });
      expect(model.requests.at(-1)!.traceparent).toBeUndefined();
    }
  });

  it('passes a ModelError through as its problem, and anything else as 503', async () => {
    const failing = setup({ model: fakeModel(() => { throw new ModelError('rate_limited', { retryAfterSeconds: 7 }); }) });
    const mood = (await failing.as('ann').createMood({ name: 'x' })).json.id as string;
    const limited = await failing.as('ann').suggest(mood);
    expect([limited.statusCode, limited.json.code, limited.headers['retry-after']]).toEqual([503, 'model_rate_limited', '7']);
    const broken = setup({ model: fakeModel(() => { throw new TypeError('socket hang up'); }) });
    const mood2 = (await broken.as('ann').createMood({ name: 'x' })).json.id as string;
    const reply = await broken.as('ann').suggest(mood2);
    expect([reply.statusCode, reply.json.code]).toEqual([503, 'unavailable']);
  });

  it('404s an unknown mood before asking the model', async () => {
    const model = fakeModel((offline) => offline());
    const t = setup({ model });
    expect((await t.as('ann').suggest('nope')).statusCode).toBe(404);
    expect(model.requests).toEqual([]);
  });
});

describe('palette maths and the model summary (pure)', () => {
  it('measures CIE76 distance: identical 0, black to white 100', () => {
    expect(colourDistance('#123456', '#123456')).toBe(0);
    expect(colourDistance('#000000', '#ffffff')).toBeCloseTo(100, 3);
    expect(colourDistance('#000000', 'black')).toBeUndefined();
  });

  it('ranks only items within MATCH_DISTANCE, ties by name then id', () => {
    const item = (id: string, name: string, hex: string) => ({ id, name, category: 'tops', tags: [], colours: [{ name: 'c', hex }] });
    const items = [item('3', 'B', '#ff0000'), item('2', 'A', '#ff0000'), item('1', 'A', '#ff0000'), item('4', 'Far', '#00ff00')];
    expect(colourDistance('#ff0000', '#00ff00')!).toBeGreaterThan(MATCH_DISTANCE);
    expect(rankByPalette(items, ['#ff0000'], 10).itemIds).toEqual(['1', '2', '3']);
    expect(rankByPalette(items, [], 10)).toEqual({ itemIds: [], reasoning: 'The mood has no palette to match against.' });
  });

  it('bounds the summary by item count and characters', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: `i${i}`, name: 'n'.repeat(500), category: 'tops', tags: ['a', 'b', 'c', 'd', 'e', 'f'], colours: [] }));
    const { lines, candidateIds } = summariseForModel(many);
    expect(candidateIds.length).toBeLessThanOrEqual(SUMMARY_LIMITS.items);
    expect(lines.length).toBeLessThanOrEqual(SUMMARY_LIMITS.chars);
    expect(JSON.parse(lines.split('\n')[0]!)).toEqual({ id: 'i0', name: 'n'.repeat(60), category: 'tops', colours: [], tags: ['a', 'b', 'c', 'd', 'e'] });
  });

  it('keeps only owned, distinct, string ids from any answer shape', () => {
    expect(ownedPicks({ itemIds: ['a', 'x', 'a', 7, 'b'] }, ['a', 'b'], 5)).toEqual(['a', 'b']);
    expect(ownedPicks(null, ['a'], 5)).toEqual([]);
    expect(ownedPicks({ itemIds: 'a' }, ['a'], 5)).toEqual([]);
  });
});
