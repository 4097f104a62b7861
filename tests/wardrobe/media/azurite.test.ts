/**
 * The upload against real blob storage (embedded Azurite): the original and the WebP really
 * land in their containers under the user's id, the answered URL is a working SAS URL, and the
 * metadata route reads the stored image back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { startAzurite, type Azurite } from '../../../adapters/local/azurite.ts';
import { AzureBlobStore } from '../../../adapters/storage/blob-store.ts';
import { asUser, jpeg, setup } from './support.ts';

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
}, 300_000);

afterAll(async () => {
  await azurite?.stop();
});

describe('process-image on Azurite', () => {
  it('stores the original and the WebP in blob storage, and answers a read URL that serves the WebP', async () => {
    const blobs = new AzureBlobStore(azurite.connectionString);
    const t = setup({ blobs, settings: { archiveContainer: 'test-archive', imagesContainer: 'test-images' } });
    const original = await jpeg(2600, 1300, { r: 200, g: 30, b: 40 });
    const reply = await t.upload(asUser('alice'), original, 'image/jpeg');
    expect(reply.statusCode).toBe(201);
    const imageId = reply.json!.imageId as string;

    expect(await blobs.list('test-archive', 'alice/')).toEqual([`alice/${imageId}.jpg`]);
    expect(await blobs.list('test-images', 'alice/')).toEqual([`alice/${imageId}.webp`]);
    const archived = await blobs.get('test-archive', `alice/${imageId}.jpg`);
    expect(archived?.contentType).toBe('image/jpeg');
    expect(Buffer.from(archived!.bytes).equals(original)).toBe(true);

    // The URL is a SAS URL: fetched without credentials, it serves exactly the stored WebP.
    const url = new URL(reply.json!.url as string);
    expect(url.searchParams.get('sp')).toBe('r');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    const served = new Uint8Array(await response.arrayBuffer());
    expect(served.byteLength).toBe(reply.json!.bytes);
    expect(await sharp(served).metadata()).toMatchObject({ format: 'webp', width: 2048, height: 1024 });

    const metadata = await t.extract(asUser('alice'), { imageId });
    expect(metadata.json).toMatchObject({ colours: [{ name: 'red' }], model: 'offline' });
    expect((await t.extract(asUser('bob'), { imageId })).statusCode).toBe(404);
  });
});
