/**
 * Pure helpers shared by every adapter that speaks HTTP: API Gateway's query and cookie rules,
 * Set-Cookie parsing, which bodies travel as text rather than base64, and how a Lambda result is
 * written to a response stream.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Writable } from 'node:stream';
import { isStreamingResult, type StreamingHttpResult } from '../middleware/sse.ts';

/** API Gateway joins repeated keys with commas. */
export function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of new Set(search.keys())) out[key] = search.getAll(key).join(',');
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The caller's address: the right-most X-Forwarded-For entry, which the cloud's front end (Azure's, Google's) appends.
 * Entries to its left come from the client and prove nothing. Ports are dropped.
 */
export function clientAddress(forwardedFor: string | undefined): string {
  const last = forwardedFor?.split(',').pop()?.trim() ?? '';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(last) ? last.slice(0, last.lastIndexOf(':')) : last;
}

/** `a=b=c; d=e` -> [`a=b=c`, `d=e`]: split on `;` only, so values keep their `=`. */
export function splitCookieHeader(header: string | null | undefined): string[] | undefined {
  const cookies = (header ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  return cookies.length > 0 ? cookies : undefined;
}

const TEXT_TYPES = /^(text\/|application\/([a-z0-9.+-]+\+)?(json|xml)|application\/(javascript|x-www-form-urlencoded|problem\+json)|image\/svg\+xml)/i;

export function isTextContentType(contentType: string | null | undefined): boolean {
  return TEXT_TYPES.test(contentType ?? '');
}

// ignoreBOM keeps a leading byte-order mark, so the body stays byte-identical to what was signed.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A request body as API Gateway delivers it: text when it is valid UTF-8 text, base64 otherwise. */
export function eventBody(bytes: Uint8Array, contentType: string | null): Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'> {
  if (bytes.byteLength === 0) return { isBase64Encoded: false };
  if (isTextContentType(contentType)) {
    try {
      return { body: utf8.decode(bytes), isBase64Encoded: false };
    } catch {
      // Not UTF-8 after all: pass the bytes through untouched and let the parser refuse them.
    }
  }
  return { body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true };
}

export interface ParsedSetCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: Date;
  maxAge?: number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/** Parses one Set-Cookie string; the value is everything after the first `=`. */
export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair = '', ...attributes] = header.split(';');
  const equals = pair.indexOf('=');
  const cookie: ParsedSetCookie = {
    name: (equals < 0 ? pair : pair.slice(0, equals)).trim(),
    value: equals < 0 ? '' : pair.slice(equals + 1).trim(),
  };
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'domain') cookie.domain = value;
    else if (key === 'path') cookie.path = value;
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = new Date(value);
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite') {
      const sameSite = value.toLowerCase();
      if (sameSite === 'strict') cookie.sameSite = 'Strict';
      else if (sameSite === 'lax') cookie.sameSite = 'Lax';
      else if (sameSite === 'none') cookie.sameSite = 'None';
    }
  }
  return cookie;
}

/** The Azure form of an API Gateway route template: `{proxy+}` -> `{*proxy}`. */
export function toAzureRoute(route: string): string {
  return route.replace(/\{([A-Za-z0-9_]+)\+\}/g, '{*$1}');
}

/**
 * Backpressure for a streamed response: resolves on 'drain', or on 'close'/'error', after which
 * the writer sees the stream is gone. Removes its listeners, so a long stream does not pile them up.
 */
export function drained(stream: Pick<Writable, 'once' | 'off'>): Promise<void> {
  return new Promise((resolve) => {
    const events = ['drain', 'close', 'error'] as const;
    const done = () => {
      for (const event of events) stream.off(event, done);
      resolve();
    };
    for (const event of events) stream.once(event, done);
  });
}

/** What a handler may return: a structured result, a streamed one (`sseResponse`), or any plain value. */
export type AnyHttpResult = APIGatewayProxyResultV2 | StreamingHttpResult;

export interface ResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
}

/** Lambda's result rules (a plain value is a 200 JSON body), as status, headers, cookies and body. */
export function resultParts(result: AnyHttpResult): { metadata: ResponseMetadata; body: AsyncIterable<Uint8Array> | Buffer | undefined } {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return { metadata: { statusCode: 200, headers: { 'content-type': 'application/json' } }, body: Buffer.from(JSON.stringify(result) ?? '') };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const metadata: ResponseMetadata = { statusCode: result.statusCode ?? 200, headers, ...(result.cookies?.length ? { cookies: result.cookies } : {}) };
  if (isStreamingResult(result)) return { metadata, body: result.body };
  const text = (result as { body?: string }).body;
  const base64 = (result as { isBase64Encoded?: boolean }).isBase64Encoded;
  return { metadata, body: text === undefined ? undefined : Buffer.from(text, base64 ? 'base64' : 'utf8') };
}

/**
 * Writes a streamed body chunk by chunk, each as it is produced, with backpressure. When the
 * stream closes (or fails) first, the client went away: the producer is stopped through its
 * iterator's `return`. True when every chunk was written and the stream can be ended.
 */
export async function pipeChunks(body: AsyncIterable<Uint8Array>, stream: Writable): Promise<boolean> {
  const iterator = body[Symbol.asyncIterator]();
  let gone = false;
  const onGone = () => {
    gone = true;
    void iterator.return?.();
  };
  stream.once('close', onGone);
  stream.once('error', onGone);
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done || gone) break;
      if (!stream.write(step.value)) await drained(stream);
    }
  } finally {
    stream.off('close', onGone);
    stream.off('error', onGone);
  }
  return !gone;
}
