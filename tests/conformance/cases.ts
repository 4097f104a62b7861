/**
 * One table of HTTP cases, run through every caller (tests/conformance/callers.ts). Each caller
 * must give the same observable result: status, the headers that matter, cookies and body.
 * A case names what it sends exactly as it goes on the wire: the path percent-encoded, headers
 * as an ordered list (a name may repeat), the body as text or bytes.
 */
import { createHash } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Frame } from '../streaming/frames.ts';
import type { Observed } from './observed.ts';

export const ORIGIN = 'https://app.example.com';
export const FOREIGN_ORIGIN = 'https://evil.example.com';
/** An HS256 secret for every caller (and serverless-offline's functions), so bad tokens are really verified. */
export const JWT_SECRET = 'conformance-suite-jwt-secret-0123456789abcdef';
export const REQUEST_ID = 'conf-1';

export type CallerName = 'lambda' | 'azure' | 'local' | 'offline' | 'gcp';

export interface HttpCase {
  name: string;
  /** The table function that serves it (the in-process callers invoke it directly). */
  function: string;
  method: string;
  path: string;
  query?: string;
  headers?: readonly (readonly [string, string])[];
  body?: string | Buffer;
  /** Pins the reference result, so that "all callers agree" cannot mean "all equally wrong". */
  check?: (result: Observed) => void;
  /**
   * A caller that is known to differ from the platform it stands for, why, and what it gives
   * instead (derived from the reference result), so the difference stays exact and visible.
   */
  deviations?: Partial<Record<CallerName, { reason: string; expect: (reference: Observed) => Observed }>>;
  /** SSE events sent as parallel work finishes: adjacent ones are compared as a set (observed.ts `normalize`). */
  unorderedEvents?: readonly string[];
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const problem = (status: number, code: string) => (result: Observed) => {
  expect(result.status).toBe(status);
  expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(result.body).toMatchObject({ status, code });
};
/** The discovery stream's query: a question about a city of the offline sample set. */
const PIKEVILLE_STREAM = 'stream=true&message=hidden%20gems%20in%20Pikeville%2C%20KY';
const PIKEVILLE = 'Pikeville, Kentucky, United States';
const DISCOVERY_SOURCES = ['eventbrite', 'reddit', 'serp'];

interface AnswerPlace {
  source: string;
  category: string;
  score: number;
}

/** A search answer from the offline sample set: its places ranked, primary first, from the three sources. */
function sampleAnswer(answer: unknown, location: string, cache: 'hit' | null) {
  expect(answer).toMatchObject({ user_intent: 'hidden gems', user_location: location, debug: { cache, sample_data: true } });
  const places = (answer as { places: AnswerPlace[] }).places;
  expect(places.length).toBeGreaterThan(0);
  expect(places[0]!.category).toBe('primary');
  for (const place of places) {
    expect(DISCOVERY_SOURCES).toContain(place.source);
    expect(place.category).toBe(place.score >= 0.5 ? 'primary' : 'nearby');
  }
  const scores = places.map((place) => place.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

/**
 * `start`, then (on a miss) one `source` per source, `complete` with the answer and `end`; the
 * same counts in each source's event and in the answer's `source_stats`.
 */
const discoveryStream = (cacheHit: boolean) => (r: Observed) => {
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
  const { frames } = r.body as { frames: Frame[] };
  const sources = cacheHit ? [] : DISCOVERY_SOURCES.map(() => 'source');
  expect(frames.map((frame) => frame.event)).toEqual(['start', ...sources, 'complete', 'end']);
  expect(frames[0]!.data).toEqual({ requestId: '<generated>', protocolVersion: 1, cacheHit });
  expect(frames.at(-1)!.data).toEqual({ requestId: '<generated>' });
  const complete = frames.at(-2)!.data as { debug: { source_stats: Record<string, { status: string; count: number }> } };
  sampleAnswer(complete, PIKEVILLE, cacheHit ? 'hit' : null);
  const sourceEvents = frames.slice(1, 1 + sources.length).map((frame) => frame.data as { source: string; count: number; status: string });
  expect(sourceEvents.map((event) => event.source).sort()).toEqual(cacheHit ? [] : DISCOVERY_SOURCES);
  for (const event of sourceEvents) {
    expect(event).toEqual({ source: event.source, count: expect.any(Number), status: 'success', elapsedMs: '<varies>' });
    expect(complete.debug.source_stats[event.source]).toMatchObject({ status: 'success', count: event.count });
  }
};

const inspected = (report: Record<string, unknown>) => (result: Observed) => {
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject(report);
  expect(result.cookies.map((cookie) => cookie.name)).toEqual(['inspect-method', 'inspect-received']);
};
/** Every byte value, so a text round trip anywhere would corrupt it. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/**
 * serverless-offline builds the event's headers with `Object.fromEntries(rawHeaders)`, so of a
 * repeated header only the last value survives; API Gateway joins them with commas.
 */
const lastRepeatedHeaderWins = {
  reason: 'serverless-offline keeps only the last value of a repeated request header (API Gateway joins them)',
  expect: (reference: Observed): Observed => {
    const body = structuredClone(reference.body) as { headers: Record<string, string[]> };
    body.headers['x-inspect'] = body.headers['x-inspect']!.slice(-1);
    return { ...reference, body };
  },
};

/** The headers with accept-encoding added to Vary, as serverless-offline's hapi does to an answer it may compress (API Gateway does not). */
const varyingOnEncoding = (reference: Observed): Observed['headers'] => ({ ...reference.headers, vary: `${reference.headers.vary},accept-encoding` });

/** hapi compresses JSON of 1 KiB or more (its `compression.minBytes`), so it varies such an answer. */
const offlineVariesLargeJson = {
  reason: 'serverless-offline (hapi) adds accept-encoding to Vary on a JSON answer of 1 KiB or more, which it may compress',
  expect: (reference: Observed): Observed => ({ ...reference, headers: varyingOnEncoding(reference) }),
};

/**
 * serverless-offline without an `httpApi.cors` block still answers CORS itself for any request
 * with an Origin: it reflects the origin with credentials, and forces a preflight to 200 with its
 * own allow-* defaults under the function's headers (dherault/serverless-offline#1213). API
 * Gateway passes both to the function untouched, so Portico's allowlist decides there.
 */
function offlineAnswersCors(origin: string, preflight?: { method: string }) {
  return {
    reason: 'serverless-offline adds its own CORS headers for any Origin and forces preflight to 200 (dherault/serverless-offline#1213)',
    expect: (reference: Observed): Observed => {
      const own = (name: string, fallback: string) => reference.headers[name] ?? fallback;
      const headers = { ...reference.headers, 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
      if (!preflight) return { ...reference, headers };
      return {
        ...reference,
        status: 200,
        headers: {
          ...headers,
          'content-type': own('content-type', 'application/json; charset=utf-8'),
          'access-control-allow-methods': own('access-control-allow-methods', preflight.method),
          'access-control-expose-headers': own('access-control-expose-headers', 'content-type, content-length, etag'),
          'access-control-max-age': own('access-control-max-age', '600'),
        },
      };
    },
  };
}

export const cases: HttpCase[] = [
  {
    name: 'GET health',
    function: 'health',
    method: 'GET',
    path: '/api/health',
    check: (r) => {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'healthy', system: '<measured>' });
    },
  },
  {
    name: 'valid JSON from an allowed origin',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: [['content-type', 'application/json'], ['origin', ORIGIN], ['x-request-id', REQUEST_ID]],
    body: '{"message":"héllo","tags":["a"]}',
    check: (r) => {
      expect(r.body).toEqual({ message: 'héllo', tags: ['a'], requestId: REQUEST_ID, receivedAt: '<varies>' });
      expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    },
  },
  {
    name: 'malformed JSON',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: [['content-type', 'application/json'], ['origin', ORIGIN]],
    body: '{"message":',
    check: problem(400, 'malformed_json'),
  },
  {
    name: 'wrong content type from a disallowed origin',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: [['content-type', 'text/plain'], ['origin', FOREIGN_ORIGIN]],
    body: 'hello',
    check: (r) => {
      problem(415, 'unsupported_media_type')(r);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    },
    deviations: { offline: offlineAnswersCors(FOREIGN_ORIGIN) },
  },
  {
    name: 'validation error: an unknown field, with a repeated query key',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    query: 'a=1&a=2',
    headers: [['content-type', 'application/json']],
    body: '{"message":"x","admin":true}',
    check: problem(400, 'validation_failed'),
  },
  {
    name: 'validation error: a missing field and a wrong type',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: [['content-type', 'application/json']],
    body: '{"tags":"not-a-list"}',
    check: (r) => {
      problem(400, 'validation_failed')(r);
      expect((r.body as { errors: unknown[] }).errors.length).toBeGreaterThanOrEqual(2);
    },
  },
  {
    name: 'invalid UTF-8 bytes sent to a JSON route',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: [['content-type', 'application/json']],
    body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    check: (r) => {
      problem(400, 'malformed_json')(r);
      expect(r.body).toMatchObject({ detail: 'The request body is not valid UTF-8.' });
    },
    deviations: {
      offline: {
        reason: 'serverless-offline decodes a text body as UTF-8 before the function sees it, replacing invalid bytes, so JSON parsing fails instead',
        expect: (reference) => ({ ...reference, body: { ...(reference.body as object), detail: 'The request body is not valid JSON.' } }),
      },
    },
  },
  {
    name: 'an empty body where JSON is required',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: [['content-type', 'application/json']],
    body: '',
    check: problem(400, 'body_required'),
  },
  {
    name: 'CORS preflight from an allowed origin',
    function: 'cors-preflight',
    method: 'OPTIONS',
    path: '/api/diagnostics/echo',
    headers: [['origin', ORIGIN], ['access-control-request-method', 'POST'], ['access-control-request-headers', 'content-type']],
    check: (r) => {
      expect(r.status).toBe(204);
      expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(r.headers['access-control-allow-methods']).toBeDefined();
    },
    deviations: { offline: offlineAnswersCors(ORIGIN, { method: 'POST' }) },
  },
  {
    name: 'CORS preflight from a disallowed origin',
    function: 'cors-preflight',
    method: 'OPTIONS',
    path: '/api/diagnostics/echo',
    headers: [['origin', FOREIGN_ORIGIN], ['access-control-request-method', 'POST']],
    check: (r) => {
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      expect(r.headers['access-control-allow-methods']).toBeUndefined();
    },
    deviations: { offline: offlineAnswersCors(FOREIGN_ORIGIN, { method: 'POST' }) },
  },
  {
    name: 'GET with a path parameter, a multi-value query, repeated headers and cookies in and out',
    function: 'diagnostics-inspect',
    method: 'GET',
    path: '/api/diagnostics/inspect/item-42',
    query: 'tag=a&tag=b&q=x%20y',
    headers: [['accept', 'application/json'], ['x-inspect', 'one'], ['x-inspect', 'two'], ['cookie', 'session=s1; pref=dark=true'], ['authorization', 'Bearer must-not-be-reflected']],
    check: (r) => {
      inspected({ method: 'GET', id: 'item-42', query: { tag: 'a,b', q: 'x y' }, headers: { accept: ['application/json'], 'x-inspect': ['one', 'two'] } })(r);
      expect((r.body as { cookies: unknown }).cookies).toEqual([
        { name: 'session', sha256: sha256('s1') },
        { name: 'pref', sha256: sha256('dark=true') },
      ]);
      expect(JSON.stringify(r.body)).not.toContain('must-not-be-reflected');
      expect(r.cookies).toEqual([
        { name: 'inspect-method', value: 'GET', path: '/api/diagnostics', httpOnly: true, sameSite: 'Lax' },
        { name: 'inspect-received', value: '2', path: '/api/diagnostics', maxAge: 60, secure: true, httpOnly: true, sameSite: 'Strict' },
      ]);
    },
    deviations: { offline: lastRepeatedHeaderWins },
  },
  {
    name: 'two cookie headers arrive as one cookie list',
    function: 'diagnostics-inspect',
    method: 'GET',
    path: '/api/diagnostics/inspect/cookies',
    headers: [['cookie', 'a=1'], ['cookie', 'b=2']],
    check: (r) => expect((r.body as { cookies: { name: string }[] }).cookies.map((c) => c.name)).toEqual(['a', 'b']),
  },
  {
    name: 'POST with a path parameter and a validated JSON body',
    function: 'diagnostics-inspect-post',
    method: 'POST',
    path: '/api/diagnostics/inspect/item-7',
    headers: [['content-type', 'application/json'], ['origin', ORIGIN]],
    body: '{"note":"hi"}',
    check: inspected({ method: 'POST', id: 'item-7', note: 'hi', query: {}, cookies: [] }),
  },
  {
    name: 'POST to the same route with an invalid body',
    function: 'diagnostics-inspect-post',
    method: 'POST',
    path: '/api/diagnostics/inspect/item-7',
    headers: [['content-type', 'application/json']],
    body: '{"note":""}',
    check: problem(400, 'validation_failed'),
  },
  {
    name: 'an encoded space in a path parameter',
    function: 'diagnostics-inspect',
    method: 'GET',
    path: '/api/diagnostics/inspect/a%20b',
    check: inspected({ id: 'a b' }),
  },
  {
    name: 'an encoded slash in a path parameter',
    function: 'diagnostics-inspect',
    method: 'GET',
    path: '/api/diagnostics/inspect/a%2Fb',
    check: inspected({ id: 'a/b' }),
  },
  {
    name: 'unicode in a path parameter',
    function: 'diagnostics-inspect',
    method: 'GET',
    path: `/api/diagnostics/inspect/${encodeURIComponent('été-😀')}`,
    check: inspected({ id: 'été-😀' }),
  },
  {
    name: 'binary bytes in, the same bytes out',
    function: 'diagnostics-binary',
    method: 'POST',
    path: '/api/diagnostics/binary',
    headers: [['content-type', 'application/octet-stream']],
    body: ALL_BYTES,
    check: (r) => {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.body).toEqual({ base64: ALL_BYTES.toString('base64') });
    },
  },
  {
    name: 'an empty body in, no body out',
    function: 'diagnostics-binary',
    method: 'POST',
    path: '/api/diagnostics/binary',
    body: '',
    check: (r) => {
      expect(r.status).toBe(204);
      expect(r.body).toBeNull();
    },
    deviations: {
      offline: {
        reason: 'serverless-offline (hapi) labels an answer without a content type application/json, and varies it on accept-encoding',
        expect: (reference) => ({ ...reference, headers: { ...varyingOnEncoding(reference), 'content-type': 'application/json; charset=utf-8' } }),
      },
    },
  },
  {
    name: 'an SSE stream: every frame in order',
    function: 'diagnostics-stream',
    method: 'GET',
    path: '/api/diagnostics/stream',
    query: 'count=3&intervalMs=0',
    headers: [['accept', 'text/event-stream'], ['origin', ORIGIN]],
    check: (r) => {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(r.body).toEqual({
        frames: [
          { event: 'tick', id: '1', data: { n: 1, of: 3 } },
          { event: 'tick', id: '2', data: { n: 2, of: 3 } },
          { event: 'tick', id: '3', data: { n: 3, of: 3 } },
          { event: 'done', data: { count: 3, requestId: '<generated>' } },
        ],
      });
    },
  },
  // Discovery (Underfoot) on its offline sample set: the real frontend's search, and the event
  // stream of one question twice, the second time from the caller's own cache.
  {
    name: "discovery: the frontend's search",
    function: 'discovery-search',
    method: 'POST',
    path: '/api/underfoot/search',
    headers: [['content-type', 'application/json'], ['origin', ORIGIN]],
    body: '{"chat_input":"hidden gems in Asheville, NC","force":false}',
    check: (r) => {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
      sampleAnswer(r.body, 'Asheville, North Carolina, United States', null);
    },
    deviations: { offline: offlineVariesLargeJson },
  },
  {
    name: 'discovery: unsafe input is refused',
    function: 'discovery-search',
    method: 'POST',
    path: '/api/underfoot/search',
    headers: [['content-type', 'application/json'], ['origin', ORIGIN]],
    body: '{"chat_input":"<script>alert(1)</script> hidden gems in Pikeville, KY","force":false}',
    check: problem(400, 'unsafe_input'),
  },
  {
    name: 'discovery: the event stream of a new question',
    function: 'discovery-chat',
    method: 'GET',
    path: '/api/underfoot/chat',
    query: PIKEVILLE_STREAM,
    headers: [['accept', 'text/event-stream'], ['origin', ORIGIN]],
    unorderedEvents: ['source'],
    check: discoveryStream(false),
  },
  {
    name: 'discovery: the same question again, from the cache',
    function: 'discovery-chat',
    method: 'GET',
    path: '/api/underfoot/chat',
    query: PIKEVILLE_STREAM,
    headers: [['accept', 'text/event-stream'], ['origin', ORIGIN]],
    check: discoveryStream(true),
  },
  {
    name: 'auth failure: no token',
    function: 'auth-me',
    method: 'GET',
    path: '/api/auth/me',
    headers: [['origin', ORIGIN]],
    check: problem(401, 'unauthorized'),
  },
  {
    name: 'auth failure: a forged token',
    function: 'auth-me',
    method: 'GET',
    path: '/api/auth/me',
    headers: [['authorization', 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJlLWZvcmdlZA']],
    check: (r) => {
      expect(r.status).toBe(401);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  },
];
