/**
 * The PluckIt wardrobe routes (contract sections 6.1, 6.2, 6.4) through the full HTTP stack on
 * the memory document and blob stores: every list filter, paging to the last page, POST/PUT/
 * DELETE rules, signed image URLs, wears, wear history, styling activity and suggestions, and
 * another user's ids answering 404 on every id route.
 */
import { describe, expect, it } from '@jest/globals';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { itemsContainer, type ClothingItemDoc } from '../../../handlers/wardrobe/items/store.ts';
import { setup, type Reply } from './support.ts';

type T = ReturnType<typeof setup>;

/** A finalised item written as the drafts pipeline or an earlier POST would have stored it. */
async function seed(t: T, userId: string, id: string, fields: Partial<StoredClothingItem> = {}) {
  await t.documents.repository<ClothingItemDoc>(itemsContainer).create({ id, userId, tags: [], colours: [], wearCount: 0, isWishlisted: false, dateAdded: '2026-11-01T00:00:00Z', ...fields });
}

const ids = (reply: Reply): string[] => reply.json.items.map((item: { id: string }) => item.id);

describe('GET /api/wardrobe', () => {
  async function wardrobe(t: T) {
    await seed(t, 'ann', 'a', { category: 'Tops', brand: 'Acme', condition: 'New', tags: ['work', 'Summer'], aestheticTags: ['minimal'], price: { amount: 10, originalCurrency: 'USD' }, wearCount: 5, dateAdded: '2026-11-05T00:00:00Z' });
    await seed(t, 'ann', 'b', { category: 'tops', brand: 'Other', condition: 'Good', tags: ['casual'], price: { amount: 50, originalCurrency: 'EUR' }, wearCount: 1, dateAdded: '2026-11-03T00:00:00Z' });
    await seed(t, 'ann', 'c', { category: 'shoes', brand: 'acme', tags: ['work'], aestheticTags: ['street'], wearCount: 0, dateAdded: '2026-11-04T00:00:00Z' });
    await seed(t, 'ann', 'wish', { category: 'tops', isWishlisted: true, price: { amount: 30, originalCurrency: 'USD' }, dateAdded: '2026-11-06T00:00:00Z' });
    await seed(t, 'ann', 'draft', { category: 'tops', draftStatus: 'Ready', dateAdded: '2026-11-07T00:00:00Z' });
    await seed(t, 'bob', 'bobs', { category: 'tops' });
  }

  it('lists finalised, non-wishlist items newest first by default; drafts never, other users never', async () => {
    const t = setup();
    await wardrobe(t);
    const reply = await t.as('ann').list('query=anything');
    expect(reply.statusCode).toBe(200);
    expect(ids(reply)).toEqual(['a', 'c', 'b']);
    expect(reply.json.nextContinuationToken).toBeUndefined();
    expect(ids(await t.as('ann').list('includeWishlisted=true'))).toEqual(['wish', 'a', 'c', 'b']);
  });

  it.each([
    ['category=TOPS', ['a', 'b']],
    ['brand=ACME', ['a', 'c']],
    ['condition=new', ['a']],
    ['condition=Mint', ['a', 'c', 'b']],
    ['tags=summer,nothing', ['a']],
    ['tags=work', ['a', 'c']],
    ['aestheticTags=street', ['c']],
    ['priceMin=10&priceMax=50', ['a', 'b']],
    ['priceMin=11', ['b']],
    ['priceMax=10', ['a']],
    ['minWears=1', ['a', 'b']],
    ['maxWears=1', ['c', 'b']],
    ['minWears=1&maxWears=1', ['b']],
    ['category=tops&brand=acme', ['a']],
    ['sortField=wearCount&sortDir=asc', ['c', 'b', 'a']],
    ['sortField=wearCount', ['a', 'b', 'c']],
    ['sortField=price.amount&sortDir=asc', ['a', 'b', 'c']],
    ['sortField=price.amount', ['b', 'a', 'c']],
    ['sortField=name&sortDir=ASC', ['b', 'c', 'a']],
  ])('filters and sorts: %s', async (query, expected) => {
    const t = setup();
    await wardrobe(t);
    expect(ids(await t.as('ann').list(query))).toEqual(expected);
  });

  it.each(['priceMin=20&priceMax=10', 'minWears=3&maxWears=2', 'pageSize=many', 'priceMin=cheap'])('refuses %s with a 400 problem', async (query) => {
    const t = setup();
    const reply = await t.as('ann').list(query);
    expect([reply.statusCode, reply.headers['content-type'], reply.json.code]).toEqual([400, 'application/problem+json', 'validation_failed']);
  });

  it('pages to the last page with tokens bound to their query; pageSize is clamped', async () => {
    const t = setup();
    for (let i = 0; i < 7; i++) await seed(t, 'ann', `item-${i}`, { dateAdded: `2026-11-0${i + 1}T00:00:00Z` });
    const seen: string[] = [];
    let query = 'pageSize=3';
    for (let pages = 1; ; pages++) {
      const page = await t.as('ann').list(query);
      seen.push(...ids(page));
      if (!page.json.nextContinuationToken) {
        expect(pages).toBe(3);
        break;
      }
      expect(ids(page)).toHaveLength(3);
      query = `pageSize=3&continuationToken=${encodeURIComponent(page.json.nextContinuationToken)}`;
    }
    expect(seen).toEqual(['item-6', 'item-5', 'item-4', 'item-3', 'item-2', 'item-1', 'item-0']);
    const token = (await t.as('ann').list('pageSize=1')).json.nextContinuationToken as string;
    expect((await t.as('ann').list(`pageSize=1&sortDir=asc&continuationToken=${encodeURIComponent(token)}`)).json.code).toBe('invalid_continuation');
    expect((await t.as('ann').list('continuationToken=forged')).json.code).toBe('invalid_continuation');
    expect(ids(await t.as('ann').list('pageSize=0'))).toHaveLength(1);
    expect(ids(await t.as('ann').list('pageSize=200'))).toHaveLength(7);
  });

  it('signs every imageUrl afresh from the stored blob; external images go out as they are', async () => {
    const t = setup();
    await seed(t, 'ann', 'img', { imageBlob: 'ann/img.webp' });
    await seed(t, 'ann', 'ext', { externalImageUrl: 'https://shop.example/p.jpg' });
    const first = await t.as('ann').get('img');
    expect(first.json.imageUrl).toBe('memory://wardrobe-images/ann/img.webp?expires=2026-11-22T11%3A00%3A00.000Z');
    expect(first.json).not.toHaveProperty('imageBlob');
    t.clock.advance(60_000);
    expect((await t.as('ann').get('img')).json.imageUrl).toContain('expires=2026-11-22T11%3A01%3A00.000Z');
    expect((await t.as('ann').get('ext')).json.imageUrl).toBe('https://shop.example/p.jpg');
    // A draft's raw upload is signed the same way; a finalised item's is not sent at all.
    await seed(t, 'ann', 'upload-1', { draftStatus: 'Processing', rawImageBlob: 'ann/upload-1.jpg' });
    await seed(t, 'ann', 'done', { imageBlob: 'ann/done.webp', rawImageBlob: 'ann/done.jpg' });
    const draft = (await t.as('ann').get('upload-1')).json;
    expect(draft.rawImageBlobUrl).toBe('memory://wardrobe-archive/ann/upload-1.jpg?expires=2026-11-22T11%3A01%3A00.000Z');
    expect(draft).not.toHaveProperty('imageUrl');
    expect(Object.keys((await t.as('ann').get('done')).json)).not.toContain('rawImageBlobUrl');
  });
});

