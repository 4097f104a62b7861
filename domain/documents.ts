/** Rules every document store follows, whatever the backend. */
import { AppError, DocumentExistsError, PreconditionFailedError, badRequest } from './errors.ts';
import type { Document, DocumentRepository, QuerySpec, Stored } from './ports.ts';

const FORBIDDEN_ID_CHARACTERS = /[/\\?#]/;
const MAX_ID_BYTES = 1023;
/** Fields the store or the system owns; client input may never set them. */
export const RESERVED_FIELDS = ['id', 'ttl', 'etag', 'expiresAt', '_etag', '_ts', '_rid', '_self', '_attachments'] as const;

export function validateId(id: string): string {
  const bytes = new TextEncoder().encode(id).length;
  if (id.length === 0 || bytes > MAX_ID_BYTES) throw badRequest('invalid_id', `An id must be 1 to ${MAX_ID_BYTES} bytes.`);
  if (FORBIDDEN_ID_CHARACTERS.test(id)) throw badRequest('invalid_id', 'An id may not contain /, \\, ? or #.');
  if (/[\u0000-\u001F\u007F]/.test(id) || id !== id.trim()) throw badRequest('invalid_id', 'An id may not contain control characters or edge spaces.');
  return id;
}

/** A copy of client input without any field the system owns. */
export function withoutReserved<T extends Record<string, unknown>>(input: T): Omit<T, (typeof RESERVED_FIELDS)[number]> {
  const copy: Record<string, unknown> = { ...input };
  for (const field of RESERVED_FIELDS) delete copy[field];
  return copy as Omit<T, (typeof RESERVED_FIELDS)[number]>;
}

export function isExpired(document: Pick<Document, 'expiresAt'>, nowMs: number): boolean {
  return typeof document.expiresAt === 'number' && document.expiresAt <= nowMs;
}

/**
 * Optimistic concurrency: read, change, write back with If-Match; when someone else wrote in
 * between (412), read again and retry, a bounded number of times. `change` returning undefined
 * means "nothing to do".
 */
export async function readModifyWrite<T extends Document>(
  repository: DocumentRepository<T>,
  id: string,
  partitionKey: string,
  change: (current: Stored<T> | undefined) => T | undefined | Promise<T | undefined>,
  maxAttempts = 10,
): Promise<Stored<T> | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await repository.get(id, partitionKey);
    const next = await change(current);
    if (next === undefined) return current;
    try {
      return current ? await repository.replace(next, current.etag) : await repository.create(next);
    } catch (error) {
      const lostRace = error instanceof PreconditionFailedError || (error instanceof DocumentExistsError && !current);
      if (!lostRace) throw error;
      if (attempt >= maxAttempts) throw new AppError(409, 'concurrent_update', 'Too many concurrent updates; try again.');
    }
  }
}

/** Every document a query matches, page after page (for bounded sets: one user's partition). */
export async function queryAll<T extends Document>(repository: DocumentRepository<T>, spec: Omit<QuerySpec, 'limit' | 'continuation'>): Promise<Stored<T>[]> {
  const found: Stored<T>[] = [];
  let continuation: string | undefined;
  do {
    const page = await repository.query({ ...spec, limit: 1000, ...(continuation ? { continuation } : {}) });
    found.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return found;
}
