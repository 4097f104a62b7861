/**
 * BlobStore over Azure Blob Storage. The SDK (about 200 ms to import) loads on first use, so
 * importing this module, for its name rules or from the composition root, stays cheap.
 */
import type * as BlobSdk from '@azure/storage-blob';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { badRequest } from '../../domain/errors.ts';
import type { BlobContent, BlobPage, BlobPageOptions, BlobStore, SignedUpload } from '../../domain/ports.ts';
import { failure, isNotFound, mapError } from './failures.ts';

type Sdk = typeof BlobSdk;

let loading: Promise<Sdk> | undefined;

async function loadSdk(): Promise<Sdk> {
  loading ??= import('@azure/storage-blob');
  return loading;
}

const services = new Map<string, BlobServiceClient>();

/** One client per connection string, built on first use. */
export async function blobService(connection: string): Promise<BlobServiceClient> {
  let client = services.get(connection);
  if (!client) {
    const { BlobServiceClient } = await loadSdk();
    client = services.get(connection) ?? BlobServiceClient.fromConnectionString(connection, { retryOptions: { maxTries: 2 } });
    services.set(connection, client);
  }
  return client;
}

export async function pingBlobService(connection: string, signal: AbortSignal): Promise<void> {
  await (await blobService(connection)).getProperties({ abortSignal: signal });
}

// ---------------------------------------------------------------- names: shared with the memory store

const CONTAINER_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// C0 and C1 controls, and lone surrogates (which no URL or UTF-8 can carry).
const CONTROL = /[\p{Cc}\p{Cs}]/u;
/** The longest read URL we hand out: the limit of a user-delegation SAS, so switching to one breaks nobody. */
export const MAX_READ_URL_SECONDS = 7 * 24 * 3600;

export function checkContainerName(container: string): void {
  if (typeof container !== 'string' || container.length < 3 || container.length > 63 || !CONTAINER_NAME.test(container)) {
    throw badRequest('invalid_name', 'A container name is 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.');
  }
}

/**
 * 1-1024 characters with no control characters. A `.` or `..` path segment is refused too: URL
 * parsing would resolve it away, so Azure would store a different name than the one asked for.
 */
export function checkBlobName(name: string): void {
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 1024 ||
    CONTROL.test(name) ||
    name.split('/').some((segment) => segment === '.' || segment === '..')
  ) {
    throw badRequest('invalid_name', 'A blob name is 1-1024 characters, with no control characters and no "." or ".." path segment.');
  }
}

export function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length > 1024 || CONTROL.test(prefix))) {
    throw badRequest('invalid_name', 'A blob name prefix is at most 1024 characters, with no control characters.');
  }
}

/** A listing page's size, 1-5000 (the services' own maximum). */
export function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw badRequest('invalid_limit', `A blob page holds 1-5000 blobs, not ${limit}.`);
}

export function checkContentType(contentType: string): void {
  if (typeof contentType !== 'string' || contentType.length < 1 || contentType.length > 255 || CONTROL.test(contentType)) {
    throw badRequest('invalid_content_type', 'A content type is 1-255 characters with no control characters.');
  }
}

/** Whole seconds, rounded up, from 1 s to 7 days. */
export function checkTtl(ttlSeconds: number): number {
  const seconds = Math.ceil(ttlSeconds);
  if (!Number.isFinite(ttlSeconds) || seconds < 1 || seconds > MAX_READ_URL_SECONDS) {
    throw badRequest('invalid_ttl', `ttlSeconds must be between 1 and ${MAX_READ_URL_SECONDS} (7 days).`);
  }
  return seconds;
}

// ---------------------------------------------------------------- errors

const isContainerNotFound = (error: unknown) => {
  const facts = failure(error);
  return facts?.status === 404 && facts.code === 'ContainerNotFound';
};

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  // A copy with its own ArrayBuffer: a small concat result may sit in Node's shared pool.
  return new Uint8Array(Buffer.concat(chunks));
}

// ---------------------------------------------------------------- the store

export interface AzureBlobStoreOptions {
  /** Names per list request (the service's maximum is 5000); small values exercise paging in tests. */
  listPageSize?: number;
}

export class AzureBlobStore implements BlobStore {
  readonly #connection: string;
  readonly #pageSize: number;
  /** Containers known to exist, so a put costs one request, not two. */
  readonly #known = new Set<string>();

  constructor(connection: string, options: AzureBlobStoreOptions = {}) {
    this.#connection = connection;
    this.#pageSize = options.listPageSize ?? 5000;
  }

