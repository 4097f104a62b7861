/**
 * Ownership, over every wardrobe route that takes an id (read from the function table, so a new
 * one fails here until it is classified): Ann owns one of each thing — an item, a draft, a
 * private collection, a wear suggestion, a conversation, a quiz session, a digest — and Bob,
 * signed in, sends Ann's ids to every route. Each answer is a 404 problem (never 403, which would
 * say the thing exists), and Ann's things are exactly as they were afterwards. Routes whose ids
 * are not a user's (the shared discover pool, the mood catalogue, admin tools) are listed apart,
 * with why. Runs through the real composition root on memory ports.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import type { Document } from '../../domain/ports.ts';
import wardrobe from '../../handlers/wardrobe/index.ts';
import { conversationsContainer } from '../../handlers/wardrobe/chat/store.ts';
import type { HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';
import { testApp } from '../support/app.ts';
import { fakeModel } from './items/support.ts';

const t = testApp({ services: [wardrobe], ports: { model: fakeModel((offline) => offline()) } });

/** Routes whose path ids are not one user's, and why Bob may use them. */
const NOT_OWNED: Record<string, string> = {
  'wardrobe-scraper-item-feedback': 'the discover feed is one shared pool (userId "global")',
  'wardrobe-scraper-lease': 'sources are shared; a held lease is 409 for anyone else',
  'wardrobe-scraper-subscribe': 'sources are shared',
  'wardrobe-scraper-unsubscribe': 'sources are shared',
  'moods-get': 'the mood catalogue is shared',
  'admin-scraper-run': 'admin only: 403 for a user',
  'admin-scraper-unban': 'admin only: 403 for a user',
};

interface Owned {
  item: string;
  draft: string;
  collection: string;
  suggestion: string;
  conversation: string;
  session: string;
  digest: string;
}
const ann: Partial<Owned> = {};
let annToken = '';
let bobToken = '';

async function send(name: string, token: string, init: { method?: string; path: string; params?: Record<string, string>; query?: string; body?: unknown; raw?: { bytes: Buffer; type: string } }) {
  const handler = await t.handler<HttpLambda>(name);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.raw) headers['content-type'] = init.raw.type;
  const event = {
    ...httpEvent({
      method: init.method ?? 'GET', path: init.path, headers, ...(init.query ? { query: init.query } : {}),
      ...(init.raw ? { body: init.raw.bytes.toString('base64'), isBase64Encoded: true } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    }),
    ...(init.params ? { pathParameters: init.params } : {}),
  };
  const result = await handler(event, lambdaContext());
  const text = typeof result.body === 'string' ? result.body : '';
  // Read field by field below, as a client does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: Record<string, any> | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: result.statusCode ?? 0, headers: result.headers ?? {}, json };
}

