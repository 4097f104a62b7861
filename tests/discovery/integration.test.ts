/**
 * The discovery service end to end in one process: the real composition root (`createApp` with
 * the discovery manifest), the real provider adapters configured by env against the fake
 * providers, the Cosmos DB adapter on the embedded emulator, and the real OpenAI SDK against the
 * local OpenAI server, which answers the parse (structured JSON) and the summary (a stream).
 *
 * Each test asks its own question (the search cache key) and names its own location (the
 * location cache key) in one database made for this run, so the tests share the emulator without
 * reading each other's cache entries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { createApp } from '../../app/app.ts';
import { systemClock } from '../../app/ports.ts';
import { fallbackSummary } from '../../domain/discovery/summary.ts';
import discovery from '../../handlers/discovery/index.ts';
import type { Env } from '../../kernel/env.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { TEST_JWT_SECRET } from '../support/app.ts';
import { startFakeProviders, type FakeProviders } from '../support/fake-providers.ts';
import { jsonReply, lastUserText, startOpenAIServer, textReply, type OpenAITestServer, type Responder } from '../support/openai-server.ts';
import { captureLogger } from '../support/platform.ts';
import { routeCalls, type Reply } from './support.ts';

const KEYS = { geoapify: 'geo-key-5d1f', serpapi: 'serp-key-8a2c', eventbrite: 'eventbrite-token-3e7b', openai: 'sk-test-discovery-91c4' } as const;
const SUMMARY = 'Stonewalker here: the old tunnel above the Cut-Through waits for those who climb at dusk.';
const PIKEVILLE = 'Pikeville, Kentucky, United States';

/** What the model answers for each question (the parse schema's fields); the question is the whole user message. */
const PARSES: Record<string, { location: string; intent: string }> = {
  'hidden gems in Pikeville, KY': { location: 'Pikeville, KY', intent: 'hidden gems' },
  'odd history around Pikeville KY': { location: 'Pikeville KY', intent: 'odd history' },
  'speakeasy bars in Pikeville, Kentucky': { location: 'Pikeville, Kentucky', intent: 'speakeasy bars' },
  'murals in downtown Pikeville': { location: 'Downtown Pikeville, KY', intent: 'murals' },
  'trails near Pikeville': { location: 'Pikeville', intent: 'trails' },
  'bluegrass in Pikeville KY': { location: 'Pikeville KY 41501', intent: 'bluegrass' },
};

/** The parse for a question in PARSES, the summary for a streamed call; anything else is a test bug. */
const modelAnswers: Responder = (request) => {
  if (request.stream) return textReply(SUMMARY);
  const parse = PARSES[lastUserText(request)];
  if (!parse) throw new Error(`no parse scripted for ${JSON.stringify(lastUserText(request))}`);
  return jsonReply({ ...parse, radius_miles: null, date_from: null, date_to: null });
};

let emulator: CosmosEmulator;
let fake: FakeProviders;
let model: OpenAITestServer;
const database = `discovery-it-${randomUUID()}`;
const stores: CosmosDocumentStore[] = [];
/** Every instance's log lines, to check that no credential is ever logged. */
const captured = captureLogger();

beforeAll(async () => {
  [emulator, fake, model] = await Promise.all([startCosmosEmulator(), startFakeProviders(), startOpenAIServer()]);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.dispose()));
  await Promise.all([fake?.close(), model?.close()]);
  await emulator?.stop();
});

beforeEach(() => {
  fake.reset();
  model.reset();
  model.respondWith(modelAnswers);
});

/**
 * One instance of the app, as a cold start builds it: the live providers, the model and Cosmos
 * from env, its own Cosmos client over the run's database. A second call is a restart.
 */
