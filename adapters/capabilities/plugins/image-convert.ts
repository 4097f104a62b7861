/**
 * image-convert: the same picture in another format (webp, jpeg, png or avif), at a quality or
 * lossless where the format has it; EXIF-oriented and stripped like every output. An animated
 * input gives its first frame.
 */
import { numberOption } from '../../../domain/capabilities/config.ts';
import { sniffFormat } from '../../../domain/capabilities/formats.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import {
  DEFAULT_MAX_INPUT_PIXELS, encodingOf, encodingProperties, imageInputSchema, losslessProperty, type EncodingInput, type ImageSourceInput, type OutputFormat,
} from '../image-options.ts';

export interface ConvertInput extends ImageSourceInput {
  options: EncodingInput & { format: OutputFormat };
}

export default definePlugin<ConvertInput>({
  name: 'image-convert',
  display_name: 'Image format conversion',
  category: 'image',
  mode: 'both',
  packages: ['sharp'],
  limits: { max_input_pixels: DEFAULT_MAX_INPUT_PIXELS },
  inputSchema: imageInputSchema({ required: ['format'], properties: { ...encodingProperties('none: it is required'), ...losslessProperty } }, true),
  async process(input, ctx) {
    const encoding = encodingOf(input.options, input.options.format, numberOption(ctx.config, 'default_quality', 80));
    const { openSource, encodeAndStore } = await import('../sharp-input.ts');
    const { file, image, maxPixels } = await openSource(input, ctx);
    const { stored, width, height } = await encodeAndStore(ctx, image.pipeline(), encoding, { maxPixels, suffix: 'converted' });
    return {
      output_url: stored.url,
      metadata: { width, height, format: encoding.format, size: stored.size, original_format: sniffFormat(file.bytes) ?? null, original_size: file.bytes.byteLength },
    };
  },
});
