/**
 * Ports whose real implementation (and SDK) is imported and set up on first use. The
 * composition root hands these out, so a function that never touches a store never loads its
 * SDK, and an unconfigured store answers 503 `not_configured` instead of crashing the app.
 */
import { AppError } from '../domain/errors.ts';
import type { BlobStore, ContainerSpec, Document, DocumentRepository, DocumentStore, MessageQueue } from '../domain/ports.ts';

type Loader<T> = () => Promise<T>;

/**
 * The named exports of a dynamically imported CommonJS package. Node's loader hands them over
 * directly; in an ESM bundle with code splitting (the Lambda bundles) the chunk exports the
 * package's `module.exports` as `default`. `probe` is an export the package is known to have.
 */
export async function commonJsExports<T extends object>(loading: Promise<T>, probe: keyof T): Promise<T> {
  const loaded = await loading;
  return probe in loaded ? loaded : (loaded as unknown as { default: T }).default;
}

function memoize<T>(load: Loader<T>): Loader<T> {
  let pending: Promise<T> | undefined;
  return () => {
    // A failed load (e.g. the database is down) is retried on the next call, not cached.
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export function notConfigured(what: string, variables: string): Loader<never> {
  return () => Promise.reject(new AppError(503, 'not_configured', `${what} is not configured (${variables}).`));
}

export function lazyDocumentStore(load: Loader<DocumentStore>): DocumentStore {
  const store = memoize(load);
  return {
    ensure: async (specs) => (await store()).ensure(specs),
    repository<T extends Document>(spec: ContainerSpec): DocumentRepository<T> {
      const repository = async () => (await store()).repository<T>(spec);
      return {
        get: async (id, partitionKey) => (await repository()).get(id, partitionKey),
        create: async (document) => (await repository()).create(document),
        upsert: async (document) => (await repository()).upsert(document),
        replace: async (document, ifMatch) => (await repository()).replace(document, ifMatch),
        delete: async (id, partitionKey, ifMatch) => (await repository()).delete(id, partitionKey, ifMatch),
        query: async (spec) => (await repository()).query(spec),
        purgeExpired: async (max) => (await repository()).purgeExpired(max),
      };
    },
  };
}

export function lazyMessageQueue(load: Loader<MessageQueue>): MessageQueue {
  const queue = memoize(load);
  return {
    send: async (name, text, options) => (await queue()).send(name, text, options),
    receive: async (name, options) => (await queue()).receive(name, options),
    delete: async (name, message) => (await queue()).delete(name, message),
    count: async (name) => (await queue()).count(name),
    ensure: async (name) => (await queue()).ensure(name),
  };
}

export function lazyBlobStore(load: Loader<BlobStore>): BlobStore {
  const blobs = memoize(load);
  return {
    put: async (container, name, bytes, contentType) => (await blobs()).put(container, name, bytes, contentType),
    get: async (container, name) => (await blobs()).get(container, name),
    list: async (container, prefix) => (await blobs()).list(container, prefix),
    listPage: async (container, options) => (await blobs()).listPage(container, options),
    delete: async (container, name) => (await blobs()).delete(container, name),
    readUrl: async (container, name, ttlSeconds) => (await blobs()).readUrl(container, name, ttlSeconds),
    writeUrl: async (container, name, ttlSeconds, contentType) => (await blobs()).writeUrl(container, name, ttlSeconds, contentType),
  };
}
