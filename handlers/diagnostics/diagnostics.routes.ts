/**
 * The diagnostics routes: they exercise the whole stack and every runtime's mapping (the
 * conformance suite and the benchmarks call them). Public, so they reflect nothing a client could
 * not already read and nothing worth stealing.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpResult } from '../../kernel/functions.ts';
import { badRequest } from '../../domain/errors.ts';
import type { PorticoHttpEvent } from '../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { sseResponse, type SseEvent, type SseOptions } from '../../middleware/sse.ts';
import { INSPECT_LIMITS } from './schemas.ts';

export interface EchoBody {
  message: string;
  tags?: string[];
}

/** POST /api/diagnostics/echo: the validated message back, with the request id and the time. */
export const echo =
  (deps: { clock: { now(): Date } }): PorticoHttpHandler<EchoBody> =>
  async (event, context) =>
    json(200, { message: event.json.message, tags: event.json.tags ?? [], requestId: context.requestId, receivedAt: deps.clock.now().toISOString() });

/**
 * POST /api/diagnostics/binary: echoes the body back byte for byte as application/octet-stream,
 * proving that binary travels base64-encoded both ways on every runtime. The route's body limit
 * (64 KiB) bounds it; an empty body answers 204.
 */
export const binary = (): PorticoHttpHandler => async (event): Promise<HttpResult> => {
  // No body at all is `undefined` from API Gateway, `null` from serverless-offline (and REST APIs).
  const bytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (bytes.length === 0) return { statusCode: 204, headers: {}, body: '' };
  return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true };
};

/**
 * GET /api/diagnostics/stream?count=N&intervalMs=M: `count` `tick` events `intervalMs` apart,
 * then a `done` event, as Server-Sent Events. Both values are bounded by the route's schema.
 */
/** Heartbeat and time limit: the defaults of `sseResponse` unless a test shortens them. */
export interface StreamDeps {
  sse?: Omit<SseOptions, 'log'>;
}

export const stream =
  (deps: StreamDeps | object = {}): PorticoHttpHandler =>
  async (event, context) => {
    const sse = 'sse' in deps ? deps.sse : undefined;
    // Validated and coerced to integers (defaults filled in) by the route's query schema.
    const { count, intervalMs } = event.queryStringParameters as unknown as { count: number; intervalMs: number };
    async function* ticks(signal: AbortSignal): AsyncIterable<SseEvent> {
      for (let n = 1; n <= count; n += 1) {
        // Rejects at once when the client goes away; the stream is already over by then.
        if (intervalMs > 0) await sleep(intervalMs, undefined, { signal });
        yield { event: 'tick', id: String(n), data: { n, of: count } };
      }
      yield { event: 'done', data: { count, requestId: context.requestId } };
    }
    return sseResponse(ticks, { ...sse, log: context.log });
  };

/** Harmless request headers worth seeing after a gateway or CDN; lists are split on commas. */
export const INSPECTED_HEADERS = ['accept', 'accept-language', 'content-type', 'x-inspect'] as const;

const cap = (value: string) => value.slice(0, INSPECT_LIMITS.valueLength);
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * What arrived: method, path parameter, query, a fixed allowlist of headers (never
 * authorization, cookie or api keys), cookie names with a digest of each value (an echo of values
 * would hand HttpOnly cookies to page scripts), every value capped in length and count.
 */
export function describeRequest(event: PorticoHttpEvent<{ note?: string } | undefined>) {
  const id = event.pathParameters?.id ?? '';
  if (id.length > INSPECT_LIMITS.idLength) throw badRequest('invalid_id', `The id is longer than ${INSPECT_LIMITS.idLength} characters.`);
  const query = Object.entries(event.queryStringParameters ?? {})
    .slice(0, INSPECT_LIMITS.entries)
    .map(([key, value]) => [cap(key), cap(value ?? '')]);
  const headers = INSPECTED_HEADERS.flatMap((name) => {
    const value = event.headers[name];
    return value === undefined ? [] : [[name, value.split(',').map((item) => cap(item.trim()))]];
  });
  const cookies = (event.cookies ?? []).slice(0, INSPECT_LIMITS.entries).map((cookie) => {
    const equals = cookie.indexOf('=');
    return equals < 0 ? { name: cap(cookie), sha256: digest('') } : { name: cap(cookie.slice(0, equals)), sha256: digest(cookie.slice(equals + 1)) };
  });
  return {
    method: event.requestContext.http.method,
    id,
    query: Object.fromEntries(query),
    headers: Object.fromEntries(headers),
    cookies,
    ...(event.json?.note !== undefined ? { note: event.json.note } : {}),
  };
}

/** Two cookies out, so every runtime must send several Set-Cookie headers. Values are plain tokens. */
export function inspectCookies(method: string, received: number): string[] {
  return [
    `inspect-method=${method}; Path=/api/diagnostics; HttpOnly; SameSite=Lax`,
    `inspect-received=${received}; Path=/api/diagnostics; Max-Age=60; Secure; HttpOnly; SameSite=Strict`,
  ];
}

/** GET|POST /api/diagnostics/inspect/{id}: the report, and two cookies. */
export const inspect = (): PorticoHttpHandler<{ note?: string } | undefined> => async (event) => {
  const report = describeRequest(event);
  return { ...json(200, report), cookies: inspectCookies(report.method, report.cookies.length) };
};
