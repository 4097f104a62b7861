/**
 * Pure helpers shared by every adapter that speaks HTTP: API Gateway's query and cookie rules,
 * Set-Cookie parsing, and which bodies travel as text rather than base64.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Writable } from 'node:stream';

/** API Gateway joins repeated keys with commas. */
export function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of new Set(search.keys())) out[key] = search.getAll(key).join(',');
  return Object.keys(out).length > 0 ? out : undefined;
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
