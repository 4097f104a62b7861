/**
 * Writes to one user's document with optimistic concurrency, shared by items and moods: with a
 * client If-Match, exactly one attempt against that version (412 when it is stale); without one,
 * the server's own read-modify-write, retried on 412.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { PreconditionFailedError, type AppError } from '../../../domain/errors.ts';
import type { Document, DocumentRepository, Stored } from '../../../domain/ports.ts';
import { matches } from '../../../middleware/resources.ts';

export async function getOwned<T extends Document>(repository: DocumentRepository<T>, id: string, userId: string, missing: () => AppError): Promise<Stored<T>> {
  const found = await repository.get(id, userId);
  if (!found) throw missing();
  return found;
}

export async function replaceOwned<T extends Document>(
  repository: DocumentRepository<T>,
  id: string,
  userId: string,
  ifMatch: readonly string[] | undefined,
  next: (current: Stored<T>) => T,
  missing: () => AppError,
): Promise<Stored<T>> {
  if (ifMatch) {
    const current = await getOwned(repository, id, userId, missing);
    if (!matches(ifMatch, current.etag)) throw new PreconditionFailedError();
    return repository.replace(next(current), current.etag);
  }
  const written = await readModifyWrite(repository, id, userId, (current) => {
    if (!current) throw missing();
    return next(current);
  });
  return written!;
}

/** Deletes, honouring If-Match; 404 (`missing`) when there was nothing to delete. */
export async function deleteOwned<T extends Document>(
  repository: DocumentRepository<T>,
  id: string,
  userId: string,
  ifMatch: readonly string[] | undefined,
  missing: () => AppError,
): Promise<void> {
  let etag: string | undefined;
  if (ifMatch && !ifMatch.includes('*')) {
    const current = await getOwned(repository, id, userId, missing);
    if (!matches(ifMatch, current.etag)) throw new PreconditionFailedError();
    etag = current.etag;
  }
  if (!(await repository.delete(id, userId, etag))) throw missing();
}