async function instance(env: Env = {}) {
  const base = fake.url.href;
  // The store is given (as the other Cosmos tests do) only so that afterAll can dispose its client.
  const store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database }, systemClock);
  stores.push(store);
  const app = createApp({
    services: [discovery],
    env: {
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMITING_ENABLED: 'false',
      DISCOVERY_PROVIDERS: 'live',
      GEOAPIFY_API_KEY: KEYS.geoapify,
      GEOAPIFY_BASE_URL: base,
      SERPAPI_KEY: KEYS.serpapi,
      SERPAPI_BASE_URL: base,
      REDDIT_BASE_URL: base,
      EVENTBRITE_TOKEN: KEYS.eventbrite,
      EVENTBRITE_BASE_URL: base,
      OPENAI_API_KEY: KEYS.openai,
      OPENAI_BASE_URL: model.openaiBaseURL,
      COSMOS_DB_ENDPOINT: emulator.endpoint,
      COSMOS_DB_KEY: emulator.key,
      COSMOS_DB_DATABASE: database,
      ...env,
    },
    ports: { documents: store, logger: captured.logger, metrics: new MemoryMetrics(systemClock) },
  });
  await store.ensure(app.containers);
  const bind = async (name: string) => (await app.bind(app.find(name)!)) as HttpLambda;
  return routeCalls({ search: await bind('discovery-search'), chat: await bind('discovery-chat'), health: await bind('discovery-health') });
}

const placesOf = (reply: Reply) => reply.json!.places as { name: string; description: string; source: string; url: string; score: number }[];
const sourcesOf = (reply: Reply) => [...new Set(placesOf(reply).map((place) => place.source))].sort();

