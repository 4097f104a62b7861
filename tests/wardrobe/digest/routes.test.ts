/**
 * The digest routes the PluckIt clients call (contract section 7.3), through the HTTP stack on
 * the memory store: latest with its ETag and 304, run ok/skipped/forced, feedback votes.
 */
import { describe, expect, it } from '@jest/globals';
import { replaceProfile } from '../../../domain/wardrobe/profile.ts';
import { digestsContainer } from '../../../handlers/wardrobe/digest/store.ts';
import { readProfile, replaceStoredProfile, updateServerFields } from '../../../handlers/wardrobe/profile/store.ts';
import { ANN_ITEMS, ANN_SUGGESTIONS, item } from './items.ts';
import { expectedEtag, NO_STORE, routesHarness } from './support.ts';

const ANN_DIGEST = {
  id: 'ann-43e35ac265e5bdd9',
  userId: 'ann',
  generatedAt: '2026-11-23T06:00:00Z',
  wardrobeHash: '43e35ac265e5bdd9',
  suggestions: ANN_SUGGESTIONS,
  stylesConsidered: [],
  totalItems: 5,
  itemsWithWearHistory: 4,
};

async function annWithDigest() {
  const t = routesHarness();
  await t.seed(ANN_ITEMS);
  const ann = t.as('ann');
  expect(await ann.run()).toMatchObject({ statusCode: 200, json: { status: 'ok', digest: ANN_DIGEST } });
  return { t, ann };
}

describe('GET /api/digest/latest', () => {
  it('answers {digest: null} before the first digest, with an ETag like any answer', async () => {
    const t = routesHarness();
    const reply = await t.as('ann').latest();
    expect(reply).toMatchObject({ statusCode: 200, json: { digest: null } });
    expect(reply.headers.etag).toBe(expectedEtag({ digest: null }));
    expect(reply.headers['cache-control']).toBe(NO_STORE);
  });

  it("answers the caller's newest digest with the contract's ETag and Cache-Control; a matching If-None-Match is 304", async () => {
    const { t, ann } = await annWithDigest();
    const reply = await ann.latest();
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual({ digest: ANN_DIGEST });
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe(NO_STORE);
    expect(reply.headers.etag).toBe(expectedEtag({ digest: ANN_DIGEST }));

    const notModified = await ann.latest({ 'if-none-match': reply.headers.etag! });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.json).toEqual({});
    expect(notModified.headers).toMatchObject({ etag: reply.headers.etag, 'cache-control': NO_STORE });
    // In a list, weak, or *: still a match; another tag is not.
    expect((await ann.latest({ 'if-none-match': `"x", W/${reply.headers.etag}` })).statusCode).toBe(304);
    expect((await ann.latest({ 'if-none-match': '*' })).statusCode).toBe(304);
    expect((await ann.latest({ 'if-none-match': '"stale"' })).statusCode).toBe(200);

    // A worn item makes a new digest: a new body, so the old tag no longer matches.
    await t.seed([{ ...ANN_ITEMS[0]!, wearCount: 5 }]);
    t.clock.advance(60_000);
    expect((await ann.run()).json).toMatchObject({ status: 'ok', digest: { id: 'ann-38efeacc7d1ef918', generatedAt: '2026-11-23T06:01:00Z' } });
    const fresh = await ann.latest({ 'if-none-match': reply.headers.etag! });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json.digest.id).toBe('ann-38efeacc7d1ef918');
    expect((await ann.history()).json.items.map((digest: { id: string }) => digest.id)).toEqual(['ann-38efeacc7d1ef918', 'ann-43e35ac265e5bdd9']);
  });

  it("never serves the earlier design's week-named digests", async () => {
    const t = routesHarness();
    const legacy = { id: '2026-W47', userId: 'ann', week: '2026-W47', itemCount: 3, notes: [], generatedAt: '2026-11-16T06:00:05.000Z' };
    await t.documents.repository<typeof legacy & { [field: string]: unknown }>(digestsContainer).create(legacy);
    const ann = t.as('ann');
    expect((await ann.latest()).json).toEqual({ digest: null });
    expect((await ann.history()).json).toEqual({ items: [] });
    expect((await ann.feedback('digestId=2026-W47')).statusCode).toBe(404);
    expect((await ann.vote({ digestId: '2026-W47', suggestionIndex: 0, signal: 'up' })).statusCode).toBe(404);
    await t.seed(ANN_ITEMS);
    expect((await ann.run()).json.status).toBe('ok');
    expect((await ann.latest()).json.digest.id).toBe('ann-43e35ac265e5bdd9');
  });

  it("never shows another user's digest, and needs a signed-in caller", async () => {
    const { t } = await annWithDigest();
    expect((await t.as('bob').latest()).json).toEqual({ digest: null });
    expect(await t.as(undefined).latest()).toMatchObject({ statusCode: 401, headers: { 'content-type': 'application/problem+json' } });
  });
});

