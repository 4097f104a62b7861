/**
 * image-metadata: what an image is, without writing anything: its format, its size as stored and
 * as shown (after EXIF orientation), transparency, density, which metadata blocks it carries
 * (EXIF, ICC, XMP: worth knowing before publishing a photo), its frame count, and its dominant
 * colours, computed by the wardrobe's colour statistics on a 64 px sample.
 */
import { FORMAT_TYPES, sniffFormat } from '../../../domain/capabilities/formats.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { DEFAULT_MAX_COLOURS, dominantColours } from '../../../domain/wardrobe/colours.ts';
import { DEFAULT_MAX_INPUT_PIXELS, imageInputSchema, type ImageSourceInput } from '../image-options.ts';

/** The colour statistics look at a small sample: plenty for a few dominant colours, and fast. */
const SAMPLE_EDGE = 64;

export interface MetadataInput extends ImageSourceInput {
  options?: { max_colors?: number };
}

export default definePlugin<MetadataInput>({
  name: 'image-metadata',
  display_name: 'Image metadata',
  category: 'image',
  mode: 'both',
  packages: ['sharp'],
  limits: { max_input_pixels: DEFAULT_MAX_INPUT_PIXELS },
  inputSchema: imageInputSchema({
    properties: {
      max_colors: { type: 'integer', minimum: 1, maximum: 10, description: `How many dominant colours to answer (default ${DEFAULT_MAX_COLOURS}).` },
    },
  }),
  async process(input, ctx) {
    const { openSource, rawPixels } = await import('../sharp-input.ts');
    const { file, image, maxPixels } = await openSource(input, ctx);
    const { metadata } = image;
    const sniffed = sniffFormat(file.bytes);
    const pixels = await rawPixels(image, { maxEdge: SAMPLE_EDGE, maxPixels, deadline: ctx.deadline });
    const frames = metadata.pages ?? 1;
    return {
      metadata: {
        format: sniffed === 'jpg' ? 'jpeg' : (sniffed ?? metadata.format),
        media_type: (sniffed && FORMAT_TYPES[sniffed]) ?? null,
        size: file.bytes.byteLength,
        width: metadata.width,
        height: metadata.height,
        // As a viewer shows it: EXIF orientations 5-8 swap the sides.
        display_width: image.width,
        display_height: image.height,
        orientation: metadata.orientation ?? null,
        has_alpha: metadata.hasAlpha,
        channels: metadata.channels,
        color_space: metadata.space,
        density: metadata.density ?? null,
        has_exif: Boolean(metadata.exif),
        has_icc: Boolean(metadata.icc) || metadata.hasProfile,
        has_xmp: Boolean(metadata.xmp),
        frames,
        animated: frames > 1,
        dominant_colors: dominantColours(pixels, { max: input.options?.max_colors ?? DEFAULT_MAX_COLOURS }),
      },
    };
  },
});
