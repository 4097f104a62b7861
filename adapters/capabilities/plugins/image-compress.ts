/**
 * image-compress (the seed's Phase 1): re-encode an image smaller, in webp, jpeg, png or avif at
 * a quality, fitted inside max_width × max_height (never enlarged), EXIF-oriented and stripped.
 */
import { numberOption, stringOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { compressInput } from '../../../domain/capabilities/schemas.ts';
import type { OutputFormat } from '../sharp-input.ts';

export interface CompressInput {
  image_url?: string;
  image_base64?: string;
  options?: { quality?: number; format?: OutputFormat; max_width?: number; max_height?: number };
}

export default definePlugin<CompressInput>({
  name: 'image-compress',
  display_name: 'Image compression',
  category: 'image',
  mode: 'both',
  limits: { max_dimension: 16384 },
  inputSchema: compressInput,
  async process(input, ctx) {
    const file = await ctx.source(input, 'image');
    const { openImage, encode, MEDIA_TYPES, EXTENSIONS } = await import('../sharp-input.ts');
    const maxPixels = numberOption(ctx.config, 'max_input_pixels', 100_000_000);
    const format = input.options?.format ?? (stringOption(ctx.config, 'default_format', 'webp') as OutputFormat);
    const quality = input.options?.quality ?? numberOption(ctx.config, 'default_quality', 80);
    const image = await openImage(file.bytes, maxPixels);
    let pipeline = image.pipeline();
    const { max_width: width, max_height: height } = input.options ?? {};
    if (width || height) pipeline = pipeline.resize({ width, height, fit: 'inside', withoutEnlargement: true });
    const { data, info } = await encode(pipeline, format, { quality, maxPixels, deadline: ctx.deadline });
    const stored = await ctx.output(data, { contentType: MEDIA_TYPES[format], extension: EXTENSIONS[format], suffix: 'compressed' });
    const original = file.bytes.byteLength;
    return {
      output_url: stored.url,
      metadata: {
        original_size: original,
        compressed_size: data.byteLength,
        // The share saved: 0.8 means the output is a fifth of the input (negative when it grew).
        compression_ratio: Math.round((1 - data.byteLength / original) * 10_000) / 10_000,
        width: info.width,
        height: info.height,
        format,
      },
    };
  },
});
