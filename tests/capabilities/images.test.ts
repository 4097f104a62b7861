/**
 * The image plugins beyond image-compress, through the registry on generated images: resize
 * (fits, crop positions, enlargement), thumbnail, convert, metadata (dimensions, EXIF, dominant
 * colours), background removal through the real HTTP segmentation client against a local
 * server, EXIF stripped from every output, and the refusals (415, 413 with nothing written, 400).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { freePort } from '../../adapters/local/azurite.ts';
import { loadPlugin } from '../../adapters/capabilities/load-plugin.ts';
import { readPluginsFile } from '../../handlers/capabilities/plugins-file.ts';
import { HttpSegmentation } from '../../adapters/segmentation/http-segmentation.ts';
import { runPlugin, type RunOptions } from './support/harness.ts';

const RED = '#d0202a';
const BLUE = '#2a5cc8';
type Rgba = [number, number, number, number];

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });

/** `width` × `height`, the left `split` px one colour and the rest another (SVG, crisp edges). */
const twoColour = (width: number, height: number, split: number, left = RED, right = BLUE) =>
  sharp(Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" shape-rendering="crispEdges">` +
      `<rect width="${width}" height="${height}" fill="${right}"/><rect width="${split}" height="${height}" fill="${left}"/></svg>`,
  )).png().toBuffer();

/** A 60 × 30 jpeg stored sideways: EXIF orientation 6 (shown turned 90° clockwise), a camera make, 144 dpi, XMP. */
const sidewaysPhoto = async () =>
  sharp(await twoColour(60, 30, 30))
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6, density: 144 })
    .withExifMerge({ IFD0: { Make: 'Portico test camera' } })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .toBuffer();

async function pixel(bytes: Uint8Array, x: number, y: number): Promise<Rgba> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [data[at]!, data[at + 1]!, data[at + 2]!, data[at + 3]!];
}

/** Within a lossy encoder's tolerance of `hex` (and opaque). */
function expectColour(actual: Rgba, hex: string, tolerance = 12): void {
  const value = parseInt(hex.slice(1), 16);
  const expected = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  expected.forEach((channel, i) => expect(Math.abs(actual[i]! - channel)).toBeLessThanOrEqual(tolerance));
  expect(actual[3]).toBe(255);
}

async function run(name: string, input: Record<string, unknown>, options?: RunOptions) {
  const call = await runPlugin(name, input, options);
  const output = typeof call.result.output_url === 'string' ? await call.read(call.result.output_url) : undefined;
  return { ...call, metadata: call.result.metadata as Record<string, unknown>, output: output?.bytes ?? new Uint8Array(), contentType: output?.contentType };
}

/** The call is refused with `status`/`code`, and wrote nothing. */
async function expectRefused(name: string, input: Record<string, unknown>, refusal: { status: number; code: string }, options: RunOptions = {}) {
  const written: string[] = [];
  await expect(runPlugin(name, input, { ...options, written })).rejects.toMatchObject(refusal);
  expect(written).toEqual([]);
}

