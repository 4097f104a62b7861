/**
 * What the image plugins say and check about their input before any image is decoded: the
 * source fields, the output encoding fragment of their input schema (format, quality, lossless),
 * the encoding resolved from it, and the resize arithmetic that refuses an output bomb (a 1 × 1
 * image asked to become 16384 × 16384) before libvips allocates it. Pure: no sharp here, so a
 * plugin module imports it at the top and stays cheap to list.
 */
import { fileInputSchema, imageSource } from '../../domain/capabilities/schemas.ts';
import { invalidInput } from '../../domain/capabilities/errors.ts';

export type OutputFormat = 'webp' | 'jpeg' | 'png' | 'avif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['webp', 'jpeg', 'png', 'avif'];
export const MEDIA_TYPES: Readonly<Record<OutputFormat, string>> = { webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png', avif: 'image/avif' };
export const EXTENSIONS: Readonly<Record<OutputFormat, string>> = { webp: 'webp', jpeg: 'jpg', png: 'png', avif: 'avif' };

/** The largest width or height any image plugin writes. */
export const MAX_DIMENSION = 16384;
/** plugins.yaml's `max_input_pixels` when absent: the decompression-bomb guard of every image plugin. */
export const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;

// One definition of the source fields, shared with the compress route's API reference.
export { imageSource };

/** The source fields of an image plugin's input, as its TypeScript type. */
export interface ImageSourceInput {
  image_url?: string;
  image_base64?: string;
}

/**
 * An image plugin's input schema: the source fields and its `options` object (`properties`,
 * and `required` or `anyOf` when it has them), itself required when `required` is true.
 */
export const imageInputSchema = (options: Parameters<typeof fileInputSchema>[1], required = false) => fileInputSchema(imageSource, options, required);

/** The `format` and `quality` properties of an output; `defaultFormat` says what an absent format means. */
export const encodingProperties = (defaultFormat: string) =>
  ({
    format: { enum: [...OUTPUT_FORMATS], description: `Output format (default ${defaultFormat}).` },
    quality: { type: 'integer', minimum: 1, maximum: 100, description: 'Encoder quality (default 80; for png, quantises to a palette).' },
  }) as const;

export const losslessProperty = {
  lossless: { type: 'boolean', description: 'Lossless webp or avif; for png, full colour (no palette). Not for jpeg, nor with quality.' },
} as const;

/** A pixel dimension of an output. */
export const dimension = (description: string, maximum = MAX_DIMENSION) => ({ type: 'integer', minimum: 1, maximum, description }) as const;

export interface EncodingInput {
  format?: OutputFormat;
  quality?: number;
  lossless?: boolean;
}

/** How one output is encoded; `quality` absent means the encoder's own default. */
export interface Encoding {
  format: OutputFormat;
  quality?: number;
  lossless?: boolean;
}

/**
 * The encoding asked for, with `fallback` as the format when none is given. A png is encoded
 * with a palette only when a quality is asked for; lossless jpeg, or lossless with a quality,
 * is a contradiction the caller is told about (400), not silently resolved.
 */
export function encodingOf(options: EncodingInput | undefined, fallback: OutputFormat, defaultQuality?: number): Encoding {
  const format = options?.format ?? fallback;
  const { quality, lossless } = options ?? {};
  if (lossless) {
    if (format === 'jpeg') throw invalidInput('jpeg has no lossless mode; choose webp, png or avif.', [{ pointer: '/body/options/lossless', detail: 'not with jpeg' }]);
    if (quality !== undefined) throw invalidInput('Give either quality or lossless, not both.', [{ pointer: '/body/options/quality', detail: 'not with lossless' }]);
    return format === 'png' ? { format } : { format, lossless: true };
  }
  if (quality !== undefined) return { format, quality };
  return format === 'png' || defaultQuality === undefined ? { format } : { format, quality: defaultQuality };
}

/** The output format that keeps the input's (as sniffed: `jpg`, `png`, ...), else webp. */
export function keptFormat(sniffed: string | undefined): OutputFormat {
  const format = sniffed === 'jpg' ? 'jpeg' : sniffed;
  return (OUTPUT_FORMATS as readonly (string | undefined)[]).includes(format) ? (format as OutputFormat) : 'webp';
}

export type Fit = 'cover' | 'contain' | 'fill' | 'inside' | 'outside';

export interface ResizeRequest {
  width?: number;
  height?: number;
  fit: Fit;
  withoutEnlargement: boolean;
}

/**
 * About the pixels sharp writes for `request` on an image of `source` size (after orientation),
 * as sharp resizes: with both sides given, contain pads to them, cover and fill crop or stretch
 * to them (within the source's sides without enlargement); inside, outside and a one-sided
 * request scale the whole image by one factor (the smaller or the larger of the two).
 */
export function resizedPixels(source: { width: number; height: number }, request: ResizeRequest): number {
  const { width, height, fit, withoutEnlargement } = request;
  if (width && height && fit === 'contain') return width * height;
  if (width && height && (fit === 'cover' || fit === 'fill')) {
    return withoutEnlargement ? Math.min(width, source.width) * Math.min(height, source.height) : width * height;
  }
  const scales = [width && width / source.width, height && height / source.height].filter((scale): scale is number => Boolean(scale));
  let scale = fit === 'inside' ? Math.min(...scales) : Math.max(...scales);
  if (withoutEnlargement) scale = Math.min(scale, 1);
  return Math.max(1, Math.round(source.width * scale)) * Math.max(1, Math.round(source.height * scale));
}
