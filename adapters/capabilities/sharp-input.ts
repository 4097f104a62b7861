/**
 * What every image plugin does with its input and output on sharp (libvips), written once:
 * open the image with the pixel limit checked from its header first (a 1 KB file claiming
 * 100,000 × 100,000 pixels is refused before any decoding), auto-orient it by EXIF, encode it
 * without metadata (sharp drops EXIF, GPS and ICC unless asked), and race libvips against the
 * call's deadline. Plugin modules import this lazily, so listing them does not load sharp.
 */
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { inputTooLarge, invalidInput, processingTimeout } from '../../domain/capabilities/errors.ts';
import type { Deadline } from '../../domain/capabilities/plugin.ts';

// No cache: serverless instances are small, and libvips' cache would hold on to strangers' images.
sharp.cache(false);

export type OutputFormat = 'webp' | 'jpeg' | 'png' | 'avif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['webp', 'jpeg', 'png', 'avif'];
export const MEDIA_TYPES: Readonly<Record<OutputFormat, string>> = { webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png', avif: 'image/avif' };
export const EXTENSIONS: Readonly<Record<OutputFormat, string>> = { webp: 'webp', jpeg: 'jpg', png: 'png', avif: 'avif' };

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

/** Encodes in `format` (metadata dropped), within the deadline; the encoder's own errors become 4xx. */
export async function encode(pipeline: Sharp, format: OutputFormat, options: { quality?: number; maxPixels: number; deadline: Deadline }) {
  const encoded = pipeline.toFormat(format, options.quality === undefined ? {} : { quality: options.quality });
  return withDeadline(
    encoded.toBuffer({ resolveWithObject: true }).catch((error: unknown) => {
      throw imageRefusal(error, options.maxPixels);
    }),
    options.deadline,
  );
}

/** Settles with `work`, or rejects with 422 processing_timeout when the deadline passes first. */
export function withDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  const budget = deadline.remainingMs();
  if (deadline.signal.aborted) return Promise.reject(processingTimeout(budget));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(processingTimeout(budget));
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
  });
}