describe('POST, GET, PUT and DELETE /api/wardrobe/{id}', () => {
  it('creates with a 32-hex id, the caller as owner, dateAdded now, Location and ETag', async () => {
    const t = setup();
    const reply = await t.as('ann').post({ userId: 'mallory', wearCount: 9, category: ' Tops ', tags: ['a', 'a', ' '], colours: [{ name: 'Navy', hex: '#1B2A4A' }], price: { amount: 20, currency: 'eur' } });
    expect(reply.statusCode).toBe(201);
    const id = reply.json.id as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(reply.headers.location).toBe(`/api/wardrobe/${id}`);
    expect(reply.json).toEqual({ id, userId: 'ann', category: 'Tops', tags: ['a'], colours: [{ name: 'Navy', hex: '#1B2A4A' }], price: { amount: 20, originalCurrency: 'EUR' }, dateAdded: '2026-11-22T10:00:00Z', wearCount: 0, isWishlisted: false });
    const got = await t.as('ann').get(id);
    expect(got.json).toEqual(reply.json);
    expect(got.headers.etag).toBe(reply.headers.etag);
  });

  it("accepts the clients' variants: a plain-number price, a bare-string size, fractional waist and inseam, colour `color`", async () => {
    const t = setup();
    const plain = await t.as('ann').post({ price: 15, size: 'M' });
    expect(plain.json).toMatchObject({ price: { amount: 15, originalCurrency: 'USD' }, size: { letter: 'M' } });
    const mobile = await t.as('ann').post({ size: { waist: 32.4, inseam: 30.6, system: 'US' }, colours: [{ color: 'red', hex: '#ff0000' }], condition: 'excellent', careInfo: ['Wash'] });
    expect(mobile.json).toMatchObject({ size: { waist: 32, inseam: 31, system: 'US' }, colours: [{ name: 'red', hex: '#ff0000' }], condition: 'Excellent', careInfo: ['wash'] });
    const bad = await t.as('ann').post({ condition: 'Mint', careInfo: ['burn'] });
    expect([bad.statusCode, bad.json.code]).toEqual([400, 'validation_failed']);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/condition', '/body/careInfo/0']);
  });

  it('PUT replaces the client fields (204), needs the path id (case-insensitive), forces the owner and keeps wears, images and draft state', async () => {
    const t = setup();
    await seed(t, 'ann', 'abc', { category: 'tops', brand: 'Acme', notes: 'old', wearCount: 4, lastWornAt: '2026-11-20T00:00:00Z', wearEvents: [{ occurredAt: '2026-11-20T00:00:00Z' }], imageBlob: 'ann/abc.webp', draftStatus: 'Ready' });
    const mismatch = await t.as('ann').put('abc', { id: 'other', category: 'x' });
    expect([mismatch.statusCode, mismatch.json.code, mismatch.json.detail]).toEqual([400, 'validation_failed', 'ID in path and body must match.']);
    const reply = await t.as('ann').put('abc', { id: 'ABC', userId: 'mallory', category: 'Shirts', wearCount: 0, imageUrl: 'https://evil.example/x.png', draftStatus: null, isWishlisted: true });
    expect(reply.statusCode).toBe(204);
    const stored = await t.documents.repository<ClothingItemDoc>(itemsContainer).get('abc', 'ann');
    expect(stored).toMatchObject({ userId: 'ann', category: 'Shirts', isWishlisted: true, wearCount: 4, lastWornAt: '2026-11-20T00:00:00Z', imageBlob: 'ann/abc.webp', draftStatus: 'Ready', dateAdded: '2026-11-01T00:00:00Z' });
    // Replaced as a whole: what the body left out is gone.
    expect(stored).not.toHaveProperty('brand');
    expect(stored).not.toHaveProperty('notes');
    expect((await t.as('ann').put('abc', { category: 'x' }, { 'if-match': '"stale"' })).statusCode).toBe(412);
    expect((await t.as('ann').put('nope', { category: 'x' })).statusCode).toBe(404);
  });

  it('DELETE removes the item, its image and raw upload blobs, and its wear history', async () => {
    const t = setup();
    await t.blobs.put('wardrobe-images', 'ann/up.webp', new Uint8Array([1]), 'image/webp');
    await t.blobs.put('wardrobe-archive', 'ann/up.jpg', new Uint8Array([2]), 'image/jpeg');
    await t.blobs.put('wardrobe-images', 'ann/keep.webp', new Uint8Array([3]), 'image/webp');
    await seed(t, 'ann', 'up', { imageBlob: 'ann/up.webp', rawImageBlob: 'ann/up.jpg' });
    expect((await t.as('ann').wearItem('up', { clientEventId: 'w1' })).statusCode).toBe(200);
    expect((await t.as('ann').del('up')).statusCode).toBe(204);
    expect((await t.as('ann').get('up')).statusCode).toBe(404);
    expect(await t.blobs.list('wardrobe-images')).toEqual(['ann/keep.webp']);
    expect(await t.blobs.list('wardrobe-archive')).toEqual([]);
    expect((await t.documents.repository(itemsContainer).query({ partitionKey: 'ann', limit: 10 })).items).toEqual([]);
    expect((await t.documents.repository({ name: 'wardrobe-wears', partitionKey: 'userId' }).query({ partitionKey: 'ann', limit: 10 })).items).toEqual([]);
    expect((await t.as('ann').del('up')).statusCode).toBe(404);
  });

  it("answers 404 (problem+json) for another user's item on every id route, and changes nothing", async () => {
    const t = setup();
    await seed(t, 'ann', 'annes', { category: 'tops', wearCount: 2 });
    const bob = t.as('bob');
    const replies = [await bob.get('annes'), await bob.put('annes', { category: 'x' }), await bob.del('annes'), await bob.wearItem('annes', {}), await bob.history('annes'), await bob.styling({ itemId: 'annes' })];
    expect(replies.map((r) => [r.statusCode, r.headers['content-type'], r.json.code])).toEqual(Array(6).fill([404, 'application/problem+json', 'not_found']));
    const { styling } = await t.as('ann').styling({ itemId: 'annes' }).then((r) => ({ styling: r.json.activityId as string }));
    expect((await bob.settle(styling, { status: 'Dismissed' })).statusCode).toBe(404);
    expect((await t.as('ann').get('annes')).json).toMatchObject({ category: 'tops', wearCount: 2 });
    expect((await t.as('ann').suggestions()).json.suggestions).toHaveLength(1);
  });
});

