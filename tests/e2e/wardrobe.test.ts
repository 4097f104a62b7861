/**
 * The wardrobe service as a user meets it: `npm start` over real HTTP, nothing mocked.
 *
 * Two host processes share one set of data. Host 1 is `npm start` on embedded defaults (its own
 * Azurite and Cosmos emulator, the offline model). Host 2 is started after sign-up against host
 * 1's Cosmos and Storage, with the language model pointed at the OpenAI-compatible test server
 * and the signed-up user in ADMIN_USER_IDS. Both sign tokens with the same JWT_SECRET, so one
 * access token works on both, and both run their queue pollers and schedulers on the shared
 * queues (a job may run on either host, as on a scaled-out Function App).
 *
 * The steps run in order and build on each other: sign-up, an upload and its metadata (offline
 * and through the model), a known wardrobe and its wears, chat with memory over SSE, the taste
 * quiz session and its taste job, the digest through the admin route, the exact vault insights, a brand site
 * read into the discover feed by a queued run (and the admin's run-now), and another user's 404s for everything
 * the first one owns.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cleanMetadata, type ClothingMetadataAnswer } from '../../domain/wardrobe/metadata.ts';
import { eventsOf, parseFrames, readAll } from '../streaming/frames.ts';
import { startLocalHost, sharedDataWith, type LocalHostProcess } from '../support/local-host-process.ts';
import { jsonReply, lastUserText, startOpenAIServer, textReply, type OpenAITestServer, type RecordedRequest } from '../support/openai-server.ts';
import { datasetWears, WARDROBE_DATASET } from '../support/wardrobe-dataset.ts';

type Json = Record<string, unknown>;

const MODEL = 'e2e-stylist';
const JWT_SECRET = randomBytes(48).toString('base64url');
// One user's week of use happens in a few seconds here; the default 100 a minute would make the
// polling loops below race the limiter, which is not what this test is about.
const COMMON_ENV = { JWT_SECRET, RATE_LIMIT_DEFAULT: '1000', SCRAPER_ALLOW_LOOPBACK: 'true' };
const DEADLINE_MS = 60_000;

/** What the model is scripted to answer for a photo. */
const SCRIPTED_METADATA: ClothingMetadataAnswer = {
  category: 'tops', subcategory: 'Polo shirt', colours: [{ name: 'Red', hex: '#C81E28' }], brand: '', pattern: 'solid', material: 'Cotton piqué',
  seasons: ['summer', 'spring'], formality: 'smart-casual', tags: ['polo', 'Red', 'polo'], aestheticTags: ['preppy'], confidence: 0.9,
};
const stylistAnswer = (message: string) => `Stylist says: try it with your white shirt (${message.length} characters heard).`;

const schemaName = (request: RecordedRequest) => (request.responseFormat?.json_schema as { name?: string } | undefined)?.name;

/** The model behind host 2, by what each call asks for. */
function modelResponder(request: RecordedRequest) {
  if (schemaName(request) === 'clothing_metadata') return jsonReply(SCRIPTED_METADATA);
  if (request.stream) return textReply(stylistAnswer(lastUserText(request)));
  return { fault: 500 as const };
}

/** A product page with schema.org JSON-LD, as a shop would serve it; the price can change. */
const PRODUCT = { name: 'Merino Crew Jumper', brand: 'Fjordwool', price: 89.5, currency: 'EUR', image: '/images/jumper.jpg' };
function productPage(price: number): string {
  const jsonLd = {
    '@context': 'https://schema.org', '@type': 'Product', name: PRODUCT.name, brand: { '@type': 'Brand', name: PRODUCT.brand }, image: PRODUCT.image,
    offers: { '@type': 'Offer', price: price.toFixed(2), priceCurrency: PRODUCT.currency, availability: 'https://schema.org/InStock' },
  };
  return `<!doctype html><html><head><title>${PRODUCT.name}</title><script type="application/ld+json">${JSON.stringify(jsonLd)}</script></head><body><h1>${PRODUCT.name}</h1></body></html>`;
}

