/**
 * What a client can observe of an HTTP answer, in one shape for every caller, and the
 * normalization that drops only what legitimately differs per call (generated ids, clocks).
 */
import { isTextContentType, parseSetCookie } from '../../adapters/http-mapping.ts';
import { parseFrames, type Frame } from '../streaming/frames.ts';

/** A Set-Cookie as its parts: attribute order and spelling are not observable to a browser. */
export interface CookieOut {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: string;
  maxAge?: number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
}

export interface Observed {
  status: number;
  headers: Record<string, string | undefined>;
  cookies: CookieOut[];
  body: unknown;
}

/** The headers whose values a client acts on; the rest (date, request ids, rate-limit counters) vary. */
export const COMPARED_HEADERS = [
  'content-type',
  'vary',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
  'x-content-type-options',
  'x-frame-options',
  'cache-control',
  'www-authenticate',
  'allow',
] as const;

export function cookieOut(cookie: {
  name: string;
  value: string;
  domain?: string | undefined;
  path?: string | undefined;
  expires?: Date | number | undefined;
  maxAge?: number | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  sameSite?: string | undefined;
}): CookieOut {
  const out: CookieOut = { name: cookie.name, value: cookie.value };
  if (cookie.domain) out.domain = cookie.domain;
  if (cookie.path) out.path = cookie.path;
  // Max-Age wins over Expires (RFC 6265 section 5.3), so next to it Expires is not observable.
  if (cookie.expires !== undefined && cookie.maxAge === undefined) out.expires = new Date(cookie.expires).toISOString();
  if (cookie.maxAge !== undefined) out.maxAge = cookie.maxAge;
  if (cookie.secure) out.secure = true;
  if (cookie.httpOnly) out.httpOnly = true;
  if (cookie.sameSite) out.sameSite = cookie.sameSite;
  return out;
}

export const cookiesFromHeaders = (setCookies: readonly string[]): CookieOut[] => setCookies.map((header) => cookieOut(parseSetCookie(header)));

/** The body as a client reads it: JSON parsed, SSE as its frames, text as text, anything else as base64 bytes. */
export function decodeBody(contentType: string | undefined, bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return null;
  const buffer = Buffer.from(bytes);
  // Heartbeats (comment-only frames) depend on timing, not on the runtime: they are not compared.
  if (/^text\/event-stream/i.test(contentType ?? '')) return { frames: parseFrames(buffer.toString('utf8')).filter((frame) => Object.keys(frame).some((key) => key !== 'comment')) };
  if (/json/i.test(contentType ?? '')) return JSON.parse(buffer.toString('utf8')) as unknown;
  if (isTextContentType(contentType)) return buffer.toString('utf8');
  return { base64: buffer.toString('base64') };
}

export function observed(status: number, headers: Record<string, string | undefined>, cookies: CookieOut[], bytes: Uint8Array): Observed {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { status, headers: lower, cookies, body: decodeBody(lower['content-type'], bytes) };
}

/** Clocks and durations: they differ on every call. */
const VARYING_KEYS = new Set(['receivedAt', 'latencyMs', 'elapsedMs', 'elapsed_ms', 'execution_time_ms', 'processingTime']);
/** Request ids, in the platform's spelling and in the snake_case of the Underfoot answer. */
const REQUEST_ID_KEYS = new Set(['requestId', 'request_id']);

const isMeasuredResources = (value: unknown) => typeof value === 'object' && value !== null && 'cpu' in value && 'memory' in value && 'uptimeSeconds' in value;

const byText = (a: Frame, b: Frame) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Sorts each run of adjacent frames whose event is one of `events`, leaving every other frame in place. */
function sortRuns(frames: readonly Frame[], events: readonly string[]): Frame[] {
  const out: Frame[] = [];
  let run: Frame[] = [];
  for (const frame of frames) {
    if (frame.event !== undefined && events.includes(frame.event)) {
      run.push(frame);
      continue;
    }
    out.push(...run.sort(byText), frame);
    run = [];
  }
  return [...out, ...run.sort(byText)];
}

/**
 * Keeps the compared headers, sorts cookies by name, and masks per-call values in the body.
 * `unorderedEvents`: SSE events a route sends as parallel work finishes, so adjacent ones arrive
 * in whichever order that work did; they are compared as a set.
 */
export function normalize(result: Observed, keepRequestId?: string, unorderedEvents: readonly string[] = []): Observed {
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, result.headers[name]]));
  let body = JSON.parse(JSON.stringify(result.body ?? null), (key, value: unknown) => {
    if (VARYING_KEYS.has(key)) return '<varies>';
    // Health's measurements of the answering process and machine (load, memory, uptime) differ per call.
    if (key === 'system' && isMeasuredResources(value)) return '<measured>';
    if (REQUEST_ID_KEYS.has(key) && value !== keepRequestId) return '<generated>';
    return value;
  }) as unknown;
  const frames = (body as { frames?: Frame[] } | null)?.frames;
  if (frames && unorderedEvents.length > 0) body = { ...(body as object), frames: sortRuns(frames, unorderedEvents) };
  const cookies = [...result.cookies].sort((a, b) => a.name.localeCompare(b.name));
  return { status: result.status, headers, cookies, body };
}
