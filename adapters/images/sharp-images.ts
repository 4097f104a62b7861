/**
 * The ImageProcessor port on sharp (libvips). Every decode is bounded: a pixel limit (the
 * decompression-bomb guard: a small file claiming huge dimensions is refused from its header),
 * a processing timeout, and `failOn: 'warning'` so a truncated or corrupt file is refused rather
 * than half-decoded. Output never carries the input's metadata (EXIF, GPS, ICC), because sharp
 * drops it unless asked to keep it.
 */
import sharp from 'sharp';
import type { KernelEnum, Metadata, Sharp } from 'sharp';
import { AppError } from '../../domain/errors.ts';
import type { RawPixels } from '../../domain/wardrobe/colours.ts';
import type { ImageType } from '../../domain/wardrobe/image-formats.ts';
import type { EncodedImage, ImageInfo, ImageProcessor } from '../../domain/wardrobe/media.ts';

export interface SharpImagesOptions {
  /** Largest width × height accepted for decoding. */
  maxInputPixels: number;
  /** libvips gives up on one operation after this long. */
  timeoutSeconds?: number;
}

// The processed image comes from this decode, not from a cache of earlier ones; serverless
// instances are small, and libvips' cache would hold on to strangers' images.
sharp.cache(false);

const FORMATS: Readonly<Record<string, ImageType>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heif: 'image/avif' };

export const invalidImage = () => new AppError(400, 'invalid_image', 'The image could not be decoded; it may be corrupt or truncated.');
export const imageTooLarge = (maxPixels: number) =>
  new AppError(422, 'image_too_large', `The image has more than ${maxPixels} pixels; upload one of at most about ${Math.floor(Math.sqrt(maxPixels))} × ${Math.floor(Math.sqrt(maxPixels))}.`);

export class SharpImages implements ImageProcessor {
  readonly #maxPixels: number;
  readonly #timeoutSeconds: number;

  constructor(options: SharpImagesOptions) {
    this.#maxPixels = options.maxInputPixels;
    this.#timeoutSeconds = options.timeoutSeconds ?? 20;
  }

  #open(bytes: Uint8Array): Sharp {
    return sharp(bytes, { limitInputPixels: this.#maxPixels, failOn: 'warning', sequentialRead: true }).timeout({ seconds: this.#timeoutSeconds });
  }

  /** sharp reports every refusal as a plain Error; turn the ones caused by the input into 4xx. */
  #refusal(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) return imageTooLarge(this.#maxPixels);
    if (/timeout/i.test(message)) return new AppError(422, 'image_too_complex', 'The image took too long to process.');
    return invalidImage();
  }

  async inspect(bytes: Uint8Array): Promise<ImageInfo> {
    let meta: Metadata;
    try {
      meta = await this.#open(bytes).metadata();
    } catch (error) {
      throw this.#refusal(error);
    }
    const format = FORMATS[meta.format ?? ''];
    // HEIF holds HEIC too; only its AV1 flavour is AVIF.
    if (!format || (meta.format === 'heif' && meta.compression !== 'av1')) throw invalidImage();
    const { width, height } = meta;
    if (!width || !height) throw invalidImage();
    if (width * height > this.#maxPixels) throw imageTooLarge(this.#maxPixels);
    return { format, width, height, pages: meta.pages ?? 1, hasAlpha: Boolean(meta.hasAlpha) };
  }

  async #render(pipeline: Sharp): Promise<EncodedImage> {
    try {
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    } catch (error) {
      throw this.#refusal(error);
    }
  }

  #oriented(bytes: Uint8Array, maxEdge: number, kernel?: keyof KernelEnum): Sharp {
    return this.#open(bytes)
      .autoOrient()
      .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true, ...(kernel ? { kernel } : {}) });
  }

  toWebp(bytes: Uint8Array, options: { maxEdge: number; quality?: number }): Promise<EncodedImage> {
    return this.#render(this.#oriented(bytes, options.maxEdge).webp({ quality: options.quality ?? 82, alphaQuality: 90, effort: 4 }));
  }

  toPng(bytes: Uint8Array, options: { maxEdge: number }): Promise<EncodedImage> {
    return this.#render(this.#oriented(bytes, options.maxEdge).png({ compressionLevel: 6 }));
  }

  async pixels(bytes: Uint8Array, options: { maxEdge: number }): Promise<RawPixels> {
    // Nearest-neighbour sampling keeps real pixel colours; smoothing would invent in-between ones.
    const image = await this.#render(this.#oriented(bytes, options.maxEdge, 'nearest').ensureAlpha().raw());
    return { data: image.bytes, width: image.width, height: image.height, channels: 4 };
  }
}
