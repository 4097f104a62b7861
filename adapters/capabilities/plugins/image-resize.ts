/**
 * image-resize: to a width and/or height, fitted as CSS object-fit does (cover crops at a
 * position or where sharp's attention/entropy strategy looks, contain pads with a background),
 * never enlarged unless asked; in the input's format when it is webp, jpeg, png or avif, else
 * webp. The output size is checked against max_output_pixels before anything is decoded.
 */
import { numberOption } from '../../../domain/capabilities/config.ts';
import { inputTooLarge, invalidInput } from '../../../domain/capabilities/errors.ts';
import { sniffFormat } from '../../../domain/capabilities/formats.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import {
  DEFAULT_MAX_INPUT_PIXELS, MAX_DIMENSION, dimension, encodingOf, encodingProperties, imageInputSchema, keptFormat, losslessProperty, resizedPixels,
  type EncodingInput, type Fit, type ImageSourceInput,
} from '../image-options.ts';

const POSITIONS = {
  centre: 'centre', top: 'top', right: 'right', bottom: 'bottom', left: 'left',
  'top-left': 'left top', 'top-right': 'right top', 'bottom-left': 'left bottom', 'bottom-right': 'right bottom',
  attention: 'attention', entropy: 'entropy',
} as const;
type Position = keyof typeof POSITIONS;
const STRATEGIES: readonly Position[] = ['attention', 'entropy'];

export interface ResizeInput extends ImageSourceInput {
  options: EncodingInput & { width?: number; height?: number; fit?: Fit; position?: Position; withoutEnlargement?: boolean; background?: string };
}

const DEFAULT_MAX_OUTPUT_PIXELS = 50_000_000;

/** `#rgb`, `#rrggbb` or `#rrggbbaa` to sharp's colour (alpha 0-1). */
function colour(hex: string): { r: number; g: number; b: number; alpha: number } {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit).join('') : hex.slice(1);
  const byte = (at: number) => parseInt(digits.slice(at, at + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), alpha: digits.length === 8 ? byte(6) / 255 : 1 };
}

/** Options that mean nothing for the fit asked for are a mistake worth telling, not ignoring. */
function checkFit(options: ResizeInput['options'], fit: Fit): void {
  const { position, background } = options;
  if (position && fit !== 'cover' && fit !== 'contain') {
    throw invalidInput(`position applies to fit cover or contain, not ${fit}.`, [{ pointer: '/body/options/position', detail: `not with fit ${fit}` }]);
  }
  if (position && STRATEGIES.includes(position) && fit !== 'cover') {
    throw invalidInput(`position ${position} is a crop strategy: it needs fit cover.`, [{ pointer: '/body/options/position', detail: 'needs fit cover' }]);
  }
  if (background && fit !== 'contain') {
    throw invalidInput(`background applies to fit contain, not ${fit}.`, [{ pointer: '/body/options/background', detail: `not with fit ${fit}` }]);
  }
}

export default definePlugin<ResizeInput>({
  name: 'image-resize',
  display_name: 'Image resize',
  category: 'image',
  mode: 'both',
  packages: ['sharp'],
  limits: { max_dimension: MAX_DIMENSION, max_input_pixels: DEFAULT_MAX_INPUT_PIXELS, max_output_pixels: DEFAULT_MAX_OUTPUT_PIXELS },
  inputSchema: imageInputSchema(
    {
      properties: {
        width: dimension('Target width in pixels.'),
        height: dimension('Target height in pixels.'),
        fit: {
          enum: ['cover', 'contain', 'fill', 'inside', 'outside'],
          description: 'With both sides: cover crops to them (default), contain pads, fill stretches, inside fits within, outside covers them uncropped.',
        },
        position: {
          enum: Object.keys(POSITIONS),
          description: 'What cover keeps (or where contain places the image): a side or corner, or attention / entropy, sharp\'s strategies for the most salient or detailed region (cover only). Default centre.',
        },
        withoutEnlargement: { type: 'boolean', description: 'Never make the image larger than it is (default true).' },
        background: {
          type: 'string',
          pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$',
          description: 'The padding of fit contain, #rgb, #rrggbb or #rrggbbaa (default transparent; white for jpeg).',
        },
        ...encodingProperties('the input\'s, when webp, jpeg, png or avif; else webp'),
        ...losslessProperty,
      },
      // One side at least (ajv's strict mode wants each required property declared beside it).
      anyOf: [{ properties: { width: true }, required: ['width'] }, { properties: { height: true }, required: ['height'] }],
    },
    true,
  ),
  async process(input, ctx) {
    const options = input.options;
    const fit = options.fit ?? 'cover';
    checkFit(options, fit);
    const maxOutput = numberOption(ctx.config, 'max_output_pixels', DEFAULT_MAX_OUTPUT_PIXELS);
    const { openSource, encodeAndStore } = await import('../sharp-input.ts');
    const { file, image, maxPixels } = await openSource(input, ctx);
    const encoding = encodingOf(options, keptFormat(sniffFormat(file.bytes)), numberOption(ctx.config, 'default_quality', 80));
    const request = { width: options.width, height: options.height, fit, withoutEnlargement: options.withoutEnlargement ?? true };
    if (resizedPixels(image, request) > maxOutput) throw inputTooLarge(`The resized image would have more than ${maxOutput} pixels.`);
    const background = options.background ?? (encoding.format === 'jpeg' ? '#ffffff' : '#00000000');
    const pipeline = image.pipeline().resize({
      ...request,
      position: POSITIONS[options.position ?? 'centre'],
      ...(fit === 'contain' ? { background: colour(background) } : {}),
    });
    const { stored, width, height } = await encodeAndStore(ctx, pipeline, encoding, { maxPixels, suffix: 'resized' });
    return {
      output_url: stored.url,
      metadata: { width, height, format: encoding.format, size: stored.size, original_width: image.width, original_height: image.height, original_size: file.bytes.byteLength },
    };
  },
});
