/**
 * The moods catalogue (contract 7.6) through the real HTTP stack and the real authenticator
 * (Portico tokens, ADMIN_USER_IDS): list by trend, one mood, and the admin-only seed scoring
 * the catalogue from the items users added in the window.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import type { Document } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { MOOD_CATALOGUE, moodId, PRIMARY_MOODS, scoreMoods } from '../../../domain/wardrobe/moods.ts';
import type { HttpLambda } from '../../../kernel/functions.ts';
import { createAuthenticator } from '../../../middleware/auth/authenticator.ts';
import { loadAuthSettings } from '../../../middleware/auth/settings.ts';
import { createTokenService, type TokenService } from '../../../middleware/auth/tokens.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import * as defs from '../../../handlers/wardrobe/moods/functions.ts';
import * as routes from '../../../handlers/wardrobe/moods/moods.routes.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import { testClock } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform } from '../../support/platform.ts';

let tokens: TokenService;
const platform = testPlatform();
beforeAll(() => {
  const settings = loadAuthSettings({ JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256-0123', ADMIN_USER_IDS: 'portico|root' });
  tokens = createTokenService(settings);
  platform.authenticate = createAuthenticator({ settings, tokens, logger: platform.logger });
});

const DAY = 86_400_000;

function setup() {
  const clock = testClock();
  const documents = new MemoryDocumentStore(clock);
  const deps = { documents, clock };
  const http = {
    list: httpHandler(defs.listMoods, routes.listMoods(deps), platform),
    get: httpHandler(defs.getMood, routes.getMood(deps), platform),
    seed: httpHandler(defs.seedMoods, routes.seedMoods(deps), platform),
  };
  const bearer = async (user?: string): Promise<Record<string, string>> => (user ? { authorization: `Bearer ${(await tokens.issueAccessToken({ userId: user, roles: [] })).accessToken}` } : {});
  async function call(handler: HttpLambda, init: { method?: string; path: string; query?: string; body?: unknown; user?: string }, pathParameters?: Record<string, string>) {
    const headers: Record<string, string> = { ...(await bearer(init.user)), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
    const result = (await handler({ ...httpEvent({ method: init.method ?? 'GET', path: init.path, query: init.query ?? '', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) }), ...(pathParameters ? { pathParameters } : {}) }, lambdaContext())) as {
      statusCode: number;
      headers: Record<string, string>;
      body?: string;
    };
    return { status: result.statusCode, type: result.headers['content-type'], json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : undefined };
  }
  const addItem = (userId: string, daysAgo: number, item: Partial<StoredClothingItem>) =>
    documents.repository(itemsContainer).create({ id: `${userId}-${Math.random().toString(36).slice(2)}`, userId, tags: [], colours: [], wearCount: 0, isWishlisted: false, dateAdded: new Date(clock.now().getTime() - daysAgo * DAY).toISOString().slice(0, 19) + 'Z', ...item } as StoredClothingItem & Document);
  return { clock, http, call, addItem };
}

type Mood = { id: string; primaryMood: string; trendScore: number; itemCount: number };

describe('POST /api/moods/seed', () => {
  it('is admin-only: 401 without a token, 403 forbidden for a user, and nothing is stored', async () => {
    const t = setup();
    expect((await t.call(t.http.seed, { method: 'POST', path: '/api/moods/seed', body: {} })).status).toBe(401);
    const user = await t.call(t.http.seed, { method: 'POST', path: '/api/moods/seed', body: {}, user: 'ann' });
    expect([user.status, user.type, user.json?.code]).toEqual([403, 'application/problem+json', 'forbidden']);
    expect((await t.call(t.http.list, { path: '/api/moods', user: 'ann' })).json?.moods).toEqual([]);
  });

  it('scores the catalogue from every user\'s items added in the window (newer weigh more; drafts and older items do not count)', async () => {
    const t = setup();
    await t.addItem('ann', 0, { tags: ['Linen', 'stripe'] }); // Coastal Grandmother, weight 1
    await t.addItem('bob', 45, { aestheticTags: ['linen'] }); // weight 0.5 in a 3-month window
    await t.addItem('bob', 10, { tags: ['linen'], draftStatus: 'Ready' }); // a draft: ignored
    await t.addItem('cy', 100, { tags: ['linen'] }); // outside 3 months
    await t.addItem('cy', 5, { category: 'Hoodie', tags: ['graphic'] });
    const seeded = await t.call(t.http.seed, { method: 'POST', path: '/api/moods/seed', body: {}, user: 'root' });
    expect(seeded.status).toBe(200);
    expect(seeded.json).toEqual({ seeded: MOOD_CATALOGUE.length, monthsBack: 3, itemsScanned: 3, truncated: false });

    const coastal = await t.call(t.http.get, { path: '/api/moods/coastal-coastal-grandmother', user: 'ann' }, { moodId: 'coastal-coastal-grandmother' });
    expect(coastal.status).toBe(200);
    expect(coastal.json).toMatchObject({ id: 'coastal-coastal-grandmother', primaryMood: 'Coastal', name: 'Coastal Grandmother', trendScore: 1.5, itemCount: 2, monthsBack: 3 });
    expect(coastal.json?.seededAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // A wider window takes the older item in, at its (smaller) weight; the seed upserts, so ids stay.
    const wide = await t.call(t.http.seed, { method: 'POST', path: '/api/moods/seed', body: { months_back: 12 }, user: 'root' });
    expect(wide.json).toMatchObject({ monthsBack: 12, itemsScanned: 4 });
    const again = await t.call(t.http.get, { path: '/api/moods/coastal-coastal-grandmother', user: 'ann' }, { moodId: 'coastal-coastal-grandmother' });
    expect(again.json).toMatchObject({ itemCount: 3, monthsBack: 12 });
  });

  it.each([[0], [13], ['3'], [1.5]])('months_back %p is 400', async (months) => {
    const t = setup();
    const reply = await t.call(t.http.seed, { method: 'POST', path: '/api/moods/seed', body: { months_back: months }, user: 'root' });
    expect([reply.status, reply.type]).toEqual([400, 'application/problem+json']);
  });
});

describe('GET /api/moods', () => {
  it('answers up to 50 moods by trendScore, of one primary mood when asked, with the 12 primary moods', async () => {
    const t = setup();
    await t.addItem('ann', 1, { tags: ['leather'] });
    await t.addItem('ann', 2, { tags: ['leather', 'grunge'] });
    await t.addItem('ann', 3, { tags: ['hoodie'] });
    await t.call(t.http.seed, { method: 'POST', path: '/api/moods/seed', body: {}, user: 'root' });

    const all = await t.call(t.http.list, { path: '/api/moods', user: 'ann' });
    expect(all.status).toBe(200);
    expect(all.json?.primaryMoods).toEqual([...PRIMARY_MOODS]);
    const moods = all.json?.moods as Mood[];
    expect(moods).toHaveLength(MOOD_CATALOGUE.length);
    expect(moods[0]!.id).toBe('edgy-leather-and-studs');
    expect(moods.map((mood) => mood.trendScore)).toEqual([...moods.map((mood) => mood.trendScore)].sort((a, b) => b - a));

    const edgy = await t.call(t.http.list, { path: '/api/moods', query: 'primaryMood=Edgy', user: 'ann' });
    expect((edgy.json?.moods as Mood[]).map((mood) => mood.id)).toEqual(['edgy-leather-and-studs', 'edgy-grunge-revival']);
    const academia = await t.call(t.http.list, { path: '/api/moods', query: 'primaryMood=Dark%20Academia', user: 'ann' });
    expect((academia.json?.moods as Mood[]).every((mood) => mood.primaryMood === 'Dark Academia')).toBe(true);
  });

  it('an unknown primary mood is 400; an unknown mood id is 404; no token is 401', async () => {
    const t = setup();
    const unknown = await t.call(t.http.list, { path: '/api/moods', query: 'primaryMood=Goth', user: 'ann' });
    expect([unknown.status, unknown.type, unknown.json?.code]).toEqual([400, 'application/problem+json', 'validation_failed']);
    const missing = await t.call(t.http.get, { path: '/api/moods/edgy-nope', user: 'ann' }, { moodId: 'edgy-nope' });
    expect([missing.status, missing.json?.code]).toEqual([404, 'not_found']);
    expect((await t.call(t.http.list, { path: '/api/moods' })).status).toBe(401);
  });
});

describe('the mood rules', () => {
  it('ids are <primarymood-lower>-<slug>', () => {
    expect(moodId('Dark Academia', 'Library Layers')).toBe('dark-academia-library-layers');
    expect(moodId('Coastal', 'Beach Club!')).toBe('coastal-beach-club');
    expect(new Set(MOOD_CATALOGUE.map((mood) => moodId(mood.primaryMood, mood.name))).size).toBe(MOOD_CATALOGUE.length);
    expect(new Set(MOOD_CATALOGUE.map((mood) => mood.primaryMood))).toEqual(new Set(PRIMARY_MOODS));
  });

  it('an item weighs 1 when added now, falling linearly to 0 at the window start, and undated items never count', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const scores = scoreMoods([{ tags: ['tweed'], dateAdded: '2026-06-01T00:00:00Z' }, { tags: ['tweed'], dateAdded: '2026-05-02T00:00:00Z' }, { tags: ['tweed'] }], now, 2);
    expect(scores.find((score) => score.definition.name === 'Library Layers')).toMatchObject({ trendScore: 1.5, itemCount: 2 });
  });
});