describe('POST /api/digest/run', () => {
  it('skips an empty wardrobe and an unchanged one; force builds anyway', async () => {
    const t = routesHarness();
    const ann = t.as('ann');
    expect((await ann.run()).json).toEqual({ status: 'skipped', reason: 'wardrobe_empty' });
    // A draft alone is not a wardrobe.
    await t.seed([item('ann', 'draft', { draftStatus: 'Processing' })]);
    expect((await ann.run()).json).toEqual({ status: 'skipped', reason: 'wardrobe_empty' });

    await t.seed(ANN_ITEMS);
    expect((await ann.run('force=false')).json).toMatchObject({ status: 'ok', digest: { id: 'ann-43e35ac265e5bdd9' } });
    t.clock.advance(3_600_000);
    expect(await ann.run()).toMatchObject({ statusCode: 200, json: { status: 'skipped', reason: 'wardrobe_unchanged' } });
    expect((await ann.run('force=true')).json).toMatchObject({ status: 'ok', digest: { id: 'ann-43e35ac265e5bdd9', generatedAt: '2026-11-23T07:00:00Z' } });
    // The same wardrobe's digest was replaced, not duplicated.
    expect((await ann.history()).json.items).toHaveLength(1);
  });

  it("considers the profile's chosen and inferred styles and its climate zone", async () => {
    const t = routesHarness();
    await t.seed(ANN_ITEMS);
    await replaceStoredProfile(t.documents, 'ann', (stored) => replaceProfile(stored, { stylePreferences: ['minimal', 'Street'] }, 'ann'), t.clock.now());
    // The calibration's inferred styles, strongest first; a weak one, one not a number and one the user chose are left out.
    await updateServerFields(t.documents, 'ann', { climateZone: 'temperate', styleConfidenceProfile: { styleKeywords: { preppy: 0.4, boho: 0.9, street: 0.7, grunge: 0.1, casual: 'high' }, brands: {}, appliedSignals: [] } }, t.clock.now());
    const built = (await t.as('ann').run()).json.digest;
    expect(built).toEqual({ ...ANN_DIGEST, stylesConsidered: ['minimal', 'Street', 'boho', 'preppy'], climateZone: 'temperate' });
    expect((await t.as('ann').latest()).json.digest).toEqual(built);
  });

  it("records the digest's wardrobe in the profile, and skips on what the profile recorded", async () => {
    const t = routesHarness();
    await t.seed(ANN_ITEMS);
    const ann = t.as('ann');
    // The user's profile says nothing of a digest yet (a default one is created for the hash).
    expect((await readProfile(t.documents, 'ann')).wardrobeHashAtLastDigest).toBeUndefined();
    await ann.run();
    expect(await readProfile(t.documents, 'ann')).toMatchObject({ wardrobeHashAtLastDigest: ANN_DIGEST.wardrobeHash, currencyCode: 'USD', stylePreferences: [] });
    // Another hash in the profile (the wardrobe it last saw differs): the same wardrobe is digested again.
    await updateServerFields(t.documents, 'ann', { wardrobeHashAtLastDigest: 'elsewhere' }, t.clock.now());
    t.clock.advance(60_000);
    expect((await ann.run()).json).toMatchObject({ status: 'ok', digest: { id: ANN_DIGEST.id, generatedAt: '2026-11-23T06:01:00Z' } });
    expect((await readProfile(t.documents, 'ann')).wardrobeHashAtLastDigest).toBe(ANN_DIGEST.wardrobeHash);
    expect((await ann.run()).json).toEqual({ status: 'skipped', reason: 'wardrobe_unchanged' });
    // A change to the wardrobe is a new digest, and the profile follows it.
    await t.seed([{ ...ANN_ITEMS[0]!, wearCount: 5 }]);
    const next = (await ann.run()).json.digest;
    expect(next.wardrobeHash).not.toBe(ANN_DIGEST.wardrobeHash);
    expect((await readProfile(t.documents, 'ann')).wardrobeHashAtLastDigest).toBe(next.wardrobeHash);
    // A user's edits of their profile keep the server's record of it.
    await replaceStoredProfile(t.documents, 'ann', (stored) => replaceProfile(stored, { currencyCode: 'EUR' }, 'ann'), t.clock.now());
    expect((await ann.run()).json).toEqual({ status: 'skipped', reason: 'wardrobe_unchanged' });
  });

  it('refuses a force that is not a boolean', async () => {
    const t = routesHarness();
    const reply = await t.as('ann').run('force=maybe');
    expect(reply).toMatchObject({ statusCode: 400, headers: { 'content-type': 'application/problem+json' }, json: { code: 'validation_failed' } });
  });
});

