/** Wardrobe items over HTTP, through the full stack, on the memory store. */
import { describe, expect, it } from '@jest/globals';
import { itemsContainer, wearsContainer, type WardrobeItemDoc, type WearRecordDoc } from '../../../handlers/wardrobe/items/store.ts';
import { setup } from './support.ts';

const shirt = { name: 'Oxford shirt', category: 'tops' };

describe('creating items', () => {
  it('needs only name and category, fills the rest, normalises, and sends the ETag and Location', async () => {
    const t = setup();
    const reply = await t.as('ann').createItem({ ...shirt, tags: [' Casual ', 'casual', 'Summer  Work'], colours: [{ name: ' Sky Blue ', hex: '#A0C4FF' }], currency: 'eur', price: 39.9, brand: '  Acme  ' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json).toEqual({
      id: 'id-0001', userId: 'ann', name: 'Oxford shirt', category: 'tops', colours: [{ name: 'sky blue', hex: '#a0c4ff' }], brand: 'Acme', price: 39.9, currency: 'EUR',
      imageId: null, imageUrl: null, tags: ['casual', 'summer work'], purchaseDate: null, wearCount: 0, lastWornAt: null, status: 'active', source: null,
      createdAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-22T10:00:00.000Z', etag: reply.headers.etag,
    });
    expect(reply.headers.location).toBe('/api/wardrobe/items/id-0001');
    expect((await t.as('ann').getItem('id-0001')).json).toEqual(reply.json);
  });

  it.each([
    ['a client-set id', { ...shirt, id: 'mine' }, '/body/id'],
    ['a client-set wearCount', { ...shirt, wearCount: 5 }, '/body/wearCount'],
    ['a client-set etag', { ...shirt, etag: '"x"' }, '/body/etag'],
    ['a client-set ttl', { ...shirt, ttl: 1 }, '/body/ttl'],
    ['a missing category', { name: 'x' }, '/body/category'],
    ['a blank name', { ...shirt, name: '   ' }, '/body/name'],
    ['a negative price', { ...shirt, price: -1, currency: 'EUR' }, '/body/price'],
    ['a price without currency', { ...shirt, price: 10 }, '/body/currency'],
    ['an unknown currency', { ...shirt, price: 10, currency: 'XQZ' }, '/body/currency'],
    ['cents on a yen price', { ...shirt, price: 10.5, currency: 'JPY' }, '/body/price'],
    ['three decimals on a euro price', { ...shirt, price: 10.125, currency: 'EUR' }, '/body/price'],
    ['a future purchase date', { ...shirt, purchaseDate: '2026-11-24' }, '/body/purchaseDate'],
    ['an impossible date', { ...shirt, purchaseDate: '2026-02-30' }, '/body/purchaseDate'],
    ['a non-http image URL', { ...shirt, imageUrl: 'ftp://example.com/a.png' }, '/body/imageUrl'],
    ['a bad colour hex', { ...shirt, colours: [{ name: 'red', hex: 'red' }] }, '/body/colours/0/hex'],
    ['too many tags', { ...shirt, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, '/body/tags'],
  ])('refuses %s (400 naming the field), storing nothing', async (_what, body, pointer) => {
    const t = setup();
    const reply = await t.as('ann').createItem(body);
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json.code).toBe('validation_failed');
    expect(reply.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect((await t.as('ann').listItems()).json.items).toEqual([]);
  });

  it("accepts a purchase date that is already today somewhere (UTC+14), and a 3-decimal dinar price", async () => {
    const t = setup();
    expect((await t.as('ann').createItem({ ...shirt, purchaseDate: '2026-11-23' })).statusCode).toBe(201);
    expect((await t.as('ann').createItem({ ...shirt, price: 1.125, currency: 'KWD' })).json).toMatchObject({ price: 1.125, currency: 'KWD' });
  });

  it('answers 401 without a token', async () => {
    const t = setup();
    const reply = await t.call(t.items.create, undefined, { method: 'POST', path: '/api/wardrobe/items', body: shirt });
    expect(reply.statusCode).toBe(401);
  });
});

describe('updating and deleting items', () => {
  it('patches some fields, clears optional ones with null, and keeps the rest', async () => {
    const t = setup();
    const ann = t.as('ann');
    await t.seedImage('ann', 'img-1');
    await ann.createItem({ ...shirt, brand: 'Acme', price: 30, currency: 'EUR', tags: ['a'], imageId: 'img-1' });
    t.clock.advance(60_000);
    const reply = await ann.patchItem('id-0001', { brand: null, tags: null, price: 35.5, status: 'draft' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toMatchObject({ name: 'Oxford shirt', brand: null, tags: [], price: 35.5, currency: 'EUR', imageId: 'img-1', status: 'draft', updatedAt: '2026-11-22T10:01:00.000Z', createdAt: '2026-11-22T10:00:00.000Z' });
    expect(reply.headers.etag).toBe(reply.json.etag);
  });

  it('checks the merged item: clearing the currency of a priced item is refused, and nothing changes', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem({ ...shirt, price: 30, currency: 'EUR' });
    const reply = await ann.patchItem('id-0001', { currency: null });
    expect(reply.statusCode).toBe(400);
    expect((await ann.getItem('id-0001')).json).toMatchObject({ price: 30, currency: 'EUR' });
    expect((await ann.patchItem('id-0001', { price: null, currency: null })).json).toMatchObject({ price: null, currency: null });
  });

  it('refuses an empty patch and system fields', async () => {
    const t = setup();
    await t.as('ann').createItem(shirt);
    expect((await t.as('ann').patchItem('id-0001', {})).statusCode).toBe(400);
    expect((await t.as('ann').patchItem('id-0001', { wearCount: 3 })).statusCode).toBe(400);
    expect((await t.as('ann').patchItem('id-0001', { name: null })).statusCode).toBe(400);
  });

  it("honours If-Match: the current ETag writes, a stale one is 412 precondition_failed and changes nothing", async () => {
    const t = setup();
    const ann = t.as('ann');
    const created = await ann.createItem(shirt);
    const first = await ann.patchItem('id-0001', { name: 'First' }, { 'if-match': created.headers.etag! });
    expect(first.statusCode).toBe(200);
    const stale = await ann.patchItem('id-0001', { name: 'Second' }, { 'if-match': created.headers.etag! });
    expect(stale.statusCode).toBe(412);
    expect(stale.json.code).toBe('precondition_failed');
    expect((await ann.getItem('id-0001')).json.name).toBe('First');
    expect((await ann.deleteItem('id-0001', { 'if-match': created.headers.etag! })).statusCode).toBe(412);
    expect((await ann.patchItem('id-0001', { name: 'Any' }, { 'if-match': '*' })).statusCode).toBe(200);
  });

  it('merges concurrent patches of different fields without If-Match (ETag retry): none is lost', async () => {
    const t = setup();
    const ann = t.as('ann');
    await t.seedImage('ann', 'img-7');
    await ann.createItem(shirt);
    const replies = await Promise.all([
      ann.patchItem('id-0001', { brand: 'Acme' }),
      ann.patchItem('id-0001', { imageId: 'img-7' }),
      ann.patchItem('id-0001', { tags: ['x'] }),
      ann.patchItem('id-0001', { purchaseDate: '2025-01-02' }),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await ann.getItem('id-0001')).json).toMatchObject({ brand: 'Acme', imageId: 'img-7', tags: ['x'], purchaseDate: '2025-01-02' });
  });

  it('deletes an item and its wear history: 204, then 404', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem(shirt);
    await ann.createItem({ name: 'Other', category: 'tops' });
    await ann.wear('id-0001', { wearId: 'w1' });
    await ann.wear('id-0002', { wearId: 'w1' });
    expect((await ann.deleteItem('id-0001')).statusCode).toBe(204);
    expect((await ann.deleteItem('id-0001')).statusCode).toBe(404);
    expect((await ann.getItem('id-0001')).statusCode).toBe(404);
    const wears = await t.documents.repository<WearRecordDoc>(wearsContainer).query({ partitionKey: 'ann', limit: 10 });
    expect(wears.items.map((w) => w.itemId)).toEqual(['id-0002']);
  });

  it('refuses ids the store cannot hold with 400 invalid_id', async () => {
    const t = setup();
    expect((await t.as('ann').getItem('a/b')).json.code).toBe('invalid_id');
  });
});

describe('image references', () => {
  it("refuses another user's imageId and one that does not exist, on create and on patch, with 400 unknown_image, and stores nothing", async () => {
    const t = setup();
    await t.seedImage('ann', 'img-ann');
    await t.seedImage('bob', 'img-bob');
    const ann = t.as('ann');
    const refusals = [
      await ann.createItem({ ...shirt, imageId: 'img-bob' }),
      await ann.createItem({ ...shirt, imageId: 'img-nobody' }),
    ];
    expect((await ann.listItems()).json.items).toEqual([]);
    const own = await ann.createItem({ ...shirt, imageId: 'img-ann' });
    expect([own.statusCode, own.json.imageId]).toEqual([201, 'img-ann']);
    refusals.push(await ann.patchItem(own.json.id, { imageId: 'img-bob' }), await ann.patchItem(own.json.id, { imageId: 'img-nobody' }));
    for (const reply of refusals) {
      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json).toMatchObject({ code: 'unknown_image', errors: [{ pointer: '/body/imageId', detail: 'is not one of your images' }] });
    }
    // The same answer for another user's image and for none: nothing tells Ann that img-bob exists.
    expect(refusals[0]!.json.detail).toBe(refusals[1]!.json.detail);
    expect((await ann.getItem(own.json.id)).json.imageId).toBe('img-ann');
    // Clearing the reference, or leaving it out, needs no image.
    expect((await ann.patchItem(own.json.id, { imageId: null })).json.imageId).toBeNull();
    expect((await ann.patchItem(own.json.id, { name: 'Renamed' })).statusCode).toBe(200);
  });
});

describe('stored text', () => {
  const refused = (reply: { statusCode: number; headers: Record<string, string>; json: Record<string, unknown> }) => [reply.statusCode, reply.headers['content-type'], reply.json.code];

  it('refuses unpaired surrogates in any string of the body with 400 invalid_unicode', async () => {
    const t = setup();
    const ann = t.as('ann');
    for (const body of ['{"name":"\\ud800","category":"tops"}', '{"name":"Coat","category":"tops","tags":["a\\udc00b"]}', '{"name":"x\\udbff","category":"tops"}', '{"name":"Coat","category":"tops","\\ud800":1}']) {
      expect(refused(await t.call(t.items.create, 'ann', { method: 'POST', path: '/api/wardrobe/items', rawBody: body }))).toEqual([400, 'application/problem+json', 'invalid_unicode']);
    }
    expect((await ann.listItems()).json.items).toEqual([]);
    // A well-formed pair, escaped or not, is an ordinary character.
    expect((await t.call(t.items.create, 'ann', { method: 'POST', path: '/api/wardrobe/items', rawBody: '{"name":"Coat \\ud83d\\ude00 😀","category":"tops"}' })).json.name).toBe('Coat 😀 😀');
  });

  it('refuses bidirectional overrides and isolates, line breaks and controls in names and short fields, naming the field', async () => {
    const t = setup();
    const ann = t.as('ann');
    const bad = ['\u202e', '\u202a', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u0085', '\ufeff', '\n', '\t'];
    for (const char of bad) {
      for (const [body, pointer] of [
        [{ name: `Coat${char}gpj.exe`, category: 'tops' }, '/body/name'],
        [{ name: 'Coat', category: `tops${char}` }, '/body/category'],
        [{ name: 'Coat', category: 'tops', brand: `Ac${char}me` }, '/body/brand'],
        [{ name: 'Coat', category: 'tops', tags: [`a${char}`] }, '/body/tags/0'],
        [{ name: 'Coat', category: 'tops', colours: [{ name: `navy${char}`, hex: '#000080' }] }, '/body/colours/0/name'],
      ] as const) {
        const reply = await ann.createItem(body);
        expect([char.codePointAt(0), ...refused(reply)]).toEqual([char.codePointAt(0), 400, 'application/problem+json', 'validation_failed']);
        expect(reply.json.errors).toEqual([{ pointer, detail: 'must match format "plain-text"' }]);
      }
    }
    expect((await ann.listItems()).json.items).toEqual([]);
    // Every script, emoji with joiners, and the implicit direction marks are plain text.
    for (const name of ['Чёрное пальто', 'معطف أسود', 'מעיל \u200f', '黒いコート', '👩\u200d👩\u200d👧 coat', 'café ½']) {
      const reply = await ann.createItem({ name, category: 'tops' });
      expect([reply.statusCode, reply.json.name]).toEqual([201, name]);
    }
  });
});

describe('listing items', () => {
  async function seeded() {
    const t = setup();
    const ann = t.as('ann');
    for (const [name, category, status] of [['Coat', 'outerwear', 'active'], ['Apron', 'tops', 'active'], ['Boots', 'shoes', 'draft'], ['Denim', 'Bottoms ', 'active'], ['Eton', 'tops', 'active']] as const) {
      await ann.createItem({ name, category, status });
      t.clock.advance(1000);
    }
    return { t, ann };
  }

  it('pages newest first with an opaque continuation, neither skipping nor repeating', async () => {
    const { ann } = await seeded();
    const names: string[] = [];
    let query = 'limit=2';
    let pages = 0;
    for (;;) {
      const page = await ann.listItems(query);
      expect(page.statusCode).toBe(200);
      names.push(...page.json.items.map((item: { name: string }) => item.name));
      pages++;
      if (!page.json.continuation) break;
      query = `limit=2&continuation=${encodeURIComponent(page.json.continuation)}`;
    }
    expect(names).toEqual(['Eton', 'Denim', 'Boots', 'Apron', 'Coat']);
    expect(pages).toBe(3);
  });

  it('filters by category (normalised) and status, drafts included unless filtered, and sorts by name', async () => {
    const { ann } = await seeded();
    expect((await ann.listItems('category=TOPS&sort=name')).json.items.map((i: { name: string }) => i.name)).toEqual(['Apron', 'Eton']);
    expect((await ann.listItems('category=bottoms')).json.items.map((i: { name: string }) => i.name)).toEqual(['Denim']);
    expect((await ann.listItems('status=draft')).json.items.map((i: { name: string }) => i.name)).toEqual(['Boots']);
    expect((await ann.listItems('sort=-name')).json.items.map((i: { name: string }) => i.name)).toEqual(['Eton', 'Denim', 'Coat', 'Boots', 'Apron']);
  });

  it('refuses a continuation from another query, a forged one, and an unknown parameter', async () => {
    const { ann } = await seeded();
    const token = (await ann.listItems('limit=1&sort=name')).json.continuation as string;
    expect((await ann.listItems(`limit=1&sort=-name&continuation=${token}`)).json.code).toBe('invalid_continuation');
    expect((await ann.listItems('continuation=bm9wZQ')).json.code).toBe('invalid_continuation');
    expect((await ann.listItems('userId=bob')).statusCode).toBe(400);
  });
});

describe('logging wears', () => {
  it('counts a wear once per wearId: a repeat changes nothing and answers the same', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem(shirt);
    const first = await ann.wear('id-0001', { wearId: 'w-1', wornAt: '2026-11-20T08:00:00Z' });
    expect(first.statusCode).toBe(200);
    expect(first.json).toEqual({ itemId: 'id-0001', wearId: 'w-1', wornAt: '2026-11-20T08:00:00.000Z', wearCount: 1, lastWornAt: '2026-11-20T08:00:00.000Z' });
    await ann.wear('id-0001', { wearId: 'w-2', wornAt: '2026-11-21T08:00:00Z' });
    const again = await ann.wear('id-0001', { wearId: 'w-1', wornAt: '2026-11-22T09:00:00Z' });
    expect(again.json).toEqual(first.json);
    expect((await ann.getItem('id-0001')).json).toMatchObject({ wearCount: 2, lastWornAt: '2026-11-21T08:00:00.000Z' });
  });

  it('keeps lastWornAt the latest wear, not the last logged, and defaults wornAt to now', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem(shirt);
    expect((await ann.wear('id-0001', { wearId: 'now' })).json.wornAt).toBe('2026-11-22T10:00:00.000Z');
    await ann.wear('id-0001', { wearId: 'old', wornAt: '2025-01-01T00:00:00+02:00' });
    expect((await ann.getItem('id-0001')).json).toMatchObject({ wearCount: 2, lastWornAt: '2026-11-22T10:00:00.000Z' });
  });

  it('stays exact under concurrent and duplicate requests', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem(shirt);
    const wearIds = Array.from({ length: 12 }, (_, i) => `w${i % 6}`);
    const replies = await Promise.all(wearIds.map((wearId, i) => ann.wear('id-0001', { wearId, wornAt: `2026-11-${String(10 + (i % 6)).padStart(2, '0')}T12:00:00Z` })));
    expect(replies.every((r) => r.statusCode === 200)).toBe(true);
    // Both requests for a wearId answer the same body.
    for (let i = 0; i < 6; i++) expect(replies[i]!.json).toEqual(replies[i + 6]!.json);
    const item = (await ann.getItem('id-0001')).json;
    expect(item).toMatchObject({ wearCount: 6, lastWornAt: '2026-11-15T12:00:00.000Z' });
    const stored = await t.documents.repository<WardrobeItemDoc>(itemsContainer).get('id-0001', 'ann');
    expect(stored!.pendingWearIds).toEqual([]);
    expect(item.pendingWearIds).toBeUndefined();
  });

  it('converges after a crash between the steps, without counting twice', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem(shirt);
    const wears = t.documents.repository<WearRecordDoc>(wearsContainer);
    const items = t.documents.repository<WardrobeItemDoc>(itemsContainer);
    // Crash after step 1: the record exists, the item was never counted.
    await wears.create({ id: 'id-0001:a', userId: 'ann', itemId: 'id-0001', wearId: 'a', wornAt: '2026-11-01T00:00:00.000Z', createdAt: '2026-11-01T00:00:00.000Z', applied: false });
    // Crash after step 2: counted (and marked pending), the record not yet applied.
    await wears.create({ id: 'id-0001:b', userId: 'ann', itemId: 'id-0001', wearId: 'b', wornAt: '2026-11-02T00:00:00.000Z', createdAt: '2026-11-02T00:00:00.000Z', applied: false });
    const item = (await items.get('id-0001', 'ann'))!;
    await items.replace({ ...item, wearCount: 1, lastWornAt: '2026-11-02T00:00:00.000Z', pendingWearIds: ['b'] }, item.etag);

    expect((await ann.wear('id-0001', { wearId: 'a' })).json).toMatchObject({ wornAt: '2026-11-01T00:00:00.000Z', wearCount: 2 });
    expect((await ann.wear('id-0001', { wearId: 'b' })).json).toMatchObject({ wornAt: '2026-11-02T00:00:00.000Z', wearCount: 2 });
    expect((await ann.wear('id-0001', { wearId: 'b' })).json).toMatchObject({ wearCount: 2 });
    expect(await items.get('id-0001', 'ann')).toMatchObject({ wearCount: 2, lastWornAt: '2026-11-02T00:00:00.000Z', pendingWearIds: [] });
    expect((await wears.get('id-0001:a', 'ann'))!.applied).toBe(true);
  });

  it('refuses a future wornAt (beyond two minutes of clock skew) and stores nothing; 404 for an unknown item', async () => {
    const t = setup();
    const ann = t.as('ann');
    await ann.createItem(shirt);
    const future = await ann.wear('id-0001', { wearId: 'f', wornAt: '2026-11-22T10:05:00Z' });
    expect(future.statusCode).toBe(400);
    expect(future.json.errors).toEqual([{ pointer: '/body/wornAt', detail: 'must not be in the future' }]);
    expect((await ann.wear('id-0001', { wearId: 'skew', wornAt: '2026-11-22T10:01:00Z' })).statusCode).toBe(200);
    expect((await ann.getItem('id-0001')).json.wearCount).toBe(1);
    expect(await t.documents.repository<WearRecordDoc>(wearsContainer).get('id-0001:f', 'ann')).toBeUndefined();
    expect((await ann.wear('nope', { wearId: 'x' })).statusCode).toBe(404);
  });
});
