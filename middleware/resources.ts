/**
 * HTTP details every per-user resource route shares: the owner (the partition key of all they
 * own), the path id, If-Match, and page requests whose continuation tokens are bound to the query.
 */
import type { JsonSchema } from '../kernel/functions.ts';
import { validateId } from '../domain/documents.ts';
import { badRequest, unauthorized } from '../domain/errors.ts';
import type { PorticoContext, PorticoHttpEvent } from './context.ts';

/** The caller's user id: the partition key of everything they own. */
export function ownerOf(context: PorticoContext): string {
  // The auth middleware sets the principal on a `user` route; its absence is a wiring bug, not a 500.
  if (!context.principal) throw unauthorized();
  return context.principal.userId;
}

export const pathId = (event: Pick<PorticoHttpEvent, 'pathParameters'>, name = 'id') => validateId(event.pathParameters?.[name] ?? '');

export interface PageRequest {
  limit: number;
  continuation?: string;
}

/** The query schema of a paged list: `limit` and `continuation`, plus the route's own filters. */
export function pageQuery(options: { defaultLimit?: number; maxLimit?: number; filters?: Record<string, JsonSchema> } = {}): JsonSchema {
  const { defaultLimit = 20, maxLimit = 100, filters = {} } = options;
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit },
      continuation: { type: 'string', minLength: 1, maxLength: 8000 },
      ...filters,
    },
  };
}

/** A page of `item`s: `{ items, continuation? }`, where a continuation means there may be more. */
export const pageOf = (item: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: item }, continuation: { type: 'string' } },
});

/** `?limit=&continuation=` as the route's query schema validated (and coerced) them. */
export function pageRequestOf(event: Pick<PorticoHttpEvent, 'queryStringParameters'>, defaultLimit = 20): PageRequest {
  const query = (event.queryStringParameters ?? {}) as unknown as { limit?: number | string; continuation?: string };
  return { limit: Number(query.limit ?? defaultLimit), ...(query.continuation ? { continuation: query.continuation } : {}) };
}

/**
 * The client's If-Match: undefined when absent (the server then retries its own
 * read-modify-write), `*` for any version, otherwise the listed ETags (weak prefixes dropped:
 * our ETags are strong).
 */
export function ifMatchOf(event: PorticoHttpEvent): readonly string[] | undefined {
  const header = event.headers?.['if-match'];
  if (header === undefined || header.trim() === '') return undefined;
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '')).filter(Boolean);
}

/** Whether a stored ETag satisfies If-Match. */
export const matches = (ifMatch: readonly string[], etag: string) => ifMatch.includes('*') || ifMatch.includes(etag);

/**
 * Continuation tokens are bound to the query that produced them: a token replayed with other
 * filters or another order would make the store resume at a meaningless position.
 */
export function wrapToken(query: unknown, storeToken: string | undefined): string | undefined {
  return storeToken === undefined ? undefined : Buffer.from(JSON.stringify({ q: query, t: storeToken })).toString('base64url');
}

export function unwrapToken(query: unknown, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; t?: unknown };
    // The store checks its own token (`t`) in turn; an empty one would silently restart the list.
    if (typeof parsed.t === 'string' && parsed.t !== '' && JSON.stringify(parsed.q) === JSON.stringify(query)) return parsed.t;
  } catch {
    // fall through
  }
  throw badRequest('invalid_continuation', 'The continuation token is not valid for this query.');
}

/** The JSON response with the resource's ETag as a header too. */
export const etagHeader = (etag: string): Record<string, string> => ({ etag });
