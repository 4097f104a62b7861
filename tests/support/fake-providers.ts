/**
 * One local server (127.0.0.1, a free port) that answers as the five discovery providers do, on
 * their real paths and in their real formats (fixtures: tests/support/provider-fixtures.ts). Every
 * adapter can take its `url` as `baseUrl`:
 *
 *   GET /v1/geocode/search       Geoapify        GET /search.json          Reddit
 *   GET /maps/api/geocode/json   Google          GET /v3/events/search/    Eventbrite
 *   GET /search                  SerpApi
 *
 *   const fake = await startFakeProviders({ delayMs: 50 });
 *   const geocoder = createGeoapify({ baseUrl: fake.url, apiKey: 'test-key', timeoutMs: 1000 });
 *   fake.setMode('reddit', 'rate-limited');
 *   fake.setMode('serpapi', 'slow', { slowMs: 300 });
 *   expect(fake.requestsTo('geoapify')[0]?.query.text).toBe('Pikeville KY');
 *   await fake.close();
 *
 * Modes, per provider:
 * - `ok`: the city's data (Pikeville KY, Asheville NC; another place finds nothing, as a real search would);
 * - `empty`: the provider's own "nothing found" (Google ZERO_RESULTS, SerpApi's 200 `error`, empty lists);
 * - `error`: 500 with the provider's error body;
 * - `rate-limited`: 429 with the provider's error body; Google, which answers quotas with HTTP 200, says OVER_QUERY_LIMIT;
 * - `slow`: the `ok` answer after `slowMs` more (default 500);
 * - `hang`: never answers; `close()` ends the connection;
 * - `malformed`: a body not in the format: JSON cut in half, and for Reddit its HTML block page.
 * `answerWith` scripts one provider's answer exactly (status, JSON or text) until it is cleared.
 * `delayMs` delays every answer (the benchmark's 50 ms). Every request is recorded, answered or not.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../adapters/local/azurite.ts';
import { ProviderError } from '../../domain/discovery/ports.ts';
import {
  GOOGLE_ZERO_RESULTS,
  REDDIT_BLOCK_PAGE,
  eventbriteAnswer,
  eventbriteEmpty,
  eventbriteError,
  geoapifyAnswer,
  geoapifyEmpty,
  geoapifyError,
  googleAnswer,
  googleFailure,
  redditAnswer,
  redditEmpty,
  redditError,
  serpApiAnswer,
  serpApiEmpty,
  serpApiError,
} from './provider-fixtures.ts';

export const FAKE_PROVIDERS = ['geoapify', 'google', 'serpapi', 'reddit', 'eventbrite'] as const;
export type FakeProvider = (typeof FAKE_PROVIDERS)[number];
export type FakeMode = 'ok' | 'empty' | 'error' | 'rate-limited' | 'slow' | 'hang' | 'malformed';

export interface RecordedRequest {
  /** The provider whose path was called, or undefined for an unknown path (answered 404). */
  provider: FakeProvider | undefined;
  method: string;
  path: string;
  /** The query parameters, decoded (a repeated name keeps its last value). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

/** An exact answer: JSON (`json`) or raw text (`text`, e.g. truncated or HTML). */
export interface ScriptedAnswer {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

export interface FakeProviders {
  /** http://127.0.0.1:<port>/: the base URL of every provider. */
  readonly url: URL;
  readonly requests: RecordedRequest[];
  requestsTo(provider: FakeProvider): RecordedRequest[];
  setMode(provider: FakeProvider, mode: FakeMode, options?: { slowMs?: number }): void;
  /** Answer this provider's calls exactly so (undefined: back to its mode). */
  answerWith(provider: FakeProvider, answer: ScriptedAnswer | undefined): void;
  /** Delay before every answer, in ms. */
  delayMs: number;
  /** Resolves once `count` requests have been received in all. */
  waitForRequests(count: number): Promise<void>;
  /** Every provider back to `ok`, scripts and recorded requests cleared (the delay is kept). */
  reset(): void;
  /** Stops listening and destroys open sockets (hanging calls included). */
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value), contentType: JSON_TYPE });
/** The answer cut mid-document: what a dropped connection or a broken proxy leaves. */
const truncated = (answer: Answer): Answer => ({ ...answer, body: answer.body.slice(0, Math.max(1, Math.floor(answer.body.length / 2))) });

interface FakeApi {
  path: string;
  ok(query: URLSearchParams): Answer;
  empty(query: URLSearchParams): Answer;
  failure(status: 429 | 500): Answer;
  malformed(query: URLSearchParams): Answer;
}

const param = (query: URLSearchParams, name: string) => query.get(name) ?? '';

