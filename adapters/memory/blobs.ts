/**
 * BlobStore in memory, with the Azure store's name rules (imported from it; that import does not
 * load the SDK). Bytes are copied in and out, so no caller can change what is stored.
 */
import type { BlobContent, BlobPage, BlobPageOptions, BlobStore, Clock, SignedUpload } from '../../domain/ports.ts';
import { checkBlobName, checkContainerName, checkContentType, checkPageLimit, checkPrefix, checkTtl } from '../storage/blob-store.ts';

const realTime: Clock = { now: () => new Date() };

export class MemoryBlobStore implements BlobStore {
  readonly #clock: Clock;
  readonly #containers = new Map<string, Map<string, BlobContent & { lastModified: Date }>>();

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? realTime;
  }

  async put(container: string, name: string, bytes: Uint8Array, contentType: string): Promise<void> {
    checkContainerName(container);
    checkBlobName(name);
    checkContentType(contentType);
    let blobs = this.#containers.get(container);
    if (!blobs) this.#containers.set(container, (blobs = new Map()));
    blobs.set(name, { bytes: new Uint8Array(bytes), contentType, lastModified: this.#clock.now() });
  }

  async get(container: string, name: string): Promise<BlobContent | undefined> {
    checkContainerName(container);
    checkBlobName(name);
    const blob = this.#containers.get(container)?.get(name);
    return blob && { bytes: new Uint8Array(blob.bytes), contentType: blob.contentType };
  }

  async list(container: string, prefix?: string): Promise<string[]> {
    checkContainerName(container);
    checkPrefix(prefix);
    const names = [...(this.#containers.get(container)?.keys() ?? [])];
    return names.filter((name) => !prefix || name.startsWith(prefix)).sort();
  }

  /** The continuation is the last name answered: the next page starts after it. */
  async listPage(container: string, options: BlobPageOptions): Promise<BlobPage> {
    checkContainerName(container);
    checkPrefix(options.prefix);
    checkPageLimit(options.limit);
    const after = options.continuation;
    const blobs = this.#containers.get(container) ?? new Map();
    const names = (await this.list(container, options.prefix)).filter((name) => after === undefined || name > after);
    const items = names.slice(0, options.limit).map((name) => ({ name, lastModified: new Date(blobs.get(name)!.lastModified) }));
    return names.length > options.limit ? { items, continuation: items.at(-1)!.name } : { items };
  }

  async delete(container: string, name: string): Promise<boolean> {
    checkContainerName(container);
    checkBlobName(name);
    return this.#containers.get(container)?.delete(name) ?? false;
  }

  /**
   * `memory://<container>/<name>?expires=<ISO time>`: it names the blob and the expiry for tests
   * to assert on, but nothing can fetch it. Like a SAS URL, it does not require the blob to exist.
   */
  async readUrl(container: string, name: string, ttlSeconds: number): Promise<string> {
    checkContainerName(container);
    checkBlobName(name);
    const expires = new Date(this.#clock.now().getTime() + checkTtl(ttlSeconds) * 1000);
    const path = name.split('/').map(encodeURIComponent).join('/');
    return `memory://${container}/${path}?expires=${encodeURIComponent(expires.toISOString())}`;
  }

  /** `memory://<container>/<name>?expires=<ISO time>&write=1`: like readUrl's, for tests to assert on; nothing can PUT to it. */
  async writeUrl(container: string, name: string, ttlSeconds: number, contentType: string): Promise<SignedUpload> {
    checkContentType(contentType);
    const url = new URL(await this.readUrl(container, name, ttlSeconds));
    url.searchParams.set('write', '1');
    return { url: url.href, headers: { 'content-type': contentType }, expiresAt: new Date(url.searchParams.get('expires')!) };
  }
}