describe('image-resize', () => {
  it('keeps the input\'s format (webp for others), keeps the aspect with one side, and stretches with fill', async () => {
    const png = await solid(200, 100, RED).png().toBuffer();
    const one = await run('image-resize', { image_base64: b64(png), options: { width: 50 } });
    expect(one.contentType).toBe('image/png');
    expect(await sharp(one.output).metadata()).toMatchObject({ format: 'png', width: 50, height: 25 });
    expect(one.metadata).toMatchObject({ width: 50, height: 25, format: 'png', original_width: 200, original_height: 100, size: one.output.byteLength });
    expect(one.result.output_url).toMatch(/\/uploads\/[0-9a-f]{32}_resized\.png$/);

    const jpeg = await solid(200, 100, RED).jpeg().toBuffer();
    const fill = await run('image-resize', { image_base64: b64(jpeg), options: { width: 40, height: 80, fit: 'fill' } });
    expect(await sharp(fill.output).metadata()).toMatchObject({ format: 'jpeg', width: 40, height: 80 });

    const tiff = await solid(200, 100, RED).tiff().toBuffer();
    const webp = await run('image-resize', { image_base64: b64(tiff), options: { height: 10 } });
    expect(await sharp(webp.output).metadata()).toMatchObject({ format: 'webp', width: 20, height: 10 });
    const avif = await run('image-resize', { image_base64: b64(tiff), options: { height: 10, format: 'avif', quality: 40 } });
    expect(avif.contentType).toBe('image/avif');
    expect(await sharp(avif.output).metadata()).toMatchObject({ format: 'heif', compression: 'av1', width: 20, height: 10 });
  });

  it('crops cover at the position asked for: the left half, the right half, the middle', async () => {
    const image = b64(await twoColour(200, 100, 100));
    const cover = async (position?: string) =>
      (await run('image-resize', { image_base64: image, options: { width: 100, height: 100, fit: 'cover', ...(position ? { position } : {}) } })).output;
    const left = await cover('left');
    expect(await sharp(left).metadata()).toMatchObject({ width: 100, height: 100 });
    expectColour(await pixel(left, 5, 50), RED);
    expectColour(await pixel(left, 95, 50), RED);
    const right = await cover('right');
    expectColour(await pixel(right, 5, 50), BLUE);
    expectColour(await pixel(right, 95, 50), BLUE);
    const centre = await cover();
    expectColour(await pixel(centre, 5, 50), RED);
    expectColour(await pixel(centre, 95, 50), BLUE);
  });

  it('finds the busy, saturated region with the attention and entropy strategies', async () => {
    // A flat grey left two thirds and a saturated checkerboard on the right third.
    const squares = Array.from({ length: 100 }, (_, i) => {
      const [column, row] = [i % 10, Math.floor(i / 10)];
      return `<rect x="${200 + column * 10}" y="${row * 10}" width="10" height="10" fill="${(column + row) % 2 ? '#e0a070' : '#ff2000'}"/>`;
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" shape-rendering="crispEdges"><rect width="300" height="100" fill="#808080"/>${squares.join('')}</svg>`;
    const image = b64(await sharp(Buffer.from(svg)).png().toBuffer());
    for (const position of ['attention', 'entropy']) {
      const { output } = await run('image-resize', { image_base64: image, options: { width: 100, height: 100, position } });
      // The crop is the checkerboard: its first square is the red one, and no grey is left.
      expectColour(await pixel(output, 5, 5), '#ff2000');
      const { channels } = await sharp(output).stats();
      expect(channels[0]!.min).toBeGreaterThan(200);
    }
  });

  it('pads contain with the background asked for', async () => {
    const { output } = await run('image-resize', { image_base64: b64(await twoColour(200, 100, 100)), options: { width: 100, height: 100, fit: 'contain', background: '#00ff00' } });
    expect(await sharp(output).metadata()).toMatchObject({ width: 100, height: 100 });
    expectColour(await pixel(output, 50, 5), '#00ff00');
    expectColour(await pixel(output, 5, 50), RED);
    expectColour(await pixel(output, 95, 50), BLUE);
    expectColour(await pixel(output, 50, 95), '#00ff00');
  });

  it('never enlarges unless withoutEnlargement is false', async () => {
    const image = b64(await solid(120, 90, RED).png().toBuffer());
    const kept = await run('image-resize', { image_base64: image, options: { width: 1000 } });
    expect(kept.metadata).toMatchObject({ width: 120, height: 90 });
    const enlarged = await run('image-resize', { image_base64: image, options: { width: 1000, withoutEnlargement: false } });
    expect(await sharp(enlarged.output).metadata()).toMatchObject({ width: 1000, height: 750 });
    // Asked for a huge square without enlargement: the small image is only cropped, and that is no bomb.
    const square = await run('image-resize', { image_base64: image, options: { width: 16384, height: 16384 } });
    expect(square.metadata).toMatchObject({ width: 120, height: 90 });
  });

  it('refuses an enlargement past max_output_pixels before decoding, writing nothing', async () => {
    const tiny = b64(await solid(10, 10, RED).png().toBuffer());
    await expectRefused('image-resize', { image_base64: tiny, options: { width: 16384, height: 16384, withoutEnlargement: false } }, { status: 413, code: 'input_too_large' });
    // outside scales the whole image: 10 × 1000 covering 10000 × 10000 would be 10000 × 1000000.
    const strip = b64(await solid(10, 1000, RED).png().toBuffer());
    await expectRefused('image-resize', { image_base64: strip, options: { width: 10000, height: 10000, fit: 'outside', withoutEnlargement: false } }, { status: 413, code: 'input_too_large' });
    // The cap counts what would be written: inside a 1000 × 50 box, 10 × 10 becomes 50 × 50.
    const capped: RunOptions = { config: { options: { max_output_pixels: 10_000 } } };
    const inside = await run('image-resize', { image_base64: tiny, options: { width: 1000, height: 50, fit: 'inside', withoutEnlargement: false } }, capped);
    expect(inside.metadata).toMatchObject({ width: 50, height: 50 });
    await expectRefused('image-resize', { image_base64: tiny, options: { width: 1000, height: 1000, fit: 'inside', withoutEnlargement: false } }, { status: 413, code: 'input_too_large' }, capped);
  });

  it('refuses options that contradict the fit or the format, and malformed ones', async () => {
    const image = b64(await solid(20, 20, RED).png().toBuffer());
    const invalid = { status: 400, code: 'invalid_input' };
    const malformed = { status: 400, code: 'validation_failed' };
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, height: 10, fit: 'fill', position: 'left' } }, invalid);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, height: 10, fit: 'contain', position: 'attention' } }, invalid);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, background: '#fff' } }, invalid);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, format: 'jpeg', lossless: true } }, invalid);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, quality: 50, lossless: true } }, invalid);
    await expectRefused('image-resize', { image_base64: image, options: {} }, malformed);
    await expectRefused('image-resize', { image_base64: image }, malformed);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, fit: 'stretch' } }, malformed);
    await expectRefused('image-resize', { image_base64: image, options: { width: 0 } }, malformed);
    await expectRefused('image-resize', { image_base64: image, options: { width: 20000 } }, malformed);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, background: 'red' } }, malformed);
    await expectRefused('image-resize', { image_base64: image, options: { width: 10, sharpen: true } }, malformed);
  });
});

