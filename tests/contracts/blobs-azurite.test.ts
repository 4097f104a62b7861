/**
 * The BlobStore contract against AzureBlobStore on embedded Azurite, plus what only a real
 * endpoint can show: the read URL really reads (and only reads, only that blob, only until it
 * expires), the container cache recovers, and an unreachable service is a StoreUnavailableError.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startAzurite, connectionString, freePort, type Azurite } from '../../adapters/local/azurite.ts';
import { AzureBlobStore, blobService, pingBlobService } from '../../adapters/storage/blob-store.ts';
import { StoreUnavailableError } from '../../domain/errors.ts';
import { describeBlobStoreContract } from './blob-store.contract.ts';

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
}, 300_000);

afterAll(async () => {
  await azurite?.stop();
});

// A small page size, so listing 30 blobs takes five requests and proves the store pages.
describeBlobStoreContract('AzureBlobStore on Azurite', () => ({
  store: new AzureBlobStore(azurite.connectionString, { listPageSize: 7 }),
  expiryParam: 'se',
  now: () => Date.now(),
}));

describe('AzureBlobStore on Azurite: what only a real endpoint shows', () => {
  let store: AzureBlobStore;
  const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);

  beforeAll(() => {
    store = new AzureBlobStore(azurite.connectionString);
  });

  it('gives a read URL that fetches the exact bytes and content type without credentials', async () => {
    await store.put('sas-read', 'dir/all bytes ü.bin', bytes, 'application/x-test');
    const url = await store.readUrl('sas-read', 'dir/all bytes ü.bin', 60);
    expect(new URL(url).searchParams.get('sp')).toBe('r');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-test');
    expect(Array.from(new Uint8Array(await response.arrayBuffer()))).toEqual(Array.from(bytes));
    // Without its signature the same URL is refused: the container is private.
    const bare = new URL(url);
    bare.search = '';
    expect((await fetch(bare)).status).not.toBe(200);
  });

  it('signs one blob: the same signature on another blob name is refused', async () => {
    await store.put('sas-scope', 'mine', bytes, 'application/octet-stream');
    await store.put('sas-scope', 'other', bytes, 'application/octet-stream');
    const url = new URL(await store.readUrl('sas-scope', 'mine', 60));
    url.pathname = url.pathname.replace(/mine$/, 'other');
    const response = await fetch(url);
    // The signature covers the path: Azurite (like Azure) answers 403 AuthorizationFailure.
    expect(response.status).toBe(403);
    await response.arrayBuffer();
  });

  it('signs for reading only: a write or a delete with it is refused and changes nothing', async () => {
    await store.put('sas-readonly', 'doc', bytes, 'application/octet-stream');
    const url = await store.readUrl('sas-readonly', 'doc', 60);
    const response = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'overwritten' });
    expect(response.status).toBe(403);
    await response.arrayBuffer();
    const deletion = await fetch(url, { method: 'DELETE' });
    expect(deletion.status).toBe(403);
    await deletion.arrayBuffer();
    expect(Array.from((await store.get('sas-readonly', 'doc'))!.bytes)).toEqual(Array.from(bytes));
  });

  it('gives a read URL that stops working once it expires', async () => {
    await store.put('sas-expiry', 'doc', bytes, 'application/octet-stream');
    const url = await store.readUrl('sas-expiry', 'doc', 1);
    const expiry = Date.parse(new URL(url).searchParams.get('se')!);
    expect((await fetch(url)).status).toBe(200);
    // `se` has whole seconds; wait until it is safely past, then the URL must be refused.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiry - Date.now()) + 1100));
    expect((await fetch(url)).status).toBe(403);
  });

  it('gives a write URL into a container that did not exist yet: the URL creates nothing, so the store does', async () => {
    const upload = await store.writeUrl('sas-write-new', 'first.wav', 60, 'audio/wav');
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
    expect(put.status).toBe(201);
    await put.arrayBuffer();
    expect(await store.list('sas-write-new')).toEqual(['first.wav']);
  });

  it('gives a write URL that uploads the blob with a PUT, and can do nothing else', async () => {
    await store.put('sas-write', 'other', bytes, 'application/octet-stream');
    const upload = await store.writeUrl('sas-write', 'dir/upload ü.wav', 60, 'audio/wav');
    const url = new URL(upload.url);
    expect(url.searchParams.get('sp')).toBe('cw');
    const put = await fetch(url, { method: 'PUT', headers: upload.headers, body: bytes });
    expect(put.status).toBe(201);
    await put.arrayBuffer();
    const stored = await store.get('sas-write', 'dir/upload ü.wav');
    expect(stored?.contentType).toBe('audio/wav');
    expect(Array.from(stored!.bytes)).toEqual(Array.from(bytes));
    // No read, no delete, and no other blob with the same signature.
    for (const attempt of [fetch(url), fetch(url, { method: 'DELETE' })]) {
      const response = await attempt;
      expect(response.status).toBe(403);
      await response.arrayBuffer();
    }
    const elsewhere = new URL(url);
    elsewhere.pathname = elsewhere.pathname.replace(/dir\/.*$/, 'other');
    const overwrite = await fetch(elsewhere, { method: 'PUT', headers: upload.headers, body: 'overwritten' });
    expect(overwrite.status).toBe(403);
    await overwrite.arrayBuffer();
    expect(Array.from((await store.get('sas-write', 'other'))!.bytes)).toEqual(Array.from(bytes));
  });

  it('gives a write URL that stops working once it expires', async () => {
    const upload = await store.writeUrl('sas-write-expiry', 'late', 1, 'audio/wav');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, upload.expiresAt.getTime() - Date.now()) + 1100));
    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
    expect(response.status).toBe(403);
    await response.arrayBuffer();
    expect(await store.get('sas-write-expiry', 'late')).toBeUndefined();
  });

  it('recreates a container deleted behind its back (the existence cache is not trusted blindly)', async () => {
    await store.put('cache-reset', 'first', bytes, 'application/octet-stream');
    await (await blobService(azurite.connectionString)).getContainerClient('cache-reset').delete();
    await store.put('cache-reset', 'second', bytes, 'application/octet-stream');
    expect(await store.list('cache-reset')).toEqual(['second']);
  });

  it('maps a refused connection to StoreUnavailableError', async () => {
    const closed = new AzureBlobStore(connectionString(await freePort(), await freePort()));
    await expect(closed.get('any-container', 'n')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(closed.put('any-container', 'n', bytes, 'text/plain')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('pings the blob service for health, and honours the abort signal', async () => {
    await expect(pingBlobService(azurite.connectionString, AbortSignal.timeout(5000))).resolves.toBeUndefined();
    await expect(pingBlobService(azurite.connectionString, AbortSignal.abort())).rejects.toThrow();
  });
});