const APIS: Record<FakeProvider, FakeApi> = {
  geoapify: {
    path: '/v1/geocode/search',
    ok: (query) => json(200, geoapifyAnswer(param(query, 'text'))),
    empty: (query) => json(200, geoapifyEmpty(param(query, 'text'))),
    failure: (status) => json(status, geoapifyError(status)),
    malformed: (query) => truncated(json(200, geoapifyAnswer(param(query, 'text')))),
  },
  google: {
    path: '/maps/api/geocode/json',
    ok: (query) => json(200, googleAnswer(param(query, 'address'))),
    empty: () => json(200, GOOGLE_ZERO_RESULTS),
    failure: (status) => (status === 429 ? json(200, googleFailure('OVER_QUERY_LIMIT')) : json(status, googleFailure('UNKNOWN_ERROR'))),
    malformed: (query) => truncated(json(200, googleAnswer(param(query, 'address')))),
  },
  serpapi: {
    path: '/search',
    ok: (query) => json(200, serpApiAnswer(param(query, 'q'), param(query, 'location'))),
    empty: (query) => json(200, serpApiEmpty(param(query, 'q'), param(query, 'location'))),
    failure: (status) => json(status, serpApiError(status)),
    malformed: (query) => truncated(json(200, serpApiAnswer(param(query, 'q'), param(query, 'location')))),
  },
  reddit: {
    path: '/search.json',
    ok: (query) => json(200, redditAnswer(param(query, 'q'))),
    empty: () => json(200, redditEmpty()),
    failure: (status) => json(status, redditError(status)),
    malformed: () => ({ status: 200, body: REDDIT_BLOCK_PAGE, contentType: 'text/html; charset=utf-8' }),
  },
  eventbrite: {
    path: '/v3/events/search/',
    ok: (query) => json(200, eventbriteAnswer(param(query, 'location.address'), param(query, 'location.within'))),
    empty: (query) => json(200, eventbriteEmpty(param(query, 'location.address'), param(query, 'location.within'))),
    failure: (status) => json(status, eventbriteError(status)),
    malformed: (query) => truncated(json(200, eventbriteAnswer(param(query, 'location.address'), param(query, 'location.within')))),
  },
};

const PROVIDER_OF_PATH = new Map(FAKE_PROVIDERS.map((provider) => [APIS[provider].path, provider]));
const DEFAULT_SLOW_MS = 500;

function scripted(answer: ScriptedAnswer): Answer {
  if (answer.text !== undefined) return { status: answer.status ?? 200, body: answer.text, contentType: answer.contentType ?? JSON_TYPE };
  return { ...json(answer.status ?? 200, answer.json ?? null), ...(answer.contentType ? { contentType: answer.contentType } : {}) };
}

export async function startFakeProviders(options: { delayMs?: number } = {}): Promise<FakeProviders> {
  const requests: RecordedRequest[] = [];
  const modes = new Map<FakeProvider, { mode: FakeMode; slowMs: number }>();
  const scripts = new Map<FakeProvider, ScriptedAnswer>();
  const timers = new Set<NodeJS.Timeout>();
  let waiters: { count: number; resolve: () => void }[] = [];

  const send = (res: ServerResponse, answer: Answer, afterMs: number) => {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
    };
    if (afterMs <= 0) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, afterMs);
    timers.add(timer);
    // A client that gives up (timeout, abort) leaves nothing scheduled behind it.
    res.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  const answerFor = (provider: FakeProvider, query: URLSearchParams): { answer: Answer; extraMs: number } | undefined => {
    const script = scripts.get(provider);
    if (script) return { answer: scripted(script), extraMs: 0 };
    const api = APIS[provider];
    const { mode, slowMs } = modes.get(provider) ?? { mode: 'ok', slowMs: DEFAULT_SLOW_MS };
    switch (mode) {
      case 'ok':
        return { answer: api.ok(query), extraMs: 0 };
      case 'slow':
        return { answer: api.ok(query), extraMs: slowMs };
      case 'empty':
        return { answer: api.empty(query), extraMs: 0 };
      case 'error':
        return { answer: api.failure(500), extraMs: 0 };
      case 'rate-limited':
        return { answer: api.failure(429), extraMs: 0 };
      case 'malformed':
        return { answer: api.malformed(query), extraMs: 0 };
      case 'hang':
        return undefined;
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const provider = PROVIDER_OF_PATH.get(url.pathname);
    requests.push({ provider, method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    waiters = waiters.filter((waiter) => (requests.length >= waiter.count ? void waiter.resolve() : true));
    if (!provider || req.method !== 'GET') return send(res, json(404, { error: `No route ${req.method} ${url.pathname} (fake providers).` }), 0);
    const planned = answerFor(provider, url.searchParams);
    if (planned) send(res, planned.answer, fake.delayMs + planned.extraMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: FakeProviders = {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    requests,
    delayMs: options.delayMs ?? 0,
    requestsTo: (provider) => requests.filter((request) => request.provider === provider),
    setMode: (provider, mode, modeOptions = {}) => void modes.set(provider, { mode, slowMs: modeOptions.slowMs ?? DEFAULT_SLOW_MS }),
    answerWith: (provider, answer) => void (answer ? scripts.set(provider, answer) : scripts.delete(provider)),
    waitForRequests: (count) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    reset: () => {
      modes.clear();
      scripts.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging calls and idle keep-alive sockets would hold close() open.
        server.closeAllConnections();
      }),
  };
  return fake;
}

/** A base URL where nothing listens (a port that was free a moment ago): calls to it are refused. */
export const closedPortUrl = async (): Promise<URL> => new URL(`http://127.0.0.1:${await freePort()}/`);

/** The ProviderError a call rejects with; anything else (a result, another error) fails the test. */
export async function providerError(call: Promise<unknown>): Promise<ProviderError> {
  const outcome: unknown = await call.then(
    (value) => new Error(`expected a ProviderError, got ${JSON.stringify(value)}`),
    (reason: unknown) => reason,
  );
  if (!(outcome instanceof ProviderError)) throw outcome;
  return outcome;
}