describe('digest feedback', () => {
  it('stores a vote per suggestion; voting again overwrites it', async () => {
    const { ann } = await annWithDigest();
    const digestId = ANN_DIGEST.id;
    expect((await ann.feedback(`digestId=${digestId}`)).json).toEqual({ feedback: [] });
    expect(await ann.vote({ digestId, suggestionIndex: 2, suggestionDescription: 'Your white tops', signal: 'up' })).toMatchObject({ statusCode: 200, json: { status: 'ok' } });
    // No description: the contract's default ("").
    expect((await ann.vote({ digestId, suggestionIndex: 0, signal: 'down' })).json).toEqual({ status: 'ok' });
    expect((await ann.vote({ digestId, suggestionIndex: 2, signal: 'down' })).json).toEqual({ status: 'ok' });
    expect((await ann.feedback(`digestId=${digestId}`)).json).toEqual({ feedback: [{ suggestionIndex: 0, signal: 'down' }, { suggestionIndex: 2, signal: 'down' }] });
  });

  it('400s without a digestId, with a bad signal, index or body', async () => {
    const { ann } = await annWithDigest();
    const digestId = ANN_DIGEST.id;
    for (const reply of [
      await ann.feedback(''),
      await ann.vote({ digestId, suggestionIndex: 0, signal: 'meh' }),
      await ann.vote({ digestId, suggestionIndex: 0.5, signal: 'up' }),
      await ann.vote({ digestId, suggestionIndex: -1, signal: 'up' }),
      await ann.vote({ suggestionIndex: 0, signal: 'up' }),
    ]) {
      expect(reply).toMatchObject({ statusCode: 400, headers: { 'content-type': 'application/problem+json' }, json: { code: 'validation_failed' } });
      expect(reply.json.detail).toEqual(expect.any(String));
    }
    // Ann's digest has 4 suggestions.
    expect(await ann.vote({ digestId, suggestionIndex: 4, signal: 'up' })).toMatchObject({ statusCode: 400, json: { code: 'invalid_suggestion_index' } });
  });

  it("404s on a digest that is not the caller's, and keeps votes apart", async () => {
    const { t, ann } = await annWithDigest();
    const bob = t.as('bob');
    const digestId = ANN_DIGEST.id;
    expect(await bob.vote({ digestId, suggestionIndex: 0, signal: 'up' })).toMatchObject({ statusCode: 404, headers: { 'content-type': 'application/problem+json' }, json: { code: 'not_found' } });
    expect((await bob.feedback(`digestId=${digestId}`)).statusCode).toBe(404);
    expect((await ann.vote({ digestId: 'ann-0000000000000000', suggestionIndex: 0, signal: 'up' })).statusCode).toBe(404);
    expect((await ann.feedback(`digestId=${digestId}`)).json).toEqual({ feedback: [] });
  });
});
