/**
 * The PluckIt client conformance suite: for each call the web app (W) or the iOS app (M) makes
 * (../shared/contracts/pluckit.md section 4's inventory, "def" calls included), one test that
 * sends what that client sends and checks every field that client reads, against `npm start`
 * (the local host as a child process, its embedded Cosmos emulator and Azurite, the offline
 * model). Titles start with the inventory number; `CLIENT_CALLS` below is the list the README
 * counts.
 *
 * One backend serves the whole file and the tests build on each other in order (an upload
 * becomes a draft, then an item, then is worn, collected, suggested...), as a user's session would.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { eventually, googleSub, mobileClient, MOBILE_DATE, startPluckItBackend, uploadForm, webClient, type Client, type Json, type PluckItBackend, type Reply } from './clients.ts';
import { CLOTHING_ITEM, COLLECTION, expectReads, PROFILE, SESSION } from './shapes.ts';

/** The inventory rows a client calls (W, M or def) and the mobile's unlisted `GET /api/user/me`. */
export const CLIENT_CALLS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46, 'user/me'] as const;
/** Rows in the contract's inventory (the other 12 are server-only: health, digest run, admin, moods, taste, internal). */
export const INVENTORY_ROWS = 56;

let backend: PluckItBackend;
let web: Client;
let mobile: Awaited<ReturnType<typeof mobileClient>>;

const state: { webItem?: Json; mobileItem?: Json; failedDraftId?: string; collectionId?: string; sharedCollectionId?: string; digestId?: string; redditSourceId?: string; subreddit?: string; scrapedItemId?: string; suggestionId?: string } = {};

async function photo(colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width: 96, height: 128, channels: 3, background: colour } }).jpeg().toBuffer();
}

