/**
 * image-compress (the seed's Phase 1): re-encode an image smaller, in webp, jpeg, png or avif at
 * a quality, fitted inside max_width × max_height (never enlarged), EXIF-oriented and stripped.
 */
import { numberOption, stringOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { compressInput } from '../../../domain/capabilities/schemas.ts';
import type { ImageSourceInput, OutputFormat } from '../image-options.ts';

export interface CompressInput extends ImageSourceInput {
  options?: { quality?: number; format?: OutputFormat; max_width?: number; max_height?: number };
}

export default definePlugin<CompressInput>({
  name: 'image-compress',
  display_name: 'Image compression',
  category: 'image',
  mode: 'both',
  packages: ['sharp'],
  limits: { max_dimension: 16384 },
  // The seed's body, shared with the route's API reference.
  inputSchema: compressInput,
  async process(input, ctx) {
    const { openSource, encodeAndStore } = await import('../sharp-input.ts');
    const format = input.options?.format ?? (stringOption(ctx.config, 'default_format', 'webp') as OutputFormat);
    const quality = input.options?.quality ?? numberOption(ctx.config, 'default_quality', 80);
    const { file, image, maxPixels } = await openSource(input, ctx);
    let pipeline = image.pipeline();
    const { max_width: width, max_height: height } = input.options ?? {};
    if (width || height) pipeline = pipeline.resize({ width, height, fit: 'inside', withoutEnlargement: true });
    const { stored, ...size } = await encodeAndStore(ctx, pipeline, { format, quality }, { maxPixels, suffix: 'compressed' });
    const original = file.bytes.byteLength;
    return {
      output_url: stored.url,
      metadata: {
        original_size: original,
        compressed_size: stored.size,
        // The share saved: 0.8 means the output is a fifth of the input (negative when it grew).
        compression_ratio: Math.round((1 - stored.size / original) * 10_000) / 10_000,
        width: size.width,
        height: size.height,
        format,
      },
    };
  },
});
