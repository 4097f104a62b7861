/**
 * GET|POST /api/diagnostics/inspect/{id}: how a request arrived after the platform mapped it. It
 * is public, so it reflects nothing a client could not already read and nothing worth stealing:
 * a fixed allowlist of headers (never authorization, cookie or api keys), cookie names with a
 * digest of each value (an echo of values would hand HttpOnly cookies to page scripts), and
 * every reported value capped in length and count.
 */
import { createHash } from 'node:crypto';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import { badRequest } from '../../domain/errors.ts';
import type { PorticoHttpEvent } from '../../middleware/context.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { inspect as inspectDef, inspectPost as inspectPostDef } from './functions.ts';
import { INSPECT_LIMITS } from './schemas.ts';

/** Harmless request headers worth seeing after a gateway or CDN; lists are split on commas. */
export const INSPECTED_HEADERS = ['accept', 'accept-language', 'content-type', 'x-inspect'] as const;

const cap = (value: string) => value.slice(0, INSPECT_LIMITS.valueLength);
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** The report of what arrived; exported for tests. */
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

function route(def: FunctionDef<HttpTrigger>, platform: HttpPlatform): HttpLambda {
  return httpHandler<{ note?: string } | undefined>(
    def,
    async (event) => {
      const report = describeRequest(event);
      return { ...json(200, report), cookies: inspectCookies(report.method, report.cookies.length) };
    },
    platform,
  );
}

export function createHandlers(deps: { platform: HttpPlatform }) {
  return { inspect: route(inspectDef, deps.platform), inspectPost: route(inspectPostDef, deps.platform) };
}

export const { inspect, inspectPost } = createHandlers({ platform: getHttpPlatform() });