describe('image-thumbnail', () => {
  it('makes a 256 px webp square by default, cropped to the subject, enlarging a small image', async () => {
    const { output, contentType, metadata, result } = await run('image-thumbnail', { image_base64: b64(await twoColour(600, 300, 150)) });
    expect(contentType).toBe('image/webp');
    expect(await sharp(output).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(metadata).toMatchObject({ width: 256, height: 256, format: 'webp', original_width: 600, original_height: 300 });
    expect(result.output_url).toMatch(/_thumbnail\.webp$/);
    const small = await run('image-thumbnail', { image_base64: b64(await solid(40, 20, RED).png().toBuffer()), options: { size: 64 } });
    expect(await sharp(small.output).metadata()).toMatchObject({ width: 64, height: 64 });
  });

  it('takes another size and format', async () => {
    const { output } = await run('image-thumbnail', { image_base64: b64(await solid(400, 400, BLUE).png().toBuffer()), options: { width: 160, height: 90, format: 'jpeg', quality: 60 } });
    expect(await sharp(output).metadata()).toMatchObject({ format: 'jpeg', width: 160, height: 90 });
    await expectRefused('image-thumbnail', { image_base64: b64(output), options: { size: 4096 } }, { status: 400, code: 'validation_failed' });
  });
});

describe('image-convert', () => {
  it('converts to each format, lossless where the format has it', async () => {
    const png = await twoColour(64, 32, 20);
    for (const [format, sharpFormat, type] of [['jpeg', 'jpeg', 'image/jpeg'], ['avif', 'heif', 'image/avif'], ['webp', 'webp', 'image/webp']] as const) {
      const { output, contentType, metadata } = await run('image-convert', { image_base64: b64(png), options: { format } });
      expect(contentType).toBe(type);
      expect(await sharp(output).metadata()).toMatchObject({ format: sharpFormat, width: 64, height: 32 });
      expect(metadata).toMatchObject({ format, original_format: 'png', original_size: png.byteLength, width: 64, height: 32 });
    }
    const lossless = await run('image-convert', { image_base64: b64(png), options: { format: 'webp', lossless: true } });
    const [original, decoded] = await Promise.all([png, lossless.output].map((bytes) => sharp(bytes).removeAlpha().raw().toBuffer()));
    expect(decoded!.equals(original!)).toBe(true);
  });

  it('quantises png to a palette only when a quality is asked for', async () => {
    const jpeg = await solid(32, 32, RED).jpeg().toBuffer();
    const full = await run('image-convert', { image_base64: b64(jpeg), options: { format: 'png' } });
    expect(await sharp(full.output).metadata()).toMatchObject({ format: 'png', isPalette: false });
    const palette = await run('image-convert', { image_base64: b64(jpeg), options: { format: 'png', quality: 50 } });
    expect(await sharp(palette.output).metadata()).toMatchObject({ format: 'png', isPalette: true });
  });

  it('puts transparency on white in a jpeg, and takes the first frame of an animation', async () => {
    const transparent = await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const jpeg = await run('image-convert', { image_base64: b64(transparent), options: { format: 'jpeg' } });
    expectColour(await pixel(jpeg.output, 10, 10), '#ffffff', 2);
    const frames = await Promise.all([RED, BLUE].map((colour) => solid(20, 10, colour).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    const first = await run('image-convert', { image_base64: b64(gif), options: { format: 'png' } });
    expect(first.metadata).toMatchObject({ width: 20, height: 10, original_format: 'gif' });
    expectColour(await pixel(first.output, 10, 5), RED, 40);
  });

  it('requires a format and refuses contradictions', async () => {
    const image = b64(await solid(8, 8, RED).png().toBuffer());
    await expectRefused('image-convert', { image_base64: image, options: {} }, { status: 400, code: 'validation_failed' });
    await expectRefused('image-convert', { image_base64: image, options: { format: 'gif' } }, { status: 400, code: 'validation_failed' });
    await expectRefused('image-convert', { image_base64: image, options: { format: 'jpeg', lossless: true } }, { status: 400, code: 'invalid_input' });
  });
});

describe('image-metadata', () => {
  it('reads dimensions as stored and as shown, orientation, density and the metadata blocks; writes nothing', async () => {
    const photo = await sidewaysPhoto();
    const { metadata, written, result } = await run('image-metadata', { image_base64: b64(photo) });
    expect(result.output_url).toBeUndefined();
    expect(written).toEqual([]);
    expect(metadata).toMatchObject({
      format: 'jpeg', media_type: 'image/jpeg', size: photo.byteLength,
      width: 60, height: 30, display_width: 30, display_height: 60, orientation: 6,
      has_alpha: false, channels: 3, density: 144, has_exif: true, has_xmp: true, frames: 1, animated: false,
    });
    const plain = await run('image-metadata', { image_base64: b64(await sharp({ create: { width: 9, height: 7, channels: 4, background: '#ff000080' } }).png().toBuffer()) });
    expect(plain.metadata).toMatchObject({
      format: 'png', width: 9, height: 7, display_width: 9, display_height: 7, orientation: null,
      has_alpha: true, has_exif: false, has_icc: false, has_xmp: false, frames: 1,
    });
  });

  it('counts the frames of an animation', async () => {
    const frames = await Promise.all([RED, BLUE, RED].map((colour) => solid(20, 10, colour).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    const { metadata } = await run('image-metadata', { image_base64: b64(gif) });
    expect(metadata).toMatchObject({ format: 'gif', frames: 3, animated: true, width: 20 });
  });

  it('answers the dominant colours of a known two-colour image, with their shares', async () => {
    // Three quarters red, one quarter blue; the colours are palette entries, so their names are exact.
    const image = await twoColour(120, 40, 90);
    const { metadata } = await run('image-metadata', { image_base64: b64(image) });
    const colours = metadata.dominant_colors as { hex: string; name: string; share: number }[];
    expect(colours.map(({ hex, name }) => ({ hex, name }))).toEqual([{ hex: RED, name: 'red' }, { hex: BLUE, name: 'blue' }]);
    expect(colours[0]!.share).toBeCloseTo(0.75, 1);
    expect(colours[0]!.share + colours[1]!.share).toBeCloseTo(1, 4);
    const one = await run('image-metadata', { image_base64: b64(image), options: { max_colors: 1 } });
    expect(one.metadata.dominant_colors).toEqual([{ hex: RED, name: 'red', share: 1 }]);
  });
});

describe('outputs carry no metadata', () => {
  it.each([
    ['image-convert', { format: 'jpeg' }],
    ['image-resize', { width: 30 }],
    ['image-compress', { format: 'jpeg' }],
  ])('%s applies the EXIF orientation and drops EXIF, XMP and ICC', async (name, options) => {
    const { output } = await run(name, { image_base64: b64(await sidewaysPhoto()), options });
    const metadata = await sharp(output).metadata();
    expect(metadata).toMatchObject({ width: 30, height: 60, hasProfile: false });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    // Stored sideways with red on the left: shown turned clockwise, red is on top.
    expectColour(await pixel(output, 15, 5), RED, 30);
    expectColour(await pixel(output, 15, 55), BLUE, 30);
  });

  it('image-thumbnail too', async () => {
    const { output } = await run('image-thumbnail', { image_base64: b64(await sidewaysPhoto()), options: { width: 30, height: 60 } });
    const metadata = await sharp(output).metadata();
    expect(metadata).toMatchObject({ width: 30, height: 60, hasProfile: false });
    expect(metadata.exif).toBeUndefined();
    expectColour(await pixel(output, 15, 5), RED, 30);
  });
});

describe('refusals shared by the image plugins', () => {
  // A valid PNG header declaring 60,000 × 60,000 pixels, and nothing else: refused from the header.
  const bomb = async () => {
    const png = await solid(1, 1, '#000').png().toBuffer();
    png.writeUInt32BE(60_000, 16);
    png.writeUInt32BE(60_000, 20);
    return b64(png);
  };
  const plugins: [string, Record<string, unknown>][] = [
    ['image-resize', { width: 10 }],
    ['image-thumbnail', {}],
    ['image-convert', { format: 'png' }],
    ['image-metadata', {}],
  ];

  it.each(plugins)('%s refuses what is not an image (415), a corrupt image (400) and a bomb (413), writing nothing', async (name, options) => {
    await expectRefused(name, { image_base64: b64(Buffer.from('plain text, not an image')), options }, { status: 415, code: 'unsupported_format' });
    const truncated = (await solid(64, 64, RED).png().toBuffer()).subarray(0, 60);
    await expectRefused(name, { image_base64: b64(truncated), options }, { status: 400, code: 'invalid_input' });
    await expectRefused(name, { image_base64: await bomb(), options }, { status: 413, code: 'input_too_large' });
    await expectRefused(name, { options }, { status: 400, code: 'missing_input' });
  });
});

describe('image-remove-background', () => {
  type Behaviour = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
  let server: Server;
  let endpoint: URL;
  let behaviour: Behaviour;
  const seen: { authorization?: string; body: Buffer }[] = [];

  /** What a segmentation service does, roughly: the left half of the image becomes transparent. */
  const cutLeftHalf: Behaviour = (_req, res, body) => {
    void (async () => {
      const { data, info } = await sharp(body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const { width, height } = info;
      for (let y = 0; y < height; y += 1) for (let x = 0; x < width / 2; x += 1) data[(y * width + x) * 4 + 3] = 0;
      const cut = await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
      res.writeHead(200, { 'content-type': 'image/png' }).end(cut);
    })().catch(() => res.writeHead(500).end());
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ authorization: req.headers.authorization, body });
        behaviour(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/segment`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const segmentation = (at = endpoint) => new HttpSegmentation({ endpoint: at, token: 'segmentation-token', timeoutMs: 30_000 });

  it('is unhealthy, and refuses with 503, when no segmentation service is configured', async () => {
    const plugin = await loadPlugin('image-remove-background');
    const config = readPluginsFile().plugins['image-remove-background']!;
    expect(await plugin.health!(config, {})).toEqual({ healthy: false, reason: expect.stringContaining('no segmentation service configured'), configured: false });
    expect(await plugin.health!(config, { segmentation: segmentation() })).toEqual({ healthy: true });
    const image = b64(await solid(10, 10, RED).png().toBuffer());
    await expectRefused('image-remove-background', { image_base64: image }, { status: 503, code: 'plugin_unavailable' });
  });

  it('sends the oriented image as PNG with the token, and answers a PNG with the background transparent', async () => {
    behaviour = cutLeftHalf;
    seen.length = 0;
    const photo = await sidewaysPhoto();
    const { output, contentType, metadata, result } = await run('image-remove-background', { image_base64: b64(photo) }, { segmentation: segmentation() });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe('Bearer segmentation-token');
    expect(await sharp(seen[0]!.body).metadata()).toMatchObject({ format: 'png', width: 30, height: 60 });
    expect(contentType).toBe('image/png');
    expect(result.output_url).toMatch(/_nobg\.png$/);
    expect(metadata).toMatchObject({ width: 30, height: 60, format: 'png', size: output.byteLength });
    const decoded = await sharp(output).metadata();
    expect(decoded).toMatchObject({ format: 'png', width: 30, height: 60, hasAlpha: true });
    expect(decoded.exif).toBeUndefined();
    expect((await pixel(output, 5, 5))[3]).toBe(0);
    expectColour(await pixel(output, 25, 55), BLUE, 30);
  });

  it('answers webp with alpha, and sends at most max_edge px', async () => {
    behaviour = cutLeftHalf;
    seen.length = 0;
    const image = b64(await solid(200, 100, RED).png().toBuffer());
    const { output, contentType } = await run('image-remove-background', { image_base64: image, options: { format: 'webp' } }, { segmentation: segmentation(), config: { options: { max_edge: 50 } } });
    expect(await sharp(seen[0]!.body).metadata()).toMatchObject({ width: 50, height: 25 });
    expect(contentType).toBe('image/webp');
    expect(await sharp(output).metadata()).toMatchObject({ format: 'webp', width: 50, height: 25, hasAlpha: true });
    expect((await pixel(output, 2, 12))[3]).toBe(0);
    expectColour(await pixel(output, 48, 12), RED, 2);
  });

  it('turns the service\'s failures into 503, and a stall past the deadline into 422, writing nothing', async () => {
    const image = b64(await solid(20, 20, RED).png().toBuffer());
    behaviour = (_req, res) => res.writeHead(500).end();
    await expectRefused('image-remove-background', { image_base64: image }, { status: 503, code: 'plugin_unavailable' }, { segmentation: segmentation() });
    behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('not a png at all');
    await expectRefused('image-remove-background', { image_base64: image }, { status: 503, code: 'plugin_unavailable' }, { segmentation: segmentation() });
    const closed = new URL(`http://127.0.0.1:${await freePort()}/segment`);
    await expectRefused('image-remove-background', { image_base64: image }, { status: 503, code: 'plugin_unavailable' }, { segmentation: segmentation(closed) });
    behaviour = () => undefined; // never answers
    await expectRefused('image-remove-background', { image_base64: image }, { status: 422, code: 'processing_timeout' }, { segmentation: segmentation(), deadlineMs: 1500 });
  });
});
