/**
 * The media routes over real HTTP on the local host: a binary upload larger than the host's
 * default body limit (the route's own 10 MB limit applies) arrives byte-exact through the Azure
 * adapter's base64 mapping, and the metadata route reads it back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { FunctionDef, HttpLambda } from '../../../kernel/functions.ts';
import { createLocalHost, type LocalHost } from '../../../adapters/local/server.ts';
import { MemoryBlobStore } from '../../../adapters/memory/blobs.ts';
import { mediaFunctions } from '../../../handlers/wardrobe/media/functions.ts';
import { asUser, setup } from './support.ts';

const blobs = new MemoryBlobStore();
const t = setup({ blobs });
let host: LocalHost;
let base: string;

beforeAll(async () => {
  // The same handlers the unit tests call, behind the host's real HTTP server.
  const handlers: Record<string, HttpLambda> = { 'wardrobe-process-image': t.processImage, 'wardrobe-extract-clothing-metadata': t.extractMetadata };
  const table = mediaFunctions.map((def) => ({ ...def, handler: undefined, load: async () => ({ handler: handlers[def.name]! }) })) as FunctionDef[];
  host = createLocalHost({ table, port: 0, logger: t.platform.logger, maxBodyBytes: 64 * 1024 });
  base = await host.listen();
});

afterAll(async () => {
  await host?.close();
});

describe('media on the local host', () => {
  it('takes a binary upload past the default body limit, byte-exact, and extracts its metadata', async () => {
    // Noise does not compress: a PNG of about 1.2 MB, far past the host's 64 KB default.
    const original = await sharp(randomBytes(640 * 640 * 3), { raw: { width: 640, height: 640, channels: 3 } }).png().toBuffer();
    expect(original.byteLength).toBeGreaterThan(1024 * 1024);
    const response = await fetch(`${base}/api/process-image`, { method: 'POST', headers: { 'content-type': 'image/png', ...asUser('alice') }, body: original });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { imageId: string; width: number };
    expect(body.width).toBe(640);
    const archived = await blobs.get('wardrobe-archive', `alice/${body.imageId}.png`);
    expect(Buffer.from(archived!.bytes).equals(original)).toBe(true);

    const metadata = await fetch(`${base}/api/extract-clothing-metadata`, { method: 'POST', headers: { 'content-type': 'application/json', ...asUser('alice') }, body: JSON.stringify({ imageId: body.imageId }) });
    expect(metadata.status).toBe(200);
    expect(((await metadata.json()) as { model: string }).model).toBe('offline');
  });

  it('refuses a body over 10 MB with 413 problem+json', async () => {
    const response = await fetch(`${base}/api/process-image`, { method: 'POST', headers: { 'content-type': 'image/png', ...asUser('alice') }, body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('body_too_large');
  });
});
