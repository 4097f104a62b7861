/**
 * POST /api/process-image through the real HTTP stack, on memory stores with the real sharp
 * adapter: every accepted format, orientation, resizing, metadata stripping, the refusals
 * (with nothing stored), background removal applied or skipped, and the image document.
 */
import { describe, expect, it } from '@jest/globals';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { SegmentationError, type BackgroundRemover } from '../../../domain/wardrobe/media.ts';
import { asUser, avif, cutout, jpeg, png, rotatedJpeg, setup, solid, webp } from './support.ts';

const NAVY = { r: 27, g: 42, b: 74 };

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG header claiming 60000 × 60000 pixels in a few dozen bytes: a decompression bomb. */
function pngBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(60_000, 0);
  header.writeUInt32BE(60_000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

const nothingStored = { documents: [], archive: [], images: [] };

describe('POST /api/process-image', () => {
  it.each([
    ['image/png', png, 'png'],
    ['image/jpeg', jpeg, 'jpg'],
    ['image/webp', webp, 'webp'],
    ['image/avif', avif, 'avif'],
  ] as const)('accepts %s: keeps the original, stores a WebP, records the image, answers 201', async (type, make, extension) => {
    const t = setup();
    const original = await make(300, 200, NAVY);
    const reply = await t.upload(asUser('alice'), original, type);
    expect(reply.statusCode).toBe(201);
    const body = reply.json!;
    expect(body).toMatchObject({ width: 300, height: 200, format: 'webp', backgroundRemoval: { status: 'skipped', reason: 'not_configured' } });
    const imageId = body.imageId as string;
    expect(body.url).toBe(`memory://wardrobe-images/alice/${imageId}.webp?expires=${encodeURIComponent(new Date(Date.parse('2026-11-22T10:00:00Z') + 3600_000).toISOString())}`);
    const colours = body.dominantColours as { hex: string; name: string; share: number }[];
    expect(colours).toHaveLength(1);
    expect(colours[0]).toMatchObject({ name: 'navy', share: 1 });

    const archived = await t.blobs.get('wardrobe-archive', `alice/${imageId}.${extension}`);
    expect(archived?.contentType).toBe(type);
    expect(Buffer.from(archived!.bytes).equals(original)).toBe(true);
    const processed = await t.blobs.get('wardrobe-images', `alice/${imageId}.webp`);
    expect(processed?.contentType).toBe('image/webp');
    expect(body.bytes).toBe(processed!.bytes.byteLength);
    expect(await sharp(processed!.bytes).metadata()).toMatchObject({ format: 'webp', width: 300, height: 200 });

    const { documents } = await t.stored();
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      id: imageId,
      userId: 'alice',
      original: { container: 'wardrobe-archive', blob: `alice/${imageId}.${extension}`, contentType: type, bytes: original.byteLength, width: 300, height: 200 },
      processed: { container: 'wardrobe-images', blob: `alice/${imageId}.webp`, contentType: 'image/webp', width: 300, height: 200 },
      dominantColours: colours,
      createdAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('auto-orients from EXIF and strips all metadata from the processed image', async () => {
    const t = setup();
    const original = await rotatedJpeg(400, 100);
    expect((await sharp(original).metadata()).orientation).toBe(6);
    const reply = await t.upload(asUser('alice'), original, 'image/jpeg');
    expect(reply.json).toMatchObject({ width: 100, height: 400 });
    const processed = await t.blobs.get('wardrobe-images', `alice/${reply.json!.imageId as string}.webp`);
    const meta = await sharp(processed!.bytes).metadata();
    expect([meta.width, meta.height, meta.orientation, meta.exif, meta.icc, meta.xmp]).toEqual([100, 400, undefined, undefined, undefined, undefined]);
    expect(Buffer.from(processed!.bytes).includes('secret-owner')).toBe(false);
  });

  it('shrinks the long side to 2048 px, keeping the aspect ratio, and never enlarges', async () => {
    const t = setup();
    const big = await t.upload(asUser('alice'), await png(3000, 1500, NAVY), 'image/png');
    expect(big.json).toMatchObject({ width: 2048, height: 1024 });
    const tall = await t.upload(asUser('alice'), await png(1000, 4096, NAVY), 'image/png');
    expect(tall.json).toMatchObject({ width: 500, height: 2048 });
    const small = await t.upload(asUser('alice'), await png(17, 9, NAVY), 'image/png');
    expect(small.json).toMatchObject({ width: 17, height: 9 });
  });

  it('refuses a type that is not an accepted image with 415, and stores nothing', async () => {
    const t = setup();
    const reply = await t.upload(asUser('alice'), await png(10, 10, NAVY), 'image/gif');
    expect([reply.statusCode, reply.json?.code, reply.headers['content-type']]).toEqual([415, 'unsupported_media_type', 'application/problem+json']);
    const text = await t.upload(asUser('alice'), new TextEncoder().encode('hello'), 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(await t.stored()).toEqual(nothingStored);
  });

  it('refuses bytes that are not the declared type (content sniffing), and stores nothing', async () => {
    const t = setup();
    const reply = await t.upload(asUser('alice'), await png(10, 10, NAVY), 'image/jpeg');
    expect([reply.statusCode, reply.json?.code]).toEqual([400, 'image_type_mismatch']);
    const notAnImage = await t.upload(asUser('alice'), new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png');
    expect([notAnImage.statusCode, notAnImage.json?.code]).toEqual([400, 'invalid_image']);
    expect(await t.stored()).toEqual(nothingStored);
  });

  it('refuses a corrupt or truncated image with 400 invalid_image', async () => {
    const t = setup();
    const whole = await jpeg(200, 200, NAVY);
    const truncated = await t.upload(asUser('alice'), whole.subarray(0, Math.floor(whole.length / 2)), 'image/jpeg');
    expect([truncated.statusCode, truncated.json?.code]).toEqual([400, 'invalid_image']);
    const header = Buffer.concat([whole.subarray(0, 4), Buffer.alloc(100, 0x41)]);
    expect((await t.upload(asUser('alice'), header, 'image/jpeg')).json?.code).toBe('invalid_image');
    expect(await t.stored()).toEqual(nothingStored);
  });

  it('refuses a decompression bomb from its header, and an image over the pixel limit, with 422', async () => {
    const t = setup({ settings: { maxInputPixels: 1_000_000 } });
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(200);
    const reply = await t.upload(asUser('alice'), bomb, 'image/png');
    expect([reply.statusCode, reply.json?.code]).toEqual([422, 'image_too_large']);
    const over = await t.upload(asUser('alice'), await png(1001, 1000, NAVY), 'image/png');
    expect([over.statusCode, over.json?.code]).toEqual([422, 'image_too_large']);
    expect(await t.stored()).toEqual(nothingStored);
  });

  it('refuses an animated image with 422 animated_image', async () => {
    const t = setup();
    const frames = [await png(20, 20, NAVY), await png(20, 20, { r: 255, g: 0, b: 0 })];
    const animated = await sharp(frames, { join: { animated: true } }).webp().toBuffer();
    const reply = await t.upload(asUser('alice'), animated, 'image/webp');
    expect([reply.statusCode, reply.json?.code]).toEqual([422, 'animated_image']);
    expect(await t.stored()).toEqual(nothingStored);
  });

  it('refuses an empty body, a body over 10 MB, and an anonymous caller, storing nothing', async () => {
    const t = setup();
    expect((await t.upload(asUser('alice'), new Uint8Array(), 'image/png')).json?.code).toBe('body_required');
    const huge = await t.upload(asUser('alice'), new Uint8Array(10 * 1024 * 1024 + 1), 'image/png');
    expect([huge.statusCode, huge.json?.code]).toEqual([413, 'body_too_large']);
    // Just under the limit is not refused for its size (it is not an image, so 400).
    expect((await t.upload(asUser('alice'), new Uint8Array(10 * 1024 * 1024), 'image/png')).statusCode).toBe(400);
    expect((await t.upload({}, await png(10, 10, NAVY), 'image/png')).statusCode).toBe(401);
    expect(await t.stored()).toEqual(nothingStored);
  });

  describe('background removal', () => {
    it('applies the segmentation cut-out: a WebP with alpha, colours of the garment only', async () => {
      const sent: { bytes: Uint8Array; contentType: string }[] = [];
      const segmentation: BackgroundRemover = {
        removeBackground: async (image) => {
          sent.push(image);
          const { width, height } = await sharp(image.bytes).metadata();
          return cutout(width!, height!, { r: 200, g: 30, b: 40 });
        },
      };
      const t = setup({ segmentation });
      // Sent oriented: the service sees the portrait the user sees.
      const reply = await t.upload(asUser('alice'), await rotatedJpeg(120, 60), 'image/jpeg');
      expect(reply.statusCode).toBe(201);
      expect(reply.json).toMatchObject({ width: 60, height: 120, backgroundRemoval: { status: 'applied' }, dominantColours: [{ hex: '#c81e28', name: 'red', share: 1 }] });
      expect(sent).toHaveLength(1);
      expect(sent[0]!.contentType).toBe('image/png');
      expect(await sharp(sent[0]!.bytes).metadata()).toMatchObject({ format: 'png', width: 60, height: 120 });
      const processed = await t.blobs.get('wardrobe-images', `alice/${reply.json!.imageId as string}.webp`);
      expect((await sharp(processed!.bytes).metadata()).hasAlpha).toBe(true);
      expect((await t.stored()).documents[0]?.backgroundRemoval).toEqual({ status: 'applied' });
    });

    it.each(['timeout', 'unreachable', 'rejected', 'invalid_response'] as const)('keeps the upload when the service fails (%s): skipped with the reason, logged', async (reason) => {
      const t = setup({ segmentation: { removeBackground: async () => Promise.reject(new SegmentationError(reason, `failed: ${reason}`)) } });
      const reply = await t.upload(asUser('alice'), await png(50, 40, NAVY), 'image/png');
      expect(reply.statusCode).toBe(201);
      expect(reply.json?.backgroundRemoval).toEqual({ status: 'skipped', reason });
      expect((await t.stored()).documents).toHaveLength(1);
      expect(t.platform.lines.some((line) => line.includes('background removal skipped') && line.includes(reason))).toBe(true);
    });

    it('skips a cut-out that is not a usable PNG (invalid_response), keeping the original look', async () => {
      const t = setup({ segmentation: { removeBackground: async () => new Uint8Array(await jpeg(50, 40, { r: 0, g: 255, b: 0 })) } });
      const reply = await t.upload(asUser('alice'), await png(50, 40, NAVY), 'image/png');
      expect(reply.json).toMatchObject({ backgroundRemoval: { status: 'skipped', reason: 'invalid_response' }, dominantColours: [{ name: 'navy' }] });
    });
  });

  it('keeps each user\'s blobs under their own id, encoded so an id cannot climb out', async () => {
    const t = setup();
    const reply = await t.upload(asUser('bob'), await png(8, 8, NAVY), 'image/png');
    expect((await t.stored()).archive).toEqual([`bob/${reply.json!.imageId as string}.png`]);
    const { imageBlobName } = await import('../../../domain/wardrobe/media.ts');
    expect(imageBlobName('../x/y', 'id', 'png')).toBe('..%2Fx%2Fy/id.png');
  });

  it('solid() images really are the colour asked for (the fixtures are honest)', async () => {
    const { data } = await solid(2, 2, NAVY).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(data.subarray(0, 4))).toEqual([27, 42, 74, 255]);
  });
});
