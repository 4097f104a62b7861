/** image-compress through the registry: format, quality, fit, orientation, refusals. */
import sharp from 'sharp';
import { runPlugin } from './support/harness.ts';

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();

describe('image-compress', () => {
  it('re-encodes as webp fitted inside max_width × max_height, with the seed\'s metadata', async () => {
    const png = await photo(800, 400);
    const { result, read } = await runPlugin('image-compress', { image_base64: png.toString('base64'), options: { quality: 70, max_width: 200, max_height: 200 } });
    const metadata = result.metadata as Record<string, number | string>;
    expect(metadata).toMatchObject({ original_size: png.byteLength, width: 200, height: 100, format: 'webp' });
    const output = await read(result.output_url as string);
    expect(output.contentType).toBe('image/webp');
    expect(metadata.compressed_size).toBe(output.bytes.byteLength);
    expect(metadata.compression_ratio).toBeCloseTo(1 - output.bytes.byteLength / png.byteLength, 3);
    expect(await sharp(output.bytes).metadata()).toMatchObject({ format: 'webp', width: 200, height: 100 });
  });

  it('never enlarges, and writes the format asked for', async () => {
    const png = await photo(120, 90);
    const { result, read } = await runPlugin('image-compress', { image_base64: png.toString('base64'), options: { format: 'jpeg', max_width: 1000 } });
    const output = await read(result.output_url as string);
    expect(output.contentType).toBe('image/jpeg');
    expect(await sharp(output.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 120, height: 90 });
    expect(result.output_url).toMatch(/\/uploads\/[0-9a-f]{32}_compressed\.jpg$/);
  });

  it('refuses input that is not an image, a declared decompression bomb, and a bad quality', async () => {
    await expect(runPlugin('image-compress', { image_base64: Buffer.from('plain text, not an image').toString('base64') })).rejects.toMatchObject({ status: 415, code: 'unsupported_format' });
    // A valid PNG header declaring 60,000 × 60,000 pixels, and nothing else: refused from the header.
    const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    await expect(runPlugin('image-compress', { image_base64: bomb.toString('base64') })).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
    await expect(runPlugin('image-compress', { image_base64: 'aGk=', options: { quality: 0 } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    await expect(runPlugin('image-compress', {})).rejects.toMatchObject({ status: 400, code: 'missing_input' });
  });
});