describe('wears', () => {
  it('PATCH .../wear counts once per clientEventId, takes no body or mobile\'s {"delta":1}, and keeps the newest 30 events', async () => {
    const t = setup();
    await seed(t, 'ann', 'tee');
    const first = await t.as('ann').wearItem('tee', { clientEventId: 'wear-1', source: 'vault_card', occasion: 'office', weatherSnapshot: { tempCelsius: 12.5, conditions: 'rain' } });
    expect(first.statusCode).toBe(200);
    expect(first.json).toMatchObject({ id: 'tee', wearCount: 1, lastWornAt: '2026-11-22T10:00:00Z', lastWearActionId: 'wear-1', wearEvents: [{ occurredAt: '2026-11-22T10:00:00Z', occasion: 'office', weatherSnapshot: { tempCelsius: 12.5, conditions: 'rain' } }] });
    const again = await t.as('ann').wearItem('tee', { clientEventId: 'wear-1' });
    expect(again.json).toEqual(first.json);
    expect((await t.as('ann').wearItem('tee')).json.wearCount).toBe(2);
    expect((await t.as('ann').wearItem('tee', { delta: 1 })).json.wearCount).toBe(3);
    // An older clientEventId (not the last one) is still recognised: the wear record is its key.
    expect((await t.as('ann').wearItem('tee', { clientEventId: 'wear-1' })).json.wearCount).toBe(3);
    for (let i = 0; i < 30; i++) await t.as('ann').wearItem('tee', { occurredAt: `2026-10-${String(i + 1).padStart(2, '0')}T08:00:00.500Z` });
    const item = (await t.as('ann').get('tee')).json;
    expect(item.wearCount).toBe(33);
    expect(item.wearEvents).toHaveLength(30);
    expect(item.wearEvents.at(-1).occurredAt).toBe('2026-11-22T10:00:00Z');
    expect(item.wearEvents[0].occurredAt).toBe('2026-10-04T08:00:00Z');
    expect(item.lastWornAt).toBe('2026-11-22T10:00:00Z');
    const bad = await t.as('ann').wearItem('tee', undefined, '{not json');
    expect([bad.statusCode, bad.json.code]).toEqual([400, 'malformed_json']);
    expect((await t.as('ann').wearItem('tee', { occurredAt: '2027-01-01T00:00:00Z' })).statusCode).toBe(400);
  });

  it('wear-history answers the recorded wears in range with the untracked legacy count', async () => {
    const t = setup();
    await seed(t, 'ann', 'old', { wearCount: 3 });
    for (const day of ['01', '10', '20']) await t.as('ann').wearItem('old', { clientEventId: `w-${day}`, source: 'item_drawer', occurredAt: `2026-11-${day}T12:00:00Z` });
    const all = await t.as('ann').history('old');
    expect(all.json.summary).toEqual({ totalInRange: 3, trackedFrom: '2026-11-01T12:00:00Z', legacyUntrackedCount: 3 });
    expect(all.json.events[0]).toEqual({ id: 'old:w-01', userId: 'ann', itemId: 'old', occurredAt: '2026-11-01T12:00:00Z', source: 'item_drawer', createdAt: '2026-11-22T10:00:00Z' });
    const range = await t.as('ann').history('old', 'from=2026-11-05&to=2026-11-10');
    expect(range.json.events.map((e: { occurredAt: string }) => e.occurredAt)).toEqual(['2026-11-10T12:00:00Z']);
    expect(range.json.summary.totalInRange).toBe(1);
    expect((await t.as('ann').history('old', 'from=later')).statusCode).toBe(400);
  });

  it('a styling activity raises a suggestion: once per clientEventId, accepted by a wear, dismissed, expired after 3 days', async () => {
    const t = setup();
    await seed(t, 'ann', 'coat', { category: 'Outerwear', brand: 'Acme', imageBlob: 'ann/coat.webp' });
    await seed(t, 'ann', 'hat', { category: 'Hats' });
    await seed(t, 'ann', 'scarf', { category: 'Scarves' });
    const first = await t.as('ann').styling({ itemId: 'coat', clientEventId: 'sty-1', source: 'dashboard_toggle' });
    expect(first.json).toEqual({ status: 'recorded', activityId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await t.as('ann').styling({ itemId: 'coat', clientEventId: 'sty-1' })).json).toEqual(first.json);
    expect((await t.as('ann').styling({})).statusCode).toBe(400);
    const hat = (await t.as('ann').styling({ itemId: 'hat' })).json.activityId as string;
    const scarf = (await t.as('ann').styling({ itemId: 'scarf' })).json.activityId as string;
    const listed = (await t.as('ann').suggestions()).json.suggestions;
    expect(listed.map((s: { itemId: string }) => s.itemId).sort()).toEqual(['coat', 'hat', 'scarf']);
    expect(listed.find((s: { itemId: string }) => s.itemId === 'coat')).toEqual({
      suggestionId: first.json.activityId, itemId: 'coat', message: 'You styled your Acme outerwear recently. Did you wear it?', activityAt: '2026-11-22T10:00:00Z', expiresAt: '2026-11-25T10:00:00Z', imageUrl: expect.stringContaining('memory://wardrobe-images/ann/coat.webp'),
    });
    // Wearing it with the activity accepts the suggestion; dismissing takes another away.
    await t.as('ann').wearItem('coat', { clientEventId: 'wear-x', source: 'suggestion_prompt', stylingActivityId: first.json.activityId });
    expect((await t.as('ann').settle(hat, { status: 'Dismissed' })).json).toEqual({ status: 'updated' });
    expect((await t.as('ann').settle(hat, { status: 'Maybe' })).statusCode).toBe(400);
    expect((await t.as('ann').settle('missing', { status: 'Dismissed' })).statusCode).toBe(404);
    expect((await t.as('ann').suggestions()).json.suggestions.map((s: { suggestionId: string }) => s.suggestionId)).toEqual([scarf]);
    t.clock.advance(3 * 86_400_000);
    expect((await t.as('ann').suggestions()).json.suggestions).toEqual([]);
  });

  it('a wear since the activity (without its id) expires the suggestion too', async () => {
    const t = setup();
    await seed(t, 'ann', 'coat');
    await t.as('ann').styling({ itemId: 'coat' });
    await t.as('ann').wearItem('coat', {});
    expect((await t.as('ann').suggestions()).json.suggestions).toEqual([]);
  });
});
