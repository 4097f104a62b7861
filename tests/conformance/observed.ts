/**
 * What a client can observe of an HTTP answer, in one shape for every caller, and the
 * normalization that drops only what legitimately differs per call (generated ids, clocks).
 */
import { isTextContentType, parseSetCookie } from '../../adapters/http-mapping.ts';

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

/** One Server-Sent Events frame; heartbeat comments are dropped when parsing. */
export interface SseFrame {
  event?: string;
  id?: string;
  data: string;
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

/** `data:` lines joined by newlines, per the SSE parsing rules; comments (`:`) are heartbeats. */
export function parseSseFrames(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const frame: Partial<SseFrame> & { lines: string[] } = { lines: [] };
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') frame.lines.push(value);
      else if (field === 'event') frame.event = value;
      else if (field === 'id') frame.id = value;
    }
    if (frame.lines.length === 0 && frame.event === undefined) continue;
    frames.push({ ...(frame.event !== undefined ? { event: frame.event } : {}), ...(frame.id !== undefined ? { id: frame.id } : {}), data: frame.lines.join('\n') });
  }
  return frames;
}

/** The body as a client reads it: JSON parsed, SSE as frames, text as text, anything else as base64 bytes. */
export function decodeBody(contentType: string | undefined, bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return null;
  const buffer = Buffer.from(bytes);
  if (/^text\/event-stream/i.test(contentType ?? '')) return { frames: parseSseFrames(buffer.toString('utf8')) };
  if (/json/i.test(contentType ?? '')) return JSON.parse(buffer.toString('utf8')) as unknown;
  if (isTextContentType(contentType)) return buffer.toString('utf8');
  return { base64: buffer.toString('base64') };
}

export function observed(status: number, headers: Record<string, string | undefined>, cookies: CookieOut[], bytes: Uint8Array): Observed {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { status, headers: lower, cookies, body: decodeBody(lower['content-type'], bytes) };
}

/** Keeps the compared headers, sorts cookies by name, and masks per-call values in the body. */
export function normalize(result: Observed, keepRequestId?: string): Observed {
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, result.headers[name]]));
  const body = JSON.parse(JSON.stringify(result.body ?? null), (key, value: unknown) => {
    if (key === 'receivedAt' || key === 'latencyMs') return '<varies>';
    if (key === 'requestId' && value !== keepRequestId) return '<generated>';
    return value;
  }) as unknown;
  const cookies = [...result.cookies].sort((a, b) => a.name.localeCompare(b.name));
  return { status: result.status, headers, cookies, body };
}
