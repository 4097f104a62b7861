/** Helpers a migration uses to walk and rewrite documents a page at a time. */
import type { ContainerSpec, Document, DocumentRepository, DocumentStore, QuerySpec, Stored } from '../ports.ts';

/**
 * Visits every document the query finds, one page in memory at a time. The continuation is a keyset
 * (memory) or the store's own cursor (Cosmos), so rewriting a visited document neither skips nor repeats one.
 */
export async function forEachDocument<T extends Document>(
  repository: DocumentRepository<T>,
  query: Omit<QuerySpec, 'limit' | 'continuation'> & { pageSize: number },
  visit: (document: Stored<T>) => Promise<void>,
): Promise<void> {
  const { pageSize, ...spec } = query;
  let continuation: string | undefined;
  do {
    const page = await repository.query({ ...spec, limit: pageSize, ...(continuation === undefined ? {} : { continuation }) });
    for (const document of page.items) await visit(document);
    continuation = page.continuation;
  } while (continuation !== undefined);
}

/** Visits every document of `container` stored at schema version `version`, a page at a time. */
export function forEachAtVersion<T extends Document>(
  context: { documents: DocumentStore; pageSize: number },
  container: ContainerSpec,
  version: number,
  visit: (document: Stored<T>) => Promise<void>,
): Promise<void> {
  const filters = [{ field: 'schemaVersion', op: '=' as const, value: version }];
  return forEachDocument(context.documents.repository<T>(container), { filters, pageSize: context.pageSize }, visit);
}

/** The document as written back: without the ETag a read attached. */
export function unstored<T extends Document>(document: Stored<T>): T {
  const { etag: _etag, ...body } = document;
  return body as unknown as T;
}