const isProblem = (reply: Reply, status: number) => {
  expect({ status: reply.status, type: reply.headers.get('content-type') }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
  // The web app shows `error.detail`.
  expect(typeof reply.json?.detail).toBe('string');
};

async function draftOf(client: Client, id: string): Promise<Json | undefined> {
  const reply = await client.call('GET', '/api/wardrobe/drafts');
  expect(reply.status).toBe(200);
  return (reply.json.items as Json[]).find((draft) => draft.id === id);
}

const settled = (client: Client, id: string) =>
  eventually(async () => {
    const draft = await draftOf(client, id);
    return draft && draft.draftStatus !== 'Processing' ? draft : undefined;
  }, `draft ${id} to leave Processing`);

/** A brand's shop for the source suggestion (#42): a listing page linking one product page. */
let shop: { url: string; close(): Promise<void> };
async function startShop() {
  const product = `<!doctype html><html><head><script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', name: 'Merino Crew', brand: 'Fjordwool', offers: { '@type': 'Offer', price: '89.50', priceCurrency: 'EUR' } })}</script></head><body>Merino Crew</body></html>`;
  const server = createServer((req, res) => {
    const page = req.url === '/' ? '<!doctype html><html><body><a href="/products/merino-crew">Merino</a></body></html>' : req.url === '/products/merino-crew' ? product : undefined;
    res.writeHead(page ? 200 : 404, { 'content-type': page ? 'text/html; charset=utf-8' : 'text/plain' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

beforeAll(async () => {
  shop = await startShop();
  backend = await startPluckItBackend({ SCRAPER_ALLOW_LOOPBACK: 'true' });
  web = await webClient(backend, googleSub());
  mobile = await mobileClient(backend, googleSub());
}, 300_000);

afterAll(async () => {
  await backend?.stop();
  await shop?.close();
}, 60_000);

describe('auth (mobile)', () => {
  it('#1 POST /api/auth/mobile-token: the session object with every key the app reads, whole-second dates', () => {
    expect(mobile.exchange.status).toBe(200);
    expectReads(mobile.session, SESSION, 'session');
    expect(mobile.session).toMatchObject({ token_type: 'Bearer', user_id: mobile.userId, userId: mobile.userId, refresh_token_rotation: 'single-use', refresh_token_revoke_on_logout: true });
    for (const alias of ['token', 'session_token', 'app_token', 'id_token']) expect(mobile.session[alias]).toBe(mobile.session.access_token);
  });

  it('#2 POST /api/auth/refresh {refresh_token}: a new session; the old refresh token is spent', async () => {
    const second = await mobileClient(backend, mobile.userId);
    const refreshed = await second.call('POST', 'api/auth/refresh', { body: { refresh_token: second.session.refresh_token } });
    expect(refreshed.status).toBe(200);
    expectReads(refreshed.json, SESSION, 'refreshed session');
    expect(refreshed.json.refresh_token).not.toBe(second.session.refresh_token);
    expect((await second.call('GET', 'api/profile', { headers: { authorization: `Bearer ${refreshed.json.access_token}` } })).status).toBe(200);
  });
});

describe('uploads and drafts', () => {
  it('#9 POST /api/wardrobe/upload: web field `image`, mobile field `file` with text parts first; 202 Processing draft', async () => {
    const fromWeb = await web.call('POST', '/api/wardrobe/upload', { form: uploadForm('web', await photo({ r: 200, g: 30, b: 40 })) });
    expect(fromWeb.status).toBe(202);
    expectReads(fromWeb.json, CLOTHING_ITEM, 'web draft');
    expect(fromWeb.json).toMatchObject({ draftStatus: 'Processing', isWishlisted: false });
    const fromMobile = await mobile.call('POST', 'api/wardrobe/upload', { form: uploadForm('mobile', await photo({ r: 20, g: 60, b: 180 }), { skip_segmentation: 'true', is_wishlisted: 'false' }) });
    expect(fromMobile.status).toBe(202);
    expect(fromMobile.json).toMatchObject({ draftStatus: 'Processing' });
    state.webItem = fromWeb.json;
    state.mobileItem = fromMobile.json;
    // A truncated JPEG: the right magic bytes, so accepted, but it cannot be decoded: the draft fails.
    const broken = (await photo({ r: 1, g: 2, b: 3 })).subarray(0, 160);
    const failing = await web.call('POST', '/api/wardrobe/upload', { form: uploadForm('web', broken) });
    expect(failing.status).toBe(202);
    state.failedDraftId = failing.json.id;
  });

  it('#10 GET /api/wardrobe/drafts: polled until Ready, with the fields both apps read and an image a browser loads', async () => {
    for (const [client, item] of [[web, state.webItem], [mobile, state.mobileItem]] as const) {
      const draft = await settled(client, String(item?.id));
      expectReads(draft, { ...CLOTHING_ITEM, draftStatus: 'string', draftCreatedAt: 'date', draftUpdatedAt: 'date', imageUrl: 'string' }, `${client.kind} draft`);
      expect(draft.draftStatus).toBe('Ready');
      const image = await fetch(String(draft.imageUrl));
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toMatch(/^image\//);
    }
    const failed = await settled(web, String(state.failedDraftId));
    expect(failed).toMatchObject({ draftStatus: 'Failed', draftError: expect.any(String) });
  });

  it('#12 POST /api/wardrobe/drafts/{id}/retry: a Failed draft goes back to Processing (202); a Ready one is 409', async () => {
    const retried = await web.call('POST', `/api/wardrobe/drafts/${state.failedDraftId}/retry`, { body: {} });
    expect(retried.status).toBe(202);
    expect(retried.json).toMatchObject({ id: state.failedDraftId, draftStatus: 'Processing' });
    isProblem(await mobile.call('POST', `api/wardrobe/drafts/${state.mobileItem?.id}/retry`), 409);
  });

  it('#11 PATCH /api/wardrobe/drafts/{id}/accept: web PUTs the reviewed draft then accepts with {}; mobile accepts with no body', async () => {
    const draft = (await draftOf(web, String(state.webItem?.id)))!;
    const reviewed = { ...draft, brand: 'Uniqlo', category: 'Tops', notes: 'reviewed', price: { amount: 39.9, originalCurrency: 'EUR' } };
    expect((await web.call('PUT', `/api/wardrobe/${draft.id}`, { body: reviewed })).status).toBe(204);
    const accepted = await web.call('PATCH', `/api/wardrobe/drafts/${draft.id}/accept`, { body: {} });
    expect(accepted.status).toBe(200);
    expectReads(accepted.json, { ...CLOTHING_ITEM, dateAdded: 'date' }, 'accepted item');
    expect(accepted.json).toMatchObject({ id: draft.id, brand: 'Uniqlo', category: 'Tops' });
    expect(accepted.json.draftStatus).toBeUndefined();
    state.webItem = accepted.json;

    const fromMobile = await mobile.call('PATCH', `api/wardrobe/drafts/${state.mobileItem?.id}/accept`);
    expect(fromMobile.status).toBe(200);
    expect(fromMobile.json.draftStatus).toBeUndefined();
    state.mobileItem = fromMobile.json;
    // A retried accept (the app lost the answer) is harmless: the same finalised item.
    const again = await web.call('PATCH', `/api/wardrobe/drafts/${draft.id}/accept`, { body: {} });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: draft.id, dateAdded: accepted.json.dateAdded });
  });
});

describe('wardrobe', () => {
  it('#6 POST /api/wardrobe: 201 with a generated id and a Location', async () => {
    for (const [name, amount] of [['Chinos', 60], ['Trench', 180], ['Loafers', 120]] as const) {
      const created = await web.call('POST', '/api/wardrobe', { body: { category: name === 'Loafers' ? 'Shoes' : 'Bottoms', brand: name, tags: ['work'], colours: [{ name: 'Beige', hex: '#D8C8A8' }], price: { amount, originalCurrency: 'USD' }, isWishlisted: false, wearCount: 0 } });
      expect(created.status).toBe(201);
      expect(created.json.id).toMatch(/^[0-9a-f]{32}$/);
      expect(created.headers.get('location')).toBe(`/api/wardrobe/${created.json.id}`);
      expectReads(created.json, { ...CLOTHING_ITEM, dateAdded: 'date' }, 'created item');
    }
  });

  it('#4 GET /api/wardrobe: web pageSize 24, mobile pageSize 30 + ignored query; pages end without a token; filters', async () => {
    const all = await web.call('GET', '/api/wardrobe', { query: { pageSize: 24 } });
    expect(all.status).toBe(200);
    expect(all.json.items).toHaveLength(4);
    for (const item of all.json.items as Json[]) expectReads(item, CLOTHING_ITEM, `item ${item.id}`);
    expect(all.json.nextContinuationToken ?? undefined).toBeUndefined();

    const first = await web.call('GET', '/api/wardrobe', { query: { pageSize: 3 } });
    expect(first.json.items).toHaveLength(3);
    const rest = await web.call('GET', '/api/wardrobe', { query: { pageSize: 3, continuationToken: first.json.nextContinuationToken } });
    expect(rest.json.items).toHaveLength(1);
    expect(rest.json.nextContinuationToken ?? undefined).toBeUndefined();

    const shoes = await web.call('GET', '/api/wardrobe', { query: { category: 'shoes', priceMin: 100, sortField: 'price.amount', sortDir: 'asc' } });
    expect((shoes.json.items as Json[]).map((item) => item.brand)).toEqual(['Loafers']);
    isProblem(await web.call('GET', '/api/wardrobe', { query: { priceMin: 10, priceMax: 5 } }), 400);

    const fromMobile = await mobile.call('GET', 'api/wardrobe', { query: { pageSize: 30, query: 'blue', includeWishlisted: true } });
    expect(fromMobile.status).toBe(200);
    expect((fromMobile.json.items as Json[]).map((item) => item.id)).toEqual([state.mobileItem?.id]);
  });

  it('#5 GET /api/wardrobe/{id}: the item; another user\'s is 404', async () => {
    const own = await web.call('GET', `/api/wardrobe/${state.webItem?.id}`);
    expect(own.status).toBe(200);
    expectReads(own.json, CLOTHING_ITEM);
    isProblem(await mobile.call('GET', `api/wardrobe/${state.webItem?.id}`), 404);
  });

  it('#7 PUT /api/wardrobe/{id}: web sends the whole object, mobile its re-encoded item (size as a string, double waist); 204', async () => {
    const item = (await web.call('GET', `/api/wardrobe/${state.webItem?.id}`)).json as Json;
    expect((await web.call('PUT', `/api/wardrobe/${item.id}`, { body: { ...item, notes: 'dry clean only', condition: 'Excellent' } })).status).toBe(204);
    expect((await web.call('GET', `/api/wardrobe/${item.id}`)).json).toMatchObject({ notes: 'dry clean only', condition: 'Excellent' });
    isProblem(await web.call('PUT', `/api/wardrobe/${item.id}`, { body: { ...item, id: 'another-id' } }), 400);

    const mine = (await mobile.call('GET', `api/wardrobe/${state.mobileItem?.id}`)).json as Json;
    const { imageUrl: _signed, ...reencoded } = mine;
    const put = await mobile.call('PUT', `api/wardrobe/${mine.id}`, { body: { ...reencoded, brand: 'Arket', size: { waist: 32.0, inseam: 30.0, system: 'US' }, isWishlisted: false } });
    expect(put.status).toBe(204);
    expect((await mobile.call('GET', `api/wardrobe/${mine.id}`)).json).toMatchObject({ brand: 'Arket', size: { waist: 32, inseam: 30 } });
  });

  it('#13 PATCH /api/wardrobe/{id}/wear: web\'s clientEventId is counted once; mobile\'s {"delta":1} counts', async () => {
    const clientEventId = `wear-${randomUUID()}`;
    const once = await web.call('PATCH', `/api/wardrobe/${state.webItem?.id}/wear`, { body: { source: 'vault_card', clientEventId } });
    expect(once.status).toBe(200);
    expectReads(once.json, { ...CLOTHING_ITEM, lastWornAt: 'date', wearEvents: 'array' }, 'worn item');
    expect(once.json.wearCount).toBe(1);
    const twice = await web.call('PATCH', `/api/wardrobe/${state.webItem?.id}/wear`, { body: { source: 'vault_card', clientEventId } });
    expect(twice.json.wearCount).toBe(1);

    const fromMobile = await mobile.call('PATCH', `api/wardrobe/${state.mobileItem?.id}/wear`, { body: { delta: 1 } });
    expect(fromMobile.status).toBe(200);
    expect(fromMobile.json.wearCount).toBe(1);
    isProblem(await mobile.call('PATCH', `api/wardrobe/${state.webItem?.id}/wear`, { body: { delta: 1 } }), 404);
  });

  it('#14 GET /api/wardrobe/{id}/wear-history: events and summary', async () => {
    const history = await web.call('GET', `/api/wardrobe/${state.webItem?.id}/wear-history`);
    expect(history.status).toBe(200);
    expect(history.json.itemId).toBe(state.webItem?.id);
    expect(history.json.events).toHaveLength(1);
    expectReads(history.json.events[0], { occurredAt: 'date', itemId: 'string' }, 'wear event');
    expectReads(history.json.summary, { totalInRange: 'integer', legacyUntrackedCount: 'integer' }, 'summary');
  });

  it('#15 POST /api/wardrobe/styling-activity, #16 GET /api/wardrobe/suggestions/wear, #17 PATCH …/suggestions/wear/{id}', async () => {
    const trench = ((await web.call('GET', '/api/wardrobe', { query: { brand: 'Trench' } })).json.items as Json[])[0]!;
    const recorded = await web.call('POST', '/api/wardrobe/styling-activity', { body: { itemId: trench.id, source: 'dashboard_toggle', clientEventId: `sty-${randomUUID()}` } });
    expect(recorded.status).toBe(200);
    expect(recorded.json).toMatchObject({ status: 'recorded', activityId: expect.any(String) });
    isProblem(await web.call('POST', '/api/wardrobe/styling-activity', { body: { source: 'dashboard_toggle' } }), 400);

    const suggestions = await web.call('GET', '/api/wardrobe/suggestions/wear');
    expect(suggestions.status).toBe(200);
    const suggestion = (suggestions.json.suggestions as Json[]).find((candidate) => candidate.itemId === trench.id);
    expectReads(suggestion, { suggestionId: 'string', itemId: 'string', message: 'string', activityAt: 'date' }, 'suggestion');

    const dismissed = await web.call('PATCH', `/api/wardrobe/suggestions/wear/${suggestion?.suggestionId}`, { body: { status: 'Dismissed' } });
    expect(dismissed.status).toBe(200);
    expect(dismissed.json).toEqual({ status: 'updated' });
    const after = await web.call('GET', '/api/wardrobe/suggestions/wear');
    expect((after.json.suggestions as Json[]).some((candidate) => candidate.suggestionId === suggestion?.suggestionId)).toBe(false);
  });
});

describe('collections', () => {
  it('#19 POST /api/collections: 201 with the collection (both apps send all four fields)', async () => {
    const created = await web.call('POST', '/api/collections', { body: { name: 'Office', description: 'Weekdays', isPublic: false, clothingItemIds: [] } });
    expect(created.status).toBe(201);
    expectReads(created.json, COLLECTION, 'collection');
    expect(created.json).toMatchObject({ ownerId: web.userId, name: 'Office', isPublic: false });
    state.collectionId = created.json.id;
    const shared = await mobile.call('POST', 'api/collections', { body: { name: 'Shared', description: null, isPublic: true, clothingItemIds: [] } });
    expect(shared.status).toBe(201);
    state.sharedCollectionId = shared.json.id;
    isProblem(await web.call('POST', '/api/collections', { body: { description: 'no name', isPublic: false, clothingItemIds: [] } }), 400);
  });

  it('#18 GET /api/collections: a bare array on the web; mobile\'s page/pageSize/query are accepted', async () => {
    const list = await web.call('GET', '/api/collections');
    expect(Array.isArray(list.json)).toBe(true);
    expect((list.json as Json[]).map((collection) => collection.id)).toEqual([state.collectionId]);
    const fromMobile = await mobile.call('GET', 'api/collections', { query: { page: 1, pageSize: 50, query: '' } });
    expect(fromMobile.status).toBe(200);
    const items = (Array.isArray(fromMobile.json) ? fromMobile.json : fromMobile.json.items) as Json[];
    expect(items.map((collection) => collection.id)).toEqual([state.sharedCollectionId]);
  });

  it('#20 GET /api/collections/{id} and #21 PUT (partial): owner reads and renames; a stranger gets 404', async () => {
    expect((await web.call('PUT', `/api/collections/${state.collectionId}`, { body: { name: 'Office wear' } })).status).toBe(204);
    const read = await web.call('GET', `/api/collections/${state.collectionId}`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ name: 'Office wear', description: 'Weekdays' });
    isProblem(await mobile.call('GET', `api/collections/${state.collectionId}`), 404);
  });

  it('#25 POST /api/collections/{id}/items and #26 DELETE …/items/{itemId}', async () => {
    expect((await web.call('POST', `/api/collections/${state.collectionId}/items`, { body: { itemId: state.webItem?.id } })).status).toBe(204);
    expect((await web.call('GET', `/api/collections/${state.collectionId}`)).json.clothingItemIds).toEqual([state.webItem?.id]);
    expect((await web.call('DELETE', `/api/collections/${state.collectionId}/items/${state.webItem?.id}`)).status).toBe(204);
    expect((await web.call('GET', `/api/collections/${state.collectionId}`)).json.clothingItemIds).toEqual([]);
  });

  it('#23 POST /api/collections/{id}/join (body null) and #24 DELETE …/leave', async () => {
    const joined = await web.call('POST', `/api/collections/${state.sharedCollectionId}/join`, { body: null });
    expect(joined.status).toBe(204);
    expect(((await web.call('GET', '/api/collections')).json as Json[]).map((collection) => collection.id).sort()).toEqual([state.collectionId, state.sharedCollectionId].sort());
    expect((await web.call('DELETE', `/api/collections/${state.sharedCollectionId}/leave`)).status).toBe(204);
    expect(((await web.call('GET', '/api/collections')).json as Json[]).map((collection) => collection.id)).toEqual([state.collectionId]);
    // A private collection cannot be joined, and a stranger cannot tell it exists.
    isProblem(await mobile.call('POST', `api/collections/${state.collectionId}/join`, { body: null }), 404);
  });

  it('#22 DELETE /api/collections/{id}: 204, gone; a stranger\'s delete is 404 and changes nothing', async () => {
    isProblem(await mobile.call('DELETE', `api/collections/${state.collectionId}`), 404);
    expect((await web.call('GET', `/api/collections/${state.collectionId}`)).status).toBe(200);
    expect((await web.call('DELETE', `/api/collections/${state.collectionId}`)).status).toBe(204);
    expect((await web.call('GET', `/api/collections/${state.collectionId}`)).status).toBe(404);
  });
});

describe('profile and user', () => {
  it('#27 GET /api/profile: the defaults before anything is saved', async () => {
    for (const client of [web, mobile]) {
      const profile = await client.call('GET', client.kind === 'web' ? '/api/profile' : 'api/profile');
      expect(profile.status).toBe(200);
      expectReads(profile.json, PROFILE, `${client.kind} profile`);
      expect(profile.json).toMatchObject({ currencyCode: 'USD', preferredSizeSystem: 'US', recommendationOptIn: true });
    }
  });

  it('#28 PUT /api/profile: mobile\'s 13 editable fields and web\'s whole object; 204, read back', async () => {
    const editable = { currencyCode: 'EUR', preferredSizeSystem: 'EU', heightCm: 178, weightKg: 72.5, chestCm: 96, waistCm: 81, hipsCm: 97, inseamCm: 80, stylePreferences: ['minimal'], favoriteBrands: ['Arket'], preferredColours: ['navy'], locationCity: 'Lisbon', recommendationOptIn: false };
    expect((await mobile.call('PUT', 'api/profile', { body: editable })).status).toBe(204);
    expect((await mobile.call('GET', 'api/profile')).json).toMatchObject(editable);
    const loaded = (await web.call('GET', '/api/profile')).json as Json;
    expect((await web.call('PUT', '/api/profile', { body: { ...loaded, currencyCode: 'GBP' } })).status).toBe(204);
    expect((await web.call('GET', '/api/profile')).json).toMatchObject({ currencyCode: 'GBP' });
  });

  it('#29 POST /api/stylist/recommendations (the web service\'s unused method): outfits of the caller\'s own items', async () => {
    const outfits = await web.call('POST', '/api/stylist/recommendations', { body: { stylePrompt: 'smart casual', occasion: 'office', pageSize: 2 } });
    expect(outfits.status).toBe(200);
    expect(Array.isArray(outfits.json)).toBe(true);
    const own = new Set(((await web.call('GET', '/api/wardrobe', { query: { pageSize: 100 } })).json.items as Json[]).map((item) => item.id));
    for (const outfit of outfits.json as Json[]) {
      expectReads(outfit, { id: 'string', title: 'string', description: 'string', clothingItemIds: 'array' }, 'outfit');
      for (const id of outfit.clothingItemIds as string[]) expect(own.has(id)).toBe(true);
    }
  });

  it('user/me (mobile, unlisted upstream): identity and what the wardrobe knows', async () => {
    const me = await mobile.call('GET', 'api/user/me');
    expect(me.status).toBe(200);
    expectReads(me.json, { userId: 'string', email: 'string?', displayName: 'string?', currencyCode: 'string', knownBrands: 'array', knownColors: 'array', knownCategories: 'array' }, 'user/me');
    expect(me.json).toMatchObject({ userId: mobile.userId, currencyCode: 'EUR', knownBrands: ['Arket'] });
  });
});

/** The SSE frames as both apps parse them: split on blank lines, each part exactly one `data: ` line. */
async function chatFrames(response: Response): Promise<Json[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await response.text();
  const parts = text.split('\n\n');
  expect(parts.pop()).toBe('');
  return parts.map((part) => {
    expect(part).toMatch(/^data: [^\n]+$/);
    return JSON.parse(part.slice('data: '.length)) as Json;
  });
}

describe('chat and memory', () => {
  it('#31 POST /api/chat: web camelCase and mobile snake_case bodies stream token…done with the trace id on every frame', async () => {
    const webTrace = randomUUID();
    const webFrames = await chatFrames(await web.stream('POST', '/api/chat', { body: { message: 'What goes with my red top?', recentMessages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }], selectedItemIds: [state.webItem?.id], traceId: webTrace } }));
    const mobileTrace = randomUUID();
    const mobileFrames = await chatFrames(await mobile.stream('POST', 'api/chat', { body: { message: 'Plan an outfit', recent_messages: [{ role: 'user', content: 'Hi' }], selected_item_ids: null, trace_id: mobileTrace } }));
    for (const [frames, trace] of [[webFrames, webTrace], [mobileFrames, mobileTrace]] as const) {
      const types = frames.map((frame) => frame.type);
      expect(types.at(-1)).toBe('done');
      expect(types.filter((type) => type === 'done')).toHaveLength(1);
      expect(types).toContain('token');
      for (const type of types) expect(['token', 'tool_use', 'tool_result', 'error', 'memory_update', 'done']).toContain(type);
      for (const frame of frames) expect(frame.traceId).toBe(trace);
      for (const frame of frames.filter((candidate) => candidate.type === 'token')) expect(typeof frame.content).toBe('string');
    }
    isProblem(await web.call('POST', '/api/chat', { body: { recentMessages: [] } }), 400);
  });

  it('#33 PUT /api/chat/memory and #32 GET: the summary, stored trimmed; over 2000 characters is 400', async () => {
    const put = await web.call('PUT', '/api/chat/memory', { body: { summary: '  Prefers navy and loose fits.  ' } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ status: 'updated' });
    const memory = await web.call('GET', '/api/chat/memory');
    expect(memory.status).toBe(200);
    expect(memory.json.summary).toBe('Prefers navy and loose fits.');
    expect(memory.json.updatedAt).toMatch(MOBILE_DATE);
    isProblem(await web.call('PUT', '/api/chat/memory', { body: { summary: 'x'.repeat(2001) } }), 400);
  });
});

describe('digest and insights', () => {
  it('#34 GET /api/digest/latest: {digest}, an ETag, and 304 on If-None-Match', async () => {
    const run = await web.call('POST', '/api/digest/run', { query: { force: true } });
    expect(run.status).toBe(200);
    for (const client of [web, mobile]) {
      const latest = await client.call('GET', client.kind === 'web' ? '/api/digest/latest' : 'api/digest/latest');
      expect(latest.status).toBe(200);
      expect(latest.headers.get('cache-control')).toBe('no-cache, no-store, max-age=0, must-revalidate');
      const etag = latest.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      expect(Object.keys(latest.json)).toContain('digest');
      const again = await client.call('GET', client.kind === 'web' ? '/api/digest/latest' : 'api/digest/latest', { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    }
    const digest = (await web.call('GET', '/api/digest/latest')).json.digest as Json;
    expectReads(digest, { id: 'string', generatedAt: 'date', suggestions: 'array', stylesConsidered: 'array', totalItems: 'integer' }, 'digest');
    state.digestId = String(digest.id);
  });

  it('#36 POST /api/digest/feedback and #35 GET: a vote, re-voting overwrites', async () => {
    const digest = (await web.call('GET', '/api/digest/latest')).json.digest as { suggestions: unknown[] };
    expect(digest.suggestions.length).toBeGreaterThan(0);
    for (const signal of ['up', 'down']) {
      const posted = await web.call('POST', '/api/digest/feedback', { body: { digestId: state.digestId, suggestionIndex: 0, suggestionDescription: 'Wear the trench', signal } });
      expect(posted.status).toBe(200);
      expect(posted.json).toEqual({ status: 'ok' });
    }
    const feedback = await web.call('GET', '/api/digest/feedback', { query: { digestId: String(state.digestId) } });
    expect(feedback.status).toBe(200);
    expect(feedback.json.feedback).toEqual([expect.objectContaining({ suggestionIndex: 0, signal: 'down' })]);
    isProblem(await web.call('POST', '/api/digest/feedback', { body: { digestId: state.digestId, suggestionIndex: 0, signal: 'meh' } }), 400);
  });

  it('#38 GET /api/insights/vault?windowDays=90&targetCpw=100: what both apps read, ETag and 304', async () => {
    const insights = await mobile.call('GET', 'api/insights/vault', { query: { targetCpw: 100, windowDays: 90 } });
    expect(insights.status).toBe(200);
    expectReads(insights.json, { generatedAt: 'date', currency: 'string', insufficientData: 'boolean', behavioralInsights: 'object', cpwIntel: 'array' }, 'insights');
    expectReads(insights.json.behavioralInsights, { topColorWearShare: 'object?', unworn90dPct: 'number', mostExpensiveUnworn: 'object?', sparseHistory: 'boolean' }, 'behavioralInsights');
    for (const entry of insights.json.cpwIntel as Json[]) expectReads(entry, { itemId: 'string', cpw: 'number?', badge: 'string', breakEvenReached: 'boolean', breakEvenTargetCpw: 'number' }, 'cpwIntel');
    const etag = insights.headers.get('etag');
    expect((await mobile.call('GET', 'api/insights/vault', { query: { targetCpw: 100, windowDays: 90 }, headers: { 'if-none-match': etag! } })).status).toBe(304);
  });
});

describe('discover', () => {
  it('#41 GET /api/scraper/sources: the sources with subscription and client-ingest flags', async () => {
    for (const client of [web, mobile]) {
      const sources = await client.call('GET', client.kind === 'web' ? '/api/scraper/sources' : 'api/scraper/sources');
      expect(sources.status).toBe(200);
      for (const source of sources.json.sources as Json[]) expectReads(source, { id: 'string', name: 'string', sourceType: 'string', isGlobal: 'boolean', subscribed: 'boolean', needsClientIngest: 'boolean' }, `source ${source.id}`);
    }
    const reddit = ((await web.call('GET', '/api/scraper/sources')).json.sources as Json[]).find((source) => source.sourceType === 'reddit');
    expect(reddit).toBeDefined();
    state.redditSourceId = String(reddit?.id);
    state.subreddit = String((reddit?.config as { subreddit?: string } | undefined)?.subreddit);
  });

  it('#45 POST /api/scraper/lease/{sourceId}: the web takes the lease with {}; another user then gets 409', async () => {
    const lease = await web.call('POST', `/api/scraper/lease/${state.redditSourceId}`, { body: {} });
    expect(lease.status).toBe(200);
    expect(lease.json).toMatchObject({ status: 'ok', expiresAt: expect.any(String) });
    const other = await webClient(backend, googleSub());
    expect((await other.call('POST', `/api/scraper/lease/${state.redditSourceId}`, { body: {} })).status).toBe(409);
  });

  it('#46 POST /api/scraper/ingest/reddit: raw Reddit children[].data objects; counted', async () => {
    const post = (n: number) => ({
      id: `abc${n}`, name: `t3_abc${n}`, title: `Fit check ${n}: linen shirt and chinos`, subreddit: state.subreddit, permalink: `/r/${state.subreddit}/comments/abc${n}/fit_check/`,
      url: `https://i.redd.it/abc${n}.jpg`, score: 100 + n, over_18: false, created_utc: Math.floor(Date.now() / 1000) - 3600 * n, selftext: '', is_gallery: false,
      author: 'someone', num_comments: 12, thumbnail: 'https://b.thumbs.redditmedia.com/x.jpg', link_flair_text: 'Fit',
    });
    const ingested = await web.call('POST', '/api/scraper/ingest/reddit', { body: { source_id: state.redditSourceId, posts: [post(1), post(2), post(3)] } });
    expect(ingested.status).toBe(200);
    expect(ingested.json).toMatchObject({ count: 3, status: 'ok' });
  });

  it('#39 GET /api/scraper/items: the feed, paged (web 50, mobile 20), never with embeddings', async () => {
    const feed = await web.call('GET', '/api/scraper/items', { query: { pageSize: 50, sortBy: 'score' } });
    expect(feed.status).toBe(200);
    expect(feed.json.items.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(feed.json)).toContain('nextContinuationToken');
    for (const item of feed.json.items as Json[]) {
      expectReads(item, { id: 'string', title: 'string', imageUrl: 'string?', sourceId: 'string', sourceType: 'string', scoreSignal: 'integer', tags: 'array' }, `scraped ${item.id}`);
      expect(item).not.toHaveProperty('embedding');
    }
    const first = await mobile.call('GET', 'api/scraper/items', { query: { pageSize: 2 } });
    expect(first.json.items).toHaveLength(2);
    expect(typeof first.json.nextContinuationToken).toBe('string');
    const next = await mobile.call('GET', 'api/scraper/items', { query: { continuationToken: first.json.nextContinuationToken, pageSize: 2 } });
    expect(next.status).toBe(200);
    state.scrapedItemId = String((feed.json.items as Json[])[0]?.id);
  });

  it('#40 POST /api/scraper/items/{itemId}/feedback {signal}', async () => {
    const up = await web.call('POST', `/api/scraper/items/${state.scrapedItemId}/feedback`, { body: { signal: 'up' } });
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ itemId: state.scrapedItemId, signal: 'up', scoreSignal: expect.any(Number) });
    expect((await mobile.call('POST', `api/scraper/items/${state.scrapedItemId}/feedback`, { body: { signal: 'down' } })).status).toBe(200);
    isProblem(await web.call('POST', `/api/scraper/items/${state.scrapedItemId}/feedback`, { body: { signal: 'meh' } }), 400);
  });

  it('#43 POST /api/scraper/subscribe/{sourceId} and #44 DELETE: subscribed flips', async () => {
    const subscribed = await web.call('POST', `/api/scraper/subscribe/${state.redditSourceId}`);
    expect(subscribed.status).toBe(201);
    expect(subscribed.json).toEqual({ sourceId: state.redditSourceId, subscribed: true });
    expect(((await web.call('GET', '/api/scraper/sources')).json.sources as Json[]).find((source) => source.id === state.redditSourceId)?.subscribed).toBe(true);
    const unsubscribed = await web.call('DELETE', `/api/scraper/subscribe/${state.redditSourceId}`);
    expect(unsubscribed.status).toBe(200);
    expect(unsubscribed.json).toEqual({ sourceId: state.redditSourceId, subscribed: false });
  });

  it('#42 POST /api/scraper/sources: the web suggests a brand with sourceType "brand"; a private URL is 400', async () => {
    const suggested = await web.call('POST', '/api/scraper/sources', { body: { name: 'Fjordwool', url: `${shop.url}/`, sourceType: 'brand' } });
    expect(suggested.status).toBe(201);
    expect(suggested.json).toMatchObject({ sourceId: 'brand-fjordwool', name: 'Fjordwool', config: expect.any(Object) });
    // SCRAPER_ALLOW_LOOPBACK lets this test's shop through; every other address rule still holds.
    isProblem(await web.call('POST', '/api/scraper/sources', { body: { name: 'Private', url: 'https://10.0.0.7/shop', sourceType: 'brand' } }), 400);
    isProblem(await web.call('POST', '/api/scraper/sources', { body: { name: 'Metadata', url: 'https://169.254.169.254/latest', sourceType: 'brand' } }), 400);
    isProblem(await web.call('POST', '/api/scraper/sources', { body: { name: 'Plain', url: 'http://example.com', sourceType: 'brand' } }), 400);
  });
});

describe('deleting', () => {
  it('#8 DELETE /api/wardrobe/{id}: 204, then 404; the image URL stops working; drafts are dismissed the same way', async () => {
    const item = (await web.call('GET', `/api/wardrobe/${state.webItem?.id}`)).json as Json;
    isProblem(await mobile.call('DELETE', `api/wardrobe/${item.id}`), 404);
    expect((await web.call('DELETE', `/api/wardrobe/${item.id}`)).status).toBe(204);
    isProblem(await web.call('GET', `/api/wardrobe/${item.id}`), 404);
    expect((await fetch(String(item.imageUrl))).status).toBe(404);
    const failed = await settled(web, String(state.failedDraftId));
    expect((await web.call('DELETE', `/api/wardrobe/${failed.id}`)).status).toBe(204);
    expect(await draftOf(web, String(failed.id))).toBeUndefined();
  });
});

// Last: revoking by user id signs out every session of that user, this file's mobile one too.
describe('signing out (mobile)', () => {
  it('#3 POST /api/auth/revoke {refresh_token, user_id}: sign-out; that refresh token no longer works', async () => {
    const other = mobile;
    const revoked = await other.call('POST', 'api/auth/revoke', { body: { refresh_token: other.session.refresh_token, user_id: other.userId } });
    expect(revoked.status).toBe(200);
    const again = await other.call('POST', 'api/auth/refresh', { body: { refresh_token: other.session.refresh_token } });
    isProblem(again, 401);
  });
});