/** Everything Ann can read about what she owns, to compare before and after Bob's attempts. */
async function annsView(): Promise<unknown[]> {
  const reads = [
    send('wardrobe-get', annToken, { path: `/api/wardrobe/${ann.item}`, params: { id: ann.item! } }),
    send('wardrobe-wear-history', annToken, { path: `/api/wardrobe/${ann.item}/wear-history`, params: { id: ann.item! } }),
    send('wardrobe-drafts-list', annToken, { path: '/api/wardrobe/drafts' }),
    send('collections-get', annToken, { path: `/api/collections/${ann.collection}`, params: { id: ann.collection! } }),
    send('wardrobe-wear-suggestions', annToken, { path: '/api/wardrobe/suggestions/wear' }),
    send('wardrobe-chat-conversations-get', annToken, { path: `/api/chat/conversations/${ann.conversation}`, params: { id: ann.conversation! } }),
    send('wardrobe-digest-feedback-list', annToken, { path: '/api/digest/feedback', query: `digestId=${encodeURIComponent(ann.digest!)}` }),
  ];
  // Signed URLs are made per read; the rest must not change.
  return (await Promise.all(reads)).map((reply) => JSON.parse(JSON.stringify(reply.json ?? null).replace(/"(imageUrl|rawImageBlobUrl)":"[^"]*"/g, '"$1":"signed"')));
}

beforeAll(async () => {
  annToken = (await t.ports.auth.tokens.issueAccessToken({ userId: 'ann' })).accessToken;
  bobToken = (await t.ports.auth.tokens.issueAccessToken({ userId: 'bob' })).accessToken;
  const item = await send('wardrobe-create', annToken, { method: 'POST', path: '/api/wardrobe', body: { category: 'Coats', brand: 'Arket', price: { amount: 120, originalCurrency: 'EUR' }, tags: [], colours: [] } });
  expect(item.status).toBe(201);
  ann.item = item.json!.id;
  const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toBuffer();
  const draft = await send('wardrobe-upload', annToken, { method: 'POST', path: '/api/wardrobe/upload', raw: { bytes: jpeg, type: 'image/jpeg' } });
  expect(draft.status).toBe(202);
  ann.draft = draft.json!.id;
  const collection = await send('collections-create', annToken, { method: 'POST', path: '/api/collections', body: { name: 'Private', isPublic: false, clothingItemIds: [ann.item] } });
  expect(collection.status).toBe(201);
  ann.collection = collection.json!.id;
  const activity = await send('wardrobe-styling-activity', annToken, { method: 'POST', path: '/api/wardrobe/styling-activity', body: { itemId: ann.item, clientEventId: 'sty-1' } });
  expect(activity.status).toBe(200);
  const suggestions = await send('wardrobe-wear-suggestions', annToken, { path: '/api/wardrobe/suggestions/wear' });
  ann.suggestion = suggestions.json!.suggestions[0].suggestionId;
  const now = t.clock.now().toISOString();
  await t.ports.documents.repository<Document>(conversationsContainer).create({ id: 'conv-ann', userId: 'ann', title: 'Hello', messageCount: 0, createdAt: now, updatedAt: now });
  ann.conversation = 'conv-ann';
  const quiz = await send('wardrobe-taste-quiz', annToken, { path: '/api/taste/quiz' });
  expect(quiz.status).toBe(200);
  ann.session = quiz.json!.sessionId;
  const digest = await send('wardrobe-digest-run', annToken, { method: 'POST', path: '/api/digest/run', query: 'force=true' });
  expect(digest.json).toMatchObject({ status: 'ok' });
  ann.digest = digest.json!.digest.id;
}, 60_000);

/** Bob's request for each owned route: Ann's ids in the path, a body that passes validation. */
function attempt(name: string, trigger: HttpTrigger): { params: Record<string, string>; path: string; body?: unknown } {
  const ids: Record<string, string | undefined> = {
    'wardrobe-drafts-accept': ann.draft,
    'wardrobe-drafts-retry': ann.draft,
    'wardrobe-wear-suggestion-update': ann.suggestion,
    'wardrobe-taste-quiz-respond': ann.session,
    'wardrobe-taste-quiz-complete': ann.session,
  };
  const params: Record<string, string> = {};
  for (const [, param] of trigger.route.matchAll(/\{(\w+)\}/g)) {
    const value = param === 'itemId' ? ann.item : trigger.route.startsWith('collections/') ? ann.collection : trigger.route.startsWith('chat/') ? ann.conversation : (ids[name] ?? ann.item);
    params[param!] = value!;
  }
  const bodies: Record<string, unknown> = {
    'wardrobe-replace': { id: ann.item, category: 'Stolen', tags: [], colours: [], isWishlisted: false, wearCount: 0 },
    'wardrobe-wear': { clientEventId: 'wear-bob' },
    'wardrobe-wear-suggestion-update': { status: 'Dismissed' },
    'collections-update': { name: 'Mine now' },
    'collections-add-item': { itemId: ann.item },
    'wardrobe-taste-quiz-respond': { signal: 'up', cardPrimaryMood: 'Minimalist' },
  };
  const path = `/api/${trigger.route.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(params[param]!))}`;
  return { params, path, ...(name in bodies ? { body: bodies[name] } : {}) };
}

const idRoutes = wardrobe.functions.filter((def) => def.trigger.kind === 'http' && /\{\w+\}/.test((def.trigger as HttpTrigger).route));

describe("another user's ids", () => {
  it('every wardrobe route with an id in its path is either owned (and tested below) or listed as shared with its reason', () => {
    expect(idRoutes.length).toBeGreaterThan(15);
    for (const name of Object.keys(NOT_OWNED)) expect(idRoutes.map((def) => def.name)).toContain(name);
  });

  for (const def of idRoutes.filter((candidate) => !(candidate.name in NOT_OWNED))) {
    const trigger = def.trigger as HttpTrigger;
    it(`${trigger.method} /api/${trigger.route}: 404 problem for Bob, and Ann's things unchanged`, async () => {
      const before = await annsView();
      const { params, path, body } = attempt(def.name, trigger);
      const reply = await send(def.name, bobToken, { method: trigger.method, path, params, ...(body !== undefined ? { body } : {}) });
      expect({ route: trigger.route, status: reply.status, code: reply.json?.code }).toEqual({ route: trigger.route, status: 404, code: 'not_found' });
      expect(String(reply.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(await annsView()).toEqual(before);
    });
  }

  it("a digest that is not Bob's: its feedback is 404 both ways", async () => {
    const query = `digestId=${encodeURIComponent(ann.digest!)}`;
    expect((await send('wardrobe-digest-feedback-list', bobToken, { path: '/api/digest/feedback', query })).status).toBe(404);
    const vote = await send('wardrobe-digest-feedback-send', bobToken, { method: 'POST', path: '/api/digest/feedback', body: { digestId: ann.digest, suggestionIndex: 0, signal: 'down' } });
    expect(vote.status).toBe(404);
  });

  it("Ann's own requests still work on the same ids (the 404s above are about ownership, not bad ids)", async () => {
    expect((await send('wardrobe-get', annToken, { path: `/api/wardrobe/${ann.item}`, params: { id: ann.item! } })).status).toBe(200);
    expect((await send('collections-get', annToken, { path: `/api/collections/${ann.collection}`, params: { id: ann.collection! } })).status).toBe(200);
    const respond = await send('wardrobe-taste-quiz-respond', annToken, { method: 'POST', path: `/api/taste/quiz/${ann.session}/respond`, params: { sessionId: ann.session! }, body: { signal: 'up', cardPrimaryMood: 'Minimalist' } });
    expect(respond.status).toBe(200);
    const history = await send('wardrobe-wear-history', annToken, { path: `/api/wardrobe/${ann.item}/wear-history`, params: { id: ann.item! } });
    expect(history.json).toMatchObject({ itemId: ann.item, events: [] });
  });
});