  async #container(container: string): Promise<ContainerClient> {
    return (await blobService(this.#connection)).getContainerClient(container);
  }

  async put(container: string, name: string, bytes: Uint8Array, contentType: string): Promise<void> {
    checkContainerName(container);
    checkBlobName(name);
    checkContentType(contentType);
    const client = await this.#container(container);
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.#known.has(container)) {
          await client.createIfNotExists();
          this.#known.add(container);
        }
        await client.getBlockBlobClient(name).uploadData(bytes, { blobHTTPHeaders: { blobContentType: contentType } });
        return;
      } catch (error) {
        // Deleted behind our back since we cached it: create it again, once.
        if (attempt === 1 && isContainerNotFound(error)) {
          this.#known.delete(container);
          continue;
        }
        throw mapError(error);
      }
    }
  }

  /** Undefined when the blob or its container does not exist. */
  async get(container: string, name: string): Promise<BlobContent | undefined> {
    checkContainerName(container);
    checkBlobName(name);
    const client = await this.#container(container);
    try {
      const response = await client.getBlobClient(name).download();
      const bytes = await readAll(response.readableStreamBody);
      return { bytes, contentType: response.contentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw mapError(error);
    }
  }

  /** Every page, not just the first; an absent container lists nothing. */
  async list(container: string, prefix?: string): Promise<string[]> {
    checkContainerName(container);
    checkPrefix(prefix);
    const client = await this.#container(container);
    const names: string[] = [];
    try {
      for await (const page of client.listBlobsFlat(prefix ? { prefix } : {}).byPage({ maxPageSize: this.#pageSize })) {
        for (const blob of page.segment.blobItems) names.push(blob.name);
      }
    } catch (error) {
      if (isContainerNotFound(error)) return [];
      throw mapError(error);
    }
    return names.sort();
  }

  /** The service's own continuation token; Azure lists in name order. */
  async listPage(container: string, options: BlobPageOptions): Promise<BlobPage> {
    checkContainerName(container);
    checkPrefix(options.prefix);
    checkPageLimit(options.limit);
    const client = await this.#container(container);
    try {
      const pages = client.listBlobsFlat(options.prefix ? { prefix: options.prefix } : {}).byPage({ maxPageSize: options.limit, ...(options.continuation ? { continuationToken: options.continuation } : {}) });
      const { value: page } = (await pages.next()) as { value?: BlobSdk.ListBlobsFlatSegmentResponse };
      if (!page) return { items: [] };
      const items = page.segment.blobItems.map((blob) => ({ name: blob.name, lastModified: blob.properties.lastModified }));
      return page.continuationToken ? { items, continuation: page.continuationToken } : { items };
    } catch (error) {
      if (isContainerNotFound(error)) return { items: [] };
      throw mapError(error);
    }
  }

  async delete(container: string, name: string): Promise<boolean> {
    checkContainerName(container);
    checkBlobName(name);
    const client = await this.#container(container);
    try {
      return (await client.getBlobClient(name).deleteIfExists()).succeeded;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw mapError(error);
    }
  }

  /**
   * A read-only service SAS URL, signed locally with the account key (no request is made, and the
   * blob need not exist yet). Needs a connection string with an AccountKey.
   */
  async readUrl(container: string, name: string, ttlSeconds: number): Promise<string> {
    checkContainerName(container);
    checkBlobName(name);
    const seconds = checkTtl(ttlSeconds);
    const client = await this.#container(container);
    const { BlobSASPermissions } = await loadSdk();
    try {
      return await client.getBlobClient(name).generateSasUrl({
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + seconds * 1000),
      });
    } catch (error) {
      throw new Error('readUrl needs a storage connection string with an AccountKey to sign the URL.', { cause: error });
    }
  }

  /**
   * A SAS for this blob with create and write permissions only (no read, delete or list), so the
   * holder can upload it, and nothing else. The container is created now: an upload cannot.
   */
  async writeUrl(container: string, name: string, ttlSeconds: number, contentType: string): Promise<SignedUpload> {
    checkContainerName(container);
    checkBlobName(name);
    checkContentType(contentType);
    const seconds = checkTtl(ttlSeconds);
    const client = await this.#container(container);
    if (!this.#known.has(container)) {
      try {
        await client.createIfNotExists();
      } catch (error) {
        throw mapError(error);
      }
      this.#known.add(container);
    }
    const { BlobSASPermissions } = await loadSdk();
    // A SAS carries whole seconds: the expiry answered is the one signed.
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);
    try {
      const url = await client.getBlobClient(name).generateSasUrl({ permissions: BlobSASPermissions.parse('cw'), expiresOn: expiresAt });
      return { url, headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType }, expiresAt };
    } catch (error) {
      throw new Error('writeUrl needs a storage connection string with an AccountKey to sign the URL.', { cause: error });
    }
  }
}
