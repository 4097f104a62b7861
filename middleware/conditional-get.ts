/**
 * Conditional GET for computed answers (the PluckIt digest and vault insights, contract section 3):
 * the ETag is the quoted SHA-256 of the body's sorted-key compact JSON, so the same answer has the
 * same tag whatever order its keys were built in; a matching If-None-Match answers 304 without a
 * body. The answer must never be cached by the way, only revalidated: hence the Cache-Control.
 */
import { createHash } from 'node:crypto';
import type { HttpResult } from '../kernel/functions.ts';
import type { PorticoHttpEvent } from './context.ts';
import { json } from './http-stack.ts';

export const NO_STORE = 'no-cache, no-store, max-age=0, must-revalidate';

/** JSON with every object's keys sorted and no whitespace (Python's `sort_keys=True, separators=(',', ':')`). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, (inner as Record<string, unknown>)[key]]))
      : inner,
  );
}

/** The strong ETag of a JSON body: `"<sha256 hex of its canonical JSON>"`. */
export const bodyEtag = (body: unknown): string => `"${createHash('sha256').update(canonicalJson(body)).digest('hex')}"`;

/** Whether If-None-Match names this tag (`*`, or a list; a weak `W/` prefix compares equal, as RFC 9110 says for this header). */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** 200 with the body, its ETag and no-store; 304 (no body) when the client already holds that tag. */
export function conditionalJson(event: Pick<PorticoHttpEvent, 'headers'>, body: unknown): HttpResult {
  const etag = bodyEtag(body);
  const headers = { etag, 'cache-control': NO_STORE };
  if (noneMatch(event.headers?.['if-none-match'], etag)) return { statusCode: 304, headers };
  return json(200, body, headers);
}