interface Shop {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  price: number;
  close(): Promise<void>;
}

async function startShop(): Promise<Shop> {
  const server = createServer((req, res) => {
    shop.requests.push(req.url ?? '');
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body><a href="/products/merino-crew">Merino crew</a> <a href="/about">About</a></body></html>');
      return;
    }
    if (req.url === '/products/merino-crew') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(productPage(shop.price));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    price: PRODUCT.price,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'portico-e2e-'));
let model: OpenAITestServer;
let shop: Shop;
let host1: LocalHostProcess;
let host2: LocalHostProcess | undefined;

/** A small JSON client for one host and one caller. */
function client(base: () => string, token?: () => string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(token ? { authorization: `Bearer ${token()}` } : {}), ...extra });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base()}/api/${path}`, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    patch: (path: string, body: unknown = {}) => call('PATCH', path, body),
    /** POST /api/chat, read to the end of the stream: the event frames, heartbeats dropped. */
    chat: async (body: Json) => {
      const response = await fetch(`${base()}/api/chat`, { method: 'POST', headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }), body: JSON.stringify(body) });
      const text = await readAll(response.body as unknown as AsyncIterable<Uint8Array>);
      return { status: response.status, contentType: response.headers.get('content-type'), events: eventsOf(parseFrames(text)) };
    },
    upload: async (bytes: Buffer, contentType: string) => {
      const response = await fetch(`${base()}/api/process-image`, { method: 'POST', headers: headers({ 'content-type': contentType }), body: bytes });
      return { status: response.status, body: (await response.json()) as Json };
    },
  };
}

/** Polls `probe` until `done` says so, within the overall deadline (a bound, not a timing claim). */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await probe();
  }
  return value;
}

async function signUp(api: ReturnType<typeof client>, email: string): Promise<{ accessToken: string; userId: string }> {
  expect((await api.post('auth/request-pin', { email })).status).toBe(202);
  const outbox = await api.get(`dev/outbox?email=${encodeURIComponent(email)}`);
  const messages = outbox.body.messages as { text: string }[];
  const pin = /\b(\d{6,8})\b/.exec(messages.at(-1)!.text)![1];
  const signup = await api.post('auth/confirm-signup', { email, pin, password: 'correct horse battery staple' });
  expect(signup.status).toBe(201);
  return { accessToken: signup.body.accessToken as string, userId: (signup.body.user as { id: string }).id };
}

// A red rectangle on a white background: a garment on a plain backdrop.
const RED = { r: 200, g: 30, b: 40 };
const RED_HEX = '#c81e28';
const nearRed = (hex: string) =>
  [1, 3, 5].every((at, index) => Math.abs(Number.parseInt(hex.slice(at, at + 2), 16) - [RED.r, RED.g, RED.b][index]!) <= 8);
async function garmentPng(): Promise<Buffer> {
  const patch = await sharp({ create: { width: 200, height: 160, channels: 3, background: RED } }).png().toBuffer();
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } })
    .composite([{ input: patch, left: 100, top: 70 }])
    .png()
    .toBuffer();
}

// What the steps hand to each other.
const alice = { accessToken: '', userId: '' };
const bob = { accessToken: '', userId: '' };
const owned = { imageId: '', itemIds: {} as Record<string, string>, conversationId: '', quizSessionId: '' };
const now = new Date();

const host1Url = () => host1.url;
const host2Url = () => {
  if (!host2) throw new Error('host 2 is not running');
  return host2.url;
};
const public1 = client(host1Url);
const alice1 = client(host1Url, () => alice.accessToken);
const alice2 = client(host2Url, () => alice.accessToken);
const bob1 = client(host1Url, () => bob.accessToken);

beforeAll(async () => {
  model = await startOpenAIServer({ responder: modelResponder });
  shop = await startShop();
  host1 = await startLocalHost({ dataDir, env: COMMON_ENV });
}, 300_000);

afterAll(async () => {
  // Host 2 first: it uses host 1's emulators. A host that does not stop in time is killed.
  for (const host of [host2, host1]) {
    if (!host) continue;
    const timer = setTimeout(() => host.kill(), 20_000);
    await host.stop();
    clearTimeout(timer);
  }
  await Promise.allSettled([model?.close(), shop?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
}, 300_000);

describe('the wardrobe service end to end on the local host', () => {
  it('signs two users up through the dev outbox, then starts a model-backed host that knows the first as an admin', async () => {
    Object.assign(alice, await signUp(public1, `alice-${Date.now()}@example.com`));
    Object.assign(bob, await signUp(public1, `bob-${Date.now()}@example.com`));
    expect((await alice1.get('auth/me')).body).toMatchObject({ id: alice.userId, isAdmin: false });

    host2 = await startLocalHost({
      dataDir,
      env: {
        ...COMMON_ENV,
        ...sharedDataWith(host1),
        OPENAI_API_KEY: 'e2e-test-key',
        OPENAI_BASE_URL: model.openaiBaseURL,
        OPENAI_MODEL: MODEL,
        AI_MAX_RETRIES: '0',
        ADMIN_USER_IDS: `portico|${alice.userId}`,
      },
    });
    // The same token, another process: the same account, now an admin there.
    expect((await alice2.get('auth/me')).body).toMatchObject({ id: alice.userId, isAdmin: true });
  }, 300_000);

  it('uploads a generated PNG and extracts its metadata offline (colours from the pixels) and through the model', async () => {
    const png = await garmentPng();
    const upload = await alice1.upload(png, 'image/png');
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ width: 400, height: 300, format: 'webp', backgroundRemoval: { status: 'skipped', reason: 'not_configured' } });
    const dominant = upload.body.dominantColours as { hex: string; name: string; share: number }[];
    expect(dominant.map((colour) => colour.name).slice(0, 2).sort()).toEqual(['red', 'white']);
    expect(dominant.find((colour) => colour.name === 'red')).toMatchObject({ hex: RED_HEX });
    owned.imageId = upload.body.imageId as string;

    // Host 1: the offline provider reads the image's own colours.
    const offline = await alice1.post('extract-clothing-metadata', { imageId: owned.imageId });
    expect(offline.status).toBe(200);
    expect(offline.body).toMatchObject({ model: 'offline', confidence: 0.25 });
    // Read from the stored WebP (lossy), so the hex is the garment's red give or take a few levels.
    const red = (offline.body.colours as { name: string; hex: string }[]).find((colour) => colour.name === 'red');
    expect(red).toBeDefined();
    expect(nearRed(red!.hex)).toBe(true);

    // Host 2: the same stored image goes to the model, and its scripted answer comes back cleaned.
    const before = model.requests.length;
    const viaModel = await alice2.post('extract-clothing-metadata', { imageId: owned.imageId });
    expect(viaModel.status).toBe(200);
    expect(viaModel.body).toEqual(cleanMetadata(SCRIPTED_METADATA, MODEL));
    const sent = model.requests.slice(before).filter((request) => schemaName(request) === 'clothing_metadata');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ model: MODEL, credential: 'Bearer e2e-test-key', responseFormat: { type: 'json_schema' } });
    const parts = sent[0]!.messages.flatMap((message) => (Array.isArray(message.content) ? (message.content as { type: string; image_url?: { url: string } }[]) : []));
    const imageUrl = parts.find((part) => part.type === 'image_url')?.image_url?.url ?? '';
    const dataUrl = /^data:image\/[a-z]+;base64,(.+)$/.exec(imageUrl);
    expect(dataUrl).not.toBeNull();
    // The model saw our picture: its size, and red where the garment is.
    const seen = sharp(Buffer.from(dataUrl![1]!, 'base64'));
    expect(await seen.metadata()).toMatchObject({ width: 400, height: 300 });
    const { data } = await seen.clone().extract({ left: 200, top: 150, width: 1, height: 1 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(nearRed(`#${data.toString('hex')}`)).toBe(true);
  }, 300_000);

  it('creates the known wardrobe and logs its wears; a repeated clientEventId changes nothing', async () => {
    for (const item of WARDROBE_DATASET) {
      const created = await alice1.post('wardrobe', item.body);
      expect(created.status).toBe(201);
      owned.itemIds[item.key] = created.body.id as string;
    }
    for (const wear of datasetWears(now)) {
      const logged = await alice1.patch(`wardrobe/${owned.itemIds[wear.key]}/wear`, { clientEventId: wear.wearId, occurredAt: wear.wornAt, source: 'vault_card' });
      expect(logged.status).toBe(200);
    }
    const shirt = owned.itemIds.shirt!;
    const before = await alice1.get(`wardrobe/${shirt}`);
    expect(before.body).toMatchObject({ wearCount: 9 });
    // The wishlist item is left out of the list unless asked for.
    expect((await alice1.get('wardrobe?pageSize=100')).body.items).toHaveLength(WARDROBE_DATASET.length - 1);
    expect((await alice1.get('wardrobe?pageSize=100&includeWishlisted=true')).body.items).toHaveLength(WARDROBE_DATASET.length);

    // The same clientEventId again, even with another date and through the other host: the item unchanged, no new wear.
    const repeat = await alice2.patch(`wardrobe/${shirt}/wear`, { clientEventId: 'shirt-1', occurredAt: new Date(now.getTime() - 50 * 86_400_000).toISOString() });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ wearCount: 9, lastWornAt: before.body.lastWornAt });
    const after = await alice1.get(`wardrobe/${shirt}`);
    expect(after.body).toMatchObject({ wearCount: 9, lastWornAt: before.body.lastWornAt });
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  }, 300_000);

  it('chats over SSE through the model: a fact remembered in turn 1 is in the prompt of turn 2; the conversation reads back', async () => {
    const typesOf = (events: { data?: unknown }[]) => events.map((frame) => (frame.data as Json).type);
    const turn1 = await alice2.chat({ message: 'Remember that I prefer navy.', recent_messages: [], selected_item_ids: null, trace_id: 'e2e-1' });
    expect(turn1.status).toBe(200);
    expect(turn1.contentType).toMatch(/^text\/event-stream/);
    // Every frame is one data line (parseFrames would keep a comment or an event: line).
    expect(turn1.events.every((frame) => frame.comment === undefined && frame.event === undefined)).toBe(true);
    expect(typesOf(turn1.events).filter((type) => type !== 'token')).toEqual(['tool_use', 'tool_result', 'memory_update', 'done']);
    expect(turn1.events.every((frame) => (frame.data as Json).traceId === 'e2e-1')).toBe(true);
    expect(turn1.events.at(-2)!.data).toMatchObject({ type: 'memory_update', updated: true });
    owned.conversationId = (turn1.events.at(-1)!.data as Json).conversationId as string;
    const tokens1 = turn1.events.filter((frame) => (frame.data as Json).type === 'token');
    expect(tokens1.length).toBeGreaterThan(1);
    expect(tokens1.map((frame) => (frame.data as { content: string }).content).join('')).toBe(stylistAnswer('Remember that I prefer navy.'));

    const question = 'What goes with my grey trainers?';
    const before = model.requests.length;
    const turn2 = await alice2.chat({ message: question, conversationId: owned.conversationId });
    expect(typesOf(turn2.events).at(-1)).toBe('done');
    const prompt = model.requests.slice(before).find((request) => request.stream);
    expect(prompt).toBeDefined();
    expect(lastUserText(prompt!)).toBe(question);
    const system = prompt!.messages.find((message) => message.role === 'system');
    expect(String(system?.content)).toContain('I prefer navy');
    // Turn 1 travels as history (the stored turns of the conversation named).
    expect(prompt!.messages.map((message) => message.content)).toEqual(expect.arrayContaining(['Remember that I prefer navy.', stylistAnswer('Remember that I prefer navy.')]));

    const list = await alice1.get('chat/conversations');
    expect(list.body.items).toEqual([expect.objectContaining({ id: owned.conversationId, messageCount: 4 })]);
    const conversation = await alice1.get(`chat/conversations/${owned.conversationId}`);
    expect(conversation.status).toBe(200);
    expect((conversation.body.turns as Json[]).map(({ role, content, status }) => ({ role, content, status }))).toEqual([
      { role: 'user', content: 'Remember that I prefer navy.', status: 'complete' },
      { role: 'assistant', content: stylistAnswer('Remember that I prefer navy.'), status: 'complete' },
      { role: 'user', content: question, status: 'complete' },
      { role: 'assistant', content: stylistAnswer(question), status: 'complete' },
    ]);
    expect((await alice1.get('chat/memory')).body).toMatchObject({ summary: '- I prefer navy' });
  }, 300_000);

  it('takes the taste quiz: a session of mood cards, up and down responses, and the inferred tastes on completion', async () => {
    const quiz = await alice1.get('taste/quiz');
    expect(quiz.status).toBe(200);
    expect((quiz.body.cards as Json[]).length).toBe(12);
    owned.quizSessionId = quiz.body.sessionId as string;
    expect((await alice1.post(`taste/quiz/${owned.quizSessionId}/respond`, { signal: 'up', cardPrimaryMood: 'Coastal' })).body).toEqual({ sessionId: owned.quizSessionId, responsesRecorded: 1, targetResponses: 12 });
    await alice1.post(`taste/quiz/${owned.quizSessionId}/respond`, { signal: 'down', cardPrimaryMood: 'Edgy' });
    const done = await alice1.post(`taste/quiz/${owned.quizSessionId}/complete`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ sessionId: owned.quizSessionId, inferredTastes: { brands: [] } });
    expect((done.body.inferredTastes as { styleKeywords: string[] }).styleKeywords).toContain('coastal');
    expect((done.body.inferredTastes as { styleKeywords: string[] }).styleKeywords).not.toContain('edgy');
    // The taste job (run by either host's queue poller) adds the liked mood to the profile.
    const profile = await until(() => alice1.get('profile'), (r) => r.status === 200 && r.body.styleConfidenceProfile !== undefined, 'the taste job');
    expect((profile.body.styleConfidenceProfile as { styleKeywords: Record<string, number> }).styleKeywords).toMatchObject({ coastal: 0.5 });
    expect((profile.body.styleConfidenceProfile as { styleKeywords: Record<string, number> }).styleKeywords).not.toHaveProperty('edgy');
  }, 300_000);

  it('runs the digest through the admin route and reads it back; the caller runs their own; votes on it', async () => {
    expect((await alice1.post(`admin/digest/run?userId=${encodeURIComponent(alice.userId)}`)).status).toBe(403);
    const run = await alice2.post(`admin/digest/run?userId=${encodeURIComponent(alice.userId)}`);
    expect(run.status).toBe(202);
    expect(run.body).toMatchObject({ users: 1 });

    const latest = await until(() => alice1.get('digest/latest'), (r) => r.status === 200 && r.body.digest !== null, 'the digest');
    const digest = latest.body.digest as Json & { suggestions: Json[] };
    expect(digest).toMatchObject({ id: `${alice.userId}-${digest.wardrobeHash as string}`, userId: alice.userId, totalItems: 8, generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    // The two items idle for 30+ days, longest first.
    expect(digest.suggestions.slice(0, 2)).toMatchObject([
      { itemId: owned.itemIds.linen, rationale: 'Not worn for 120 days: give it an outing this week.' },
      { itemId: owned.itemIds.blazer, rationale: 'Not worn for 95 days: give it an outing this week.' },
    ]);
    expect((await alice1.post('digest/run')).body).toEqual({ status: 'skipped', reason: 'wardrobe_unchanged' });
    expect((await alice1.post('digest/feedback', { digestId: digest.id, suggestionIndex: 1, signal: 'up' })).body).toEqual({ status: 'ok' });
    expect((await alice2.get(`digest/feedback?digestId=${encodeURIComponent(digest.id as string)}`)).body).toEqual({ feedback: [{ suggestionIndex: 1, signal: 'up' }] });
  }, 300_000);

  it('answers the vault insights in the clients\' shape, with an ETag', async () => {
    const insights = await alice1.get('insights/vault?windowDays=90&targetCpw=100');
    expect(insights.status).toBe(200);
    expect(insights.body).toMatchObject({ insufficientData: false, behavioralInsights: { sparseHistory: false } });
    expect((insights.body.cpwIntel as Json[]).map((entry) => entry.itemId).sort()).toEqual(Object.entries(owned.itemIds).filter(([key]) => key !== 'boots').map(([, id]) => id).sort());
  }, 300_000);

  it('reads a suggested brand site into the discover feed through a queued run, and only the admin may run a source now', async () => {
    const suggested = await alice1.post('scraper/sources', { name: 'Fjordwool', url: `${shop.url}/`, sourceType: 'brand' });
    expect(suggested.status).toBe(201);
    expect(suggested.body.sourceId).toBe('brand-fjordwool');
    // The run is a job on the shared queue: either host may read the shop.
    const feed = await until(() => alice1.get('scraper/items?sortBy=recent&sourceIds=brand-fjordwool'), (r) => (r.body.items as Json[] | undefined)?.length === 1, 'the scraped product');
    const [item] = feed.body.items as Json[];
    expect(item).toMatchObject({ title: PRODUCT.name, brand: PRODUCT.brand, price: `${PRODUCT.price.toFixed(2)} ${PRODUCT.currency}`, productUrl: `${shop.url}/products/merino-crew`, scoreSignal: 0 });
    expect(item).not.toHaveProperty('embedding');
    expect(feed.body.nextContinuationToken).toBeNull();

    const vote = await bob1.post(`scraper/items/${item!.id as string}/feedback`, { signal: 'up' });
    expect(vote.body).toEqual({ itemId: item!.id, signal: 'up', scoreSignal: 1 });
    expect((await alice1.post('scraper/run/brand-fjordwool')).status).toBe(403);
    const run = await alice2.post('scraper/run/brand-fjordwool');
    expect(run.body).toEqual({ sourceId: 'brand-fjordwool', newItems: 0 });
  }, 300_000);

  it("gives another user 404 for the first user's items, image, conversation and taste quiz session", async () => {
    const item = await bob1.get(`wardrobe/${owned.itemIds.shirt}`);
    expect([item.status, item.body.code]).toEqual([404, 'not_found']);
    const wear = await bob1.patch(`wardrobe/${owned.itemIds.shirt}/wear`, { clientEventId: 'bob-1' });
    expect([wear.status, wear.body.code]).toEqual([404, 'not_found']);
    const image = await bob1.post('extract-clothing-metadata', { imageId: owned.imageId });
    expect([image.status, image.body.code]).toEqual([404, 'not_found']);
    const conversation = await bob1.get(`chat/conversations/${owned.conversationId}`);
    expect([conversation.status, conversation.body.code]).toEqual([404, 'not_found']);
    const session = await bob1.post(`taste/quiz/${owned.quizSessionId}/respond`, { signal: 'up' });
    expect([session.status, session.body.code]).toEqual([404, 'not_found']);
    // And nothing of the first user's in the second one's lists.
    expect((await bob1.get('wardrobe?includeWishlisted=true')).body.items).toEqual([]);
    expect((await bob1.get('chat/conversations')).body.items).toEqual([]);
    // The first user's item is untouched by the refused wear.
    expect((await alice1.get(`wardrobe/${owned.itemIds.shirt}`)).body).toMatchObject({ wearCount: 9 });
  }, 300_000);

  it('logged no error on either host along the way', () => {
    const errors = [host1, host2!].flatMap((host) =>
      host.output().split('\n').filter((line) => line.startsWith('{') && (JSON.parse(line) as { level: number }).level >= 50),
    );
    expect(errors).toEqual([]);
  });
});
