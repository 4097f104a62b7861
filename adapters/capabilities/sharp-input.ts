/**
 * What every image plugin does with its input and output on sharp (libvips), written once:
 * open the image with the pixel limit checked from its header first (a 1 KB file claiming
 * 100,000 × 100,000 pixels is refused before any decoding), auto-orient it by EXIF, encode it
 * without metadata (sharp drops EXIF, GPS and ICC unless asked), and race libvips against the
 * call's deadline. Plugin modules import this lazily, so listing them does not load sharp.
 */
import sharp from 'sharp';
import { withDeadline } from '../../domain/capabilities/deadline.ts';
import type { Metadata, Sharp } from 'sharp';
import { numberOption } from '../../domain/capabilities/config.ts';
import { inputTooLarge, invalidInput, processingTimeout } from '../../domain/capabilities/errors.ts';
import type { Deadline, PluginContext, SourceFile, StoredOutput } from '../../domain/capabilities/plugin.ts';
import type { RawPixels } from '../../domain/wardrobe/colours.ts';
import { DEFAULT_MAX_INPUT_PIXELS, EXTENSIONS, MEDIA_TYPES, type Encoding, type OutputFormat } from './image-options.ts';

// No cache: serverless instances are small, and libvips' cache would hold on to strangers' images.
sharp.cache(false);

export { EXTENSIONS, MEDIA_TYPES, OUTPUT_FORMATS, type OutputFormat } from './image-options.ts';

export interface OpenedImage {
  metadata: Metadata;
  /** A fresh pipeline on the input, auto-oriented: call once per output. */
  pipeline(): Sharp;
  /** Width and height after EXIF orientation. */
  width: number;
  height: number;
}

const notAnImage = () => invalidInput('The input is not an image we can decode; it may be corrupt, truncated or of another type.');
const tooManyPixels = (maxPixels: number) =>
  inputTooLarge(`The image has more than ${maxPixels} pixels (about ${Math.floor(Math.sqrt(maxPixels))} × ${Math.floor(Math.sqrt(maxPixels))}).`);

/** sharp reports every refusal as a plain Error; the ones caused by the input become 4xx. */
export function imageRefusal(error: unknown, maxPixels: number): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return tooManyPixels(maxPixels);
  if (/timeout/i.test(message)) return processingTimeout(0);
  return notAnImage();
}

/** Opens an image: header read and checked (decodable, within `maxPixels`) before any pixel is decoded. */
export async function openImage(bytes: Uint8Array, maxPixels: number): Promise<OpenedImage> {
  const open = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', animated: false });
  let metadata: Metadata;
  try {
    metadata = await open().metadata();
  } catch (error) {
    throw imageRefusal(error, maxPixels);
  }
  const { width, height } = metadata;
  if (!width || !height) throw notAnImage();
  if (width * height > maxPixels) throw tooManyPixels(maxPixels);
  // EXIF orientations 5-8 swap the axes.
  const swapped = (metadata.orientation ?? 1) >= 5;
  return { metadata, pipeline: () => open().autoOrient(), width: swapped ? height : width, height: swapped ? width : height };
}

/** The input image of a plugin call: read through the context, then opened within the plugin's `max_input_pixels`. */
export async function openSource(input: object, ctx: PluginContext): Promise<{ file: SourceFile; image: OpenedImage; maxPixels: number }> {
  const file = await ctx.source(input, 'image');
  const maxPixels = numberOption(ctx.config, 'max_input_pixels', DEFAULT_MAX_INPUT_PIXELS);
  return { file, image: await openImage(file.bytes, maxPixels), maxPixels };
}

/** Runs a pipeline to a buffer within the deadline (libvips stops itself too, where it checks: not inside avif); its errors become 4xx. */
function render(pipeline: Sharp, options: { maxPixels: number; deadline: Deadline }) {
  const seconds = Math.max(1, Math.ceil(options.deadline.remainingMs() / 1000));
  return withDeadline(
    pipeline
      .timeout({ seconds })
      .toBuffer({ resolveWithObject: true })
      .catch((error: unknown) => {
        throw imageRefusal(error, options.maxPixels);
      }),
    options.deadline,
  );
}

/**
 * The avif encoder's effort (0-9) unless plugins.yaml's `avif_effort` says otherwise. libvips
 * cannot stop an avif encode once begun (its timeout is not checked inside libheif), so a call
 * refused at its deadline still burns the CPU to the end: at sharp's default of 4, 3 megapixels
 * took 6 s of one core for a smooth picture and 54 s for a noisy one on a 2-core test machine; 2 took 1.4 s.
 */
const DEFAULT_AVIF_EFFORT = 2;

/** Encodes in `format` (metadata dropped), within the deadline; the encoder's own errors become 4xx. */
export async function encode(
  pipeline: Sharp,
  format: OutputFormat,
  options: { quality?: number; lossless?: boolean; effort?: number; maxPixels: number; deadline: Deadline },
) {
  const { quality, lossless, effort } = options;
  const settings = { ...(quality === undefined ? {} : { quality }), ...(lossless ? { lossless } : {}), ...(effort === undefined ? {} : { effort }) };
  return render(pipeline.toFormat(format, settings), options);
}

/** Encodes one output and writes it through the context: what compress, resize, convert and thumbnail share. */
export async function encodeAndStore(
  ctx: PluginContext,
  pipeline: Sharp,
  encoding: Encoding,
  options: { maxPixels: number; suffix: string },
): Promise<{ stored: StoredOutput; width: number; height: number }> {
  const { format } = encoding;
  // jpeg has no alpha: transparent areas become white, not libvips' black.
  const opaque = format === 'jpeg' ? pipeline.flatten({ background: '#ffffff' }) : pipeline;
  const effort = format === 'avif' ? numberOption(ctx.config, 'avif_effort', DEFAULT_AVIF_EFFORT) : undefined;
  const { data, info } = await encode(opaque, format, { ...encoding, effort, maxPixels: options.maxPixels, deadline: ctx.deadline });
  const stored = await ctx.output(data, { contentType: MEDIA_TYPES[format], extension: EXTENSIONS[format], suffix: options.suffix });
  return { stored, width: info.width, height: info.height };
}

/**
 * The oriented image at most `maxEdge` px on its long side, as raw RGBA: the input of the colour
 * statistics. Nearest-neighbour sampling keeps real pixel colours; smoothing would invent others.
 */
export async function rawPixels(image: OpenedImage, options: { maxEdge: number; maxPixels: number; deadline: Deadline }): Promise<RawPixels> {
  const pipeline = image.pipeline().resize({ width: options.maxEdge, height: options.maxEdge, fit: 'inside', withoutEnlargement: true, kernel: 'nearest' });
  const { data, info } = await render(pipeline.ensureAlpha().raw(), options);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 4 };
}

export { withDeadline };