describe('a search through the real adapters, Cosmos DB and the OpenAI SDK', () => {
  it('asks the model, the geocoder and all three sources with their real requests, and answers their places with the model summary', async () => {
    const { search } = await instance();
    const reply = await search({ chat_input: 'hidden gems in Pikeville, KY' });
    expect(reply.statusCode).toBe(200);
    const answer = reply.json!;
    expect(answer).toMatchObject({ user_intent: 'hidden gems', user_location: PIKEVILLE, response: SUMMARY });
    expect(answer.debug).toMatchObject({
      cache: null,
      sample_data: false,
      parsed: { location: 'Pikeville, KY', intent: 'hidden gems', confidence: 0.8, parsed_by: 'model' },
      normalized_location: { normalized: PIKEVILLE, confidence: 1, coordinates: { lat: 37.4792672, lng: -82.5187629 } },
      source_stats: { serp: { status: 'success', count: 5 }, reddit: { status: 'success', count: 3 }, eventbrite: { status: 'success', count: 2 } },
    });
    expect(answer.debug.request_id).toBe(reply.headers['x-request-id']);
    expect(sourcesOf(reply)).toEqual(['eventbrite', 'reddit', 'serp']);
    expect(placesOf(reply).map((place) => place.name)).toEqual(
      expect.arrayContaining(['The Blue Raven Speakeasy - Pikeville Underground Bar', 'The old C&O tunnel trail above the Pikeville Cut-Through is worth the climb', 'Hatfield-McCoy Feud Lantern Walk']),
    );

    // The providers' real requests: their credentials, the parsed location to the geocoder, the geocoded one to the sources.
    expect(fake.requestsTo('geoapify').map((request) => request.query)).toEqual([{ text: 'Pikeville, KY', limit: '1', apiKey: KEYS.geoapify }]);
    const [serp] = fake.requestsTo('serpapi');
    expect(serp?.query).toMatchObject({ engine: 'google', api_key: KEYS.serpapi, location: PIKEVILLE, q: `hidden gems ${PIKEVILLE} underground local hidden`, num: '10' });
    const [reddit] = fake.requestsTo('reddit');
    expect(reddit?.query).toMatchObject({ q: 'hidden gems Pikeville, KY', limit: '10', sort: 'relevance' });
    expect(reddit?.headers['user-agent']).toMatch(/\S/);
    const [eventbrite] = fake.requestsTo('eventbrite');
    expect(eventbrite?.headers.authorization).toBe(`Bearer ${KEYS.eventbrite}`);
    expect(eventbrite?.query).toMatchObject({ q: 'hidden gems', 'location.address': PIKEVILLE, 'location.within': '25mi', expand: 'venue' });
    expect(fake.requests).toHaveLength(4);

    // The model: the parse as structured output, then the summary streamed over the ranked places.
    expect(model.requests.map((request) => request.stream)).toEqual([false, true]);
    const [parse, summary] = model.requests;
    expect(parse?.credential).toBe(`Bearer ${KEYS.openai}`);
    expect(parse?.responseFormat).toMatchObject({ type: 'json_schema' });
    expect(lastUserText(summary!)).toContain(placesOf(reply)[0]!.name);
  });

  it('answers the same question again from memory, from Cosmos DB after a restart, and refreshes both with force', async () => {
    const question = { chat_input: 'odd history around Pikeville KY' };
    const first = await instance();
    const cold = await first.search(question);
    expect(cold.json!.debug.cache).toBeNull();
    const asked = fake.requests.length;
    expect(asked).toBeGreaterThanOrEqual(3);

    const warm = await first.search(question);
    expect(warm.json!.debug).toMatchObject({ cache: 'hit', cache_layer: 'memory' });
    expect(warm.json!.places).toEqual(cold.json!.places);
    expect(fake.requests).toHaveLength(asked);

    const restarted = await instance();
    const shared = await restarted.search(question);
    expect(shared.json!.debug).toMatchObject({ cache: 'hit', cache_layer: 'cosmos' });
    expect(shared.json!.places).toEqual(cold.json!.places);
    expect(shared.json!.response).toBe(SUMMARY);
    // The stored answer is served as this request's.
    expect(shared.json!.debug.request_id).toBe(shared.headers['x-request-id']);
    expect(shared.json!.debug.request_id).not.toBe(cold.json!.debug.request_id);
    expect(fake.requests).toHaveLength(asked);
    expect(model.requests).toHaveLength(2); // the cold search's parse and summary only

    // SerpApi now finds nothing: the forced search asks every provider again and caches its answer.
    fake.setMode('serpapi', 'empty');
    const forced = await restarted.search({ ...question, force: true });
    expect(forced.json!.debug).toMatchObject({ cache: null, source_stats: { serp: { status: 'success', count: 0 } } });
    expect(fake.requestsTo('serpapi')).toHaveLength(2);
    expect(fake.requestsTo('reddit')).toHaveLength(2);
    expect(fake.requestsTo('eventbrite')).toHaveLength(2);
    expect(sourcesOf(forced)).toEqual(['eventbrite', 'reddit']);

    const asked2 = fake.requests.length;
    const after = await (await instance()).search(question);
    expect(after.json!.debug).toMatchObject({ cache: 'hit', cache_layer: 'cosmos' });
    expect(after.json!.places).toEqual(forced.json!.places);
    expect(fake.requests).toHaveLength(asked2);
  });

  it('returns the other sources when one fails and one hangs past the deadline, and does not cache that answer', async () => {
    // The source timeout is longer than the deadline, so the hanging call always ends at the deadline.
    const { search } = await instance({ DISCOVERY_SOURCE_TIMEOUT_MS: '60000', DISCOVERY_DEADLINE_MS: '3000' });
    const question = { chat_input: 'speakeasy bars in Pikeville, Kentucky' };
    fake.setMode('serpapi', 'rate-limited');
    fake.setMode('eventbrite', 'hang');
    const reply = await search(question);
    expect(reply.statusCode).toBe(200);
    expect(reply.json!.debug.source_stats).toMatchObject({
      serp: { status: 'failed', count: 0, code: 'upstream_429' },
      reddit: { status: 'success', count: 3 },
      eventbrite: { status: 'timeout', count: 0, code: 'deadline' },
    });
    expect(sourcesOf(reply)).toEqual(['reddit']);
    expect(reply.json!.response).toBe(SUMMARY);

    // Not cached: with the providers back, the same question is asked of them again.
    fake.reset();
    const again = await search(question);
    expect(again.json!.debug).toMatchObject({ cache: null, source_stats: { serp: { status: 'success' }, eventbrite: { status: 'success' } } });
    expect(fake.requestsTo('serpapi')).toHaveLength(1);
    expect(sourcesOf(again)).toEqual(['eventbrite', 'reddit', 'serp']);
    // Every instance logged its requests and searches so far, and no credential in any line.
    expect(captured.lines.length).toBeGreaterThan(0);
    for (const key of Object.values(KEYS)) expect(captured.lines.join('\n')).not.toContain(key);
  });

  it('falls back to the rule parser and the template summary when the model fails, and still answers', async () => {
    const { search } = await instance();
    // The parse is refused with a 500, the summary rate limited (each after the SDK's own retry).
    model.respondWith((request) => (request.stream ? { fault: 429, retryAfterMs: 10 } : { fault: 500 }));
    const reply = await search({ chat_input: 'trails near Pikeville' });
    expect(reply.statusCode).toBe(200);
    const answer = reply.json!;
    expect(answer.debug.parsed).toMatchObject({ location: 'Pikeville', intent: 'hidden gems', parsed_by: 'fallback' });
    expect(placesOf(reply).length).toBeGreaterThan(0);
    expect(answer.response).toBe(fallbackSummary(answer.user_intent, answer.user_location, answer.places));
    expect(model.requests.some((request) => !request.stream)).toBe(true);
    expect(model.requests.some((request) => request.stream)).toBe(true);
  });

  it('searches the raw location at confidence 0.5 when the geocoder fails, and still answers', async () => {
    const { search } = await instance();
    fake.setMode('geoapify', 'error');
    const reply = await search({ chat_input: 'murals in downtown Pikeville' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toMatchObject({ user_location: 'Downtown Pikeville, KY' });
    expect(reply.json!.debug.normalized_location).toEqual({ normalized: 'Downtown Pikeville, KY', confidence: 0.5, coordinates: null });
    expect(fake.requestsTo('geoapify')).toHaveLength(1);
    // The sources search the raw text, which the fakes still place in Pikeville.
    expect(fake.requestsTo('serpapi')[0]?.query.location).toBe('Downtown Pikeville, KY');
    expect(fake.requestsTo('eventbrite')[0]?.query['location.address']).toBe('Downtown Pikeville, KY');
    expect(reply.json!.debug.source_stats).toMatchObject({ serp: { status: 'success', count: 5 }, reddit: { status: 'success', count: 3 }, eventbrite: { status: 'success', count: 2 } });
    expect(placesOf(reply).length).toBeGreaterThan(0);
  });
});

describe('GET /api/underfoot/health over the real adapters', () => {
  it('reports the providers and their last calls (a failure with its code and upstream status), Cosmos up and the cache hits', async () => {
    const { search, health } = await instance();
    const before = await health();
    expect(before.json).toMatchObject({
      status: 'healthy',
      sample_data: false,
      dependencies: {
        cosmos: { status: 'up' },
        geocoder: { provider: 'geoapify', configured: true, last: null },
        serpapi: { configured: true, last: null },
        model: { provider: 'openai' },
      },
    });

    const question = { chat_input: 'bluegrass in Pikeville KY' };
    await search(question);
    expect((await search(question)).json!.debug.cache).toBe('hit');
    fake.setMode('reddit', 'error');
    await search({ ...question, force: true });

    const after = await health();
    expect(after.statusCode).toBe(200);
    expect(after.json).toMatchObject({
      status: 'degraded',
      dependencies: {
        cosmos: { status: 'up' },
        geocoder: { configured: true, last: { outcome: 'ok' } },
        serpapi: { provider: 'serpapi', configured: true, last: { outcome: 'ok', latency_ms: expect.any(Number) } },
        reddit: { provider: 'reddit', configured: true, last: { outcome: 'failed', code: 'upstream_5xx', upstream_status: 500 } },
        eventbrite: { provider: 'eventbrite', configured: true, last: { outcome: 'ok' } },
      },
    });
    expect(after.json!.cache.memory.hits).toBeGreaterThanOrEqual(1);
    expect(after.json!.cache.cosmos.entries).toBeGreaterThanOrEqual(2); // at least this search and its location
  });
});
