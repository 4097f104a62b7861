/**
 * image-thumbnail: a small fixed-size picture of an image, cropped to cover it where sharp's
 * attention strategy finds the subject (saturated colour, skin tones, luminance detail), so a
 * portrait's face survives a square crop. Enlarged when the image is smaller: a thumbnail's size
 * is a promise the page's layout relies on.
 */
import { numberOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { DEFAULT_MAX_INPUT_PIXELS, dimension, encodingOf, encodingProperties, imageInputSchema, type EncodingInput, type ImageSourceInput } from '../image-options.ts';

const MAX_THUMBNAIL = 1024;

export interface ThumbnailInput extends ImageSourceInput {
  options?: EncodingInput & { size?: number; width?: number; height?: number };
}

export default definePlugin<ThumbnailInput>({
  name: 'image-thumbnail',
  display_name: 'Image thumbnail',
  category: 'image',
  mode: 'both',
  packages: ['sharp'],
  limits: { max_dimension: MAX_THUMBNAIL, max_input_pixels: DEFAULT_MAX_INPUT_PIXELS },
  inputSchema: imageInputSchema({
    properties: {
      size: dimension('The side of a square thumbnail (default 256).', MAX_THUMBNAIL),
      width: dimension('The width, when not square (default size).', MAX_THUMBNAIL),
      height: dimension('The height, when not square (default size).', MAX_THUMBNAIL),
      ...encodingProperties('webp'),
    },
  }),
  async process(input, ctx) {
    const options = input.options ?? {};
    const encoding = encodingOf(options, 'webp', numberOption(ctx.config, 'default_quality', 80));
    const size = options.size ?? numberOption(ctx.config, 'default_size', 256);
    const { openSource, encodeAndStore } = await import('../sharp-input.ts');
    const { image, maxPixels } = await openSource(input, ctx);
    const pipeline = image.pipeline().resize({ width: options.width ?? size, height: options.height ?? size, fit: 'cover', position: 'attention' });
    const { stored, width, height } = await encodeAndStore(ctx, pipeline, encoding, { maxPixels, suffix: 'thumbnail' });
    return { output_url: stored.url, metadata: { width, height, format: encoding.format, size: stored.size, original_width: image.width, original_height: image.height } };
  },
});
