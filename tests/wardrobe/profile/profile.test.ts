/**
 * GET/PUT /api/profile (contract 6.6) and the mobile app's GET /api/user/me through the
 * composition root on the Cosmos DB store (embedded emulator): defaults, PUT's full replace of
 * the editable fields while the server-maintained ones are kept, validation as problem+json,
 * and the known brands, colours and categories of the caller's finalised items.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { readProfile, updateServerFields } from '../../../handlers/wardrobe/profile/store.ts';
import { testClock } from '../../support/jobs.ts';
import { wardrobeApp } from '../collections/support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `profile-${randomUUID()}` }, testClock());
  await store.ensure(wardrobe.containers);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

function setup() {
  const tag = randomUUID().slice(0, 8);
  const ann = `ann-${tag}`;
  const bob = `bob-${tag}`;
  const t = wardrobeApp(store, { emails: { [ann]: 'ann@example.com' }, names: { [ann]: 'Ann Smith' } });
  const api = (as: string) => ({
    get: () => t.request('profile-get', { method: 'GET', path: '/api/profile', as }),
    put: (body: unknown) => t.request('profile-put', { method: 'PUT', path: '/api/profile', as, body }),
    me: () => t.request('profile-user-me', { method: 'GET', path: '/api/user/me', as }),
  });
  return { ...t, ann, bob, api };
}

const defaults = (id: string) => ({ id, currencyCode: 'USD', preferredSizeSystem: 'US', stylePreferences: [], favoriteBrands: [], preferredColours: [], recommendationOptIn: true });

/** What the iOS app sends: the 13 editable fields, nothing else. */
const mobileBody = {
  currencyCode: 'EUR', preferredSizeSystem: 'EU', heightCm: 172.5, weightKg: 64, chestCm: 90, waistCm: 74, hipsCm: 96, inseamCm: 80,
  stylePreferences: ['minimal', ' Minimal ', 'street'], favoriteBrands: ['COS'], preferredColours: ['navy'], locationCity: 'Lisbon', recommendationOptIn: false,
};

describe('profile', () => {
  it('GET answers the default profile when none is stored, for each user their own', async () => {
    const t = setup();
    const reply = await t.api(t.ann).get();
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual(defaults(t.ann));
    expect((await t.api(t.bob).get()).json).toEqual(defaults(t.bob));
  });

  it('PUT answers 204, stores the editable fields with the id forced to the caller, and GET reads them back', async () => {
    const t = setup();
    const put = await t.api(t.ann).put({ ...mobileBody, id: t.bob });
    expect(put.statusCode).toBe(204);
    expect(put.body).toBe('');
    const { stylePreferences: _lists, ...rest } = mobileBody;
    expect((await t.api(t.ann).get()).json).toEqual({ ...rest, id: t.ann, stylePreferences: ['minimal', 'street'] });
    expect((await t.api(t.bob).get()).json).toEqual(defaults(t.bob));
  });

  it('PUT keeps the server-maintained fields the client omits or sends stale; omitted editable fields revert to defaults', async () => {
    const t = setup();
    await t.api(t.ann).put(mobileBody);
    const server = { wardrobeFingerprint: 'fp-1', wardrobeHashAtLastDigest: 'h-1', styleConfidenceProfile: { minimal: 0.8 }, climateZone: 'temperate' };
    await updateServerFields(store, t.ann, server, new Date());
    expect((await t.api(t.ann).get()).json).toMatchObject({ ...server, currencyCode: 'EUR', locationCity: 'Lisbon' });
    // The mobile app's partial body (no server fields) keeps them.
    expect((await t.api(t.ann).put({ ...mobileBody, currencyCode: 'GBP' })).statusCode).toBe(204);
    expect((await t.api(t.ann).get()).json).toMatchObject({ ...server, currencyCode: 'GBP' });
    // The web sends back what it loaded earlier: its stale copies of the server's fields change nothing.
    expect((await t.api(t.ann).put({ ...defaults(t.ann), wardrobeFingerprint: 'stale', climateZone: 'arctic', styleConfidenceProfile: {} })).statusCode).toBe(204);
    expect((await t.api(t.ann).get()).json).toEqual({ ...defaults(t.ann), ...server });
    // The store's readers see the same single document.
    expect(await readProfile(store, t.ann)).toEqual({ ...defaults(t.ann), ...server });
  });

  it('refuses bad types with 400 problem+json and keeps what was stored', async () => {
    const t = setup();
    await t.api(t.ann).put(mobileBody);
    const before = (await t.api(t.ann).get()).json;
    for (const body of [
      { ...mobileBody, heightCm: -1 },
      { ...mobileBody, waistCm: '74' },
      { ...mobileBody, stylePreferences: [1] },
      { ...mobileBody, favoriteBrands: 'COS' },
      { ...mobileBody, currencyCode: 'EURO' },
      { ...mobileBody, recommendationOptIn: 'yes' },
      { ...mobileBody, userId: 'someone-else' },
    ]) {
      const reply = await t.api(t.ann).put(body);
      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reply.json).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
    }
    const unknown = await t.api(t.ann).put({ ...mobileBody, currencyCode: 'XYZ' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/body/currencyCode', detail: 'must be an ISO 4217 currency code' }] });
    expect((await t.api(t.ann).get()).json).toEqual(before);
    // A lower-case code is a known one, stored upper-case.
    expect((await t.api(t.ann).put({ ...mobileBody, currencyCode: 'jpy' })).statusCode).toBe(204);
    expect((await t.api(t.ann).get()).json).toMatchObject({ currencyCode: 'JPY' });
  });

  it('401 problem+json without a token', async () => {
    const t = setup();
    const reply = await t.request('profile-get', { method: 'GET', path: '/api/profile' });
    expect(reply.statusCode).toBe(401);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /api/user/me', () => {
  it("answers the token's email and name, the profile's currency and the distinct brands, colours and categories of the caller's finalised items", async () => {
    const t = setup();
    await t.api(t.ann).put({ ...mobileBody, currencyCode: 'CHF' });
    await t.seedItem(t.ann, { brand: 'COS', category: 'Tops', colours: [{ name: 'Navy', hex: '#1f2a44' }, { name: 'white', hex: '#ffffff' }] });
    await t.seedItem(t.ann, { brand: ' cos ', category: 'Shoes', colours: [{ name: 'navy', hex: '#1f2a44' }] });
    await t.seedItem(t.ann, { brand: 'Arket', category: 'tops' });
    await t.seedItem(t.ann, { colours: [] });
    // A draft is not in the wardrobe yet, and Bob's items are Bob's.
    await t.seedItem(t.ann, { brand: 'Draftbrand', category: 'Hats', colours: [{ name: 'red', hex: '#ff0000' }], draftStatus: 'Ready' });
    await t.seedItem(t.bob, { brand: 'Bobbrand', category: 'Coats', colours: [{ name: 'green', hex: '#00ff00' }] });
    const reply = await t.api(t.ann).me();
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual({
      userId: t.ann, email: 'ann@example.com', displayName: 'Ann Smith', currencyCode: 'CHF',
      knownBrands: ['Arket', 'COS'], knownColors: ['Navy', 'white'], knownCategories: ['Shoes', 'Tops'],
    });
  });

  it('a user with no email or name in the token, no profile and no items gets nulls, USD and empty lists', async () => {
    const t = setup();
    expect((await t.api(t.bob).me()).json).toEqual({ userId: t.bob, email: null, displayName: null, currencyCode: 'USD', knownBrands: [], knownColors: [], knownCategories: [] });
  });
});
