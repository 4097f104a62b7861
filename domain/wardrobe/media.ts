/**
 * Wardrobe media: the image document, and the two ports the media routes need beyond storage:
 * an image processor (sharp in production) and a background remover (the segmentation service).
 */
import type { DominantColour, RawPixels } from './colours.ts';
import type { ImageType } from './image-formats.ts';

/** What an image decodes to, before anything is done with it. */
export interface ImageInfo {
  format: ImageType;
  /** As stored, before EXIF orientation. */
  width: number;
  height: number;
  /** Frames; more than one means an animation. */
  pages: number;
  hasAlpha: boolean;
}

export interface EncodedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/**
 * Decoding and encoding. Every method refuses what it cannot or must not decode with a 4xx
 * AppError (`invalid_image`, `image_too_large`), never a crash: the input is a stranger's.
 */
export interface ImageProcessor {
  /** Reads the header and checks the pixel limit; declared type and animation are the caller's rules. */
  inspect(bytes: Uint8Array): Promise<ImageInfo>;
  /** EXIF auto-orientation, at most `maxEdge` px on the long side (never enlarged), WebP, no metadata. */
  toWebp(bytes: Uint8Array, options: { maxEdge: number; quality?: number }): Promise<EncodedImage>;
  /** Oriented and resized like toWebp, as lossless PNG (what the segmentation service is sent). */
  toPng(bytes: Uint8Array, options: { maxEdge: number }): Promise<EncodedImage>;
  /** Oriented, at most `maxEdge` px, as raw RGBA: the input of the colour statistics. */
  pixels(bytes: Uint8Array, options: { maxEdge: number }): Promise<RawPixels>;
}

/** Why background removal did not happen; the upload goes on without it. */
export class SegmentationError extends Error {
  readonly reason: 'timeout' | 'unreachable' | 'rejected' | 'invalid_response';
  constructor(reason: SegmentationError['reason'], message: string) {
    super(message);
    this.name = 'SegmentationError';
    this.reason = reason;
  }
}

export interface BackgroundRemover {
  /** The image with its background made transparent, as PNG; fails with SegmentationError. */
  removeBackground(image: { bytes: Uint8Array; contentType: string }, signal?: AbortSignal): Promise<Uint8Array>;
}

export type BackgroundRemoval =
  | { status: 'applied' }
  | { status: 'skipped'; reason: 'not_configured' | 'not_requested' | SegmentationError['reason'] };

/** One processed upload; stored in `wardrobe-images`, partitioned by the owner. */
export interface WardrobeImage {
  id: string;
  userId: string;
  /** The original bytes, exactly as uploaded. */
  original: { container: string; blob: string; contentType: ImageType; bytes: number; width: number; height: number };
  /** The processed WebP the app shows. */
  processed: { container: string; blob: string; contentType: 'image/webp'; bytes: number; width: number; height: number };
  dominantColours: DominantColour[];
  backgroundRemoval: BackgroundRemoval;
  createdAt: string;
}

/** Blob names live under the owner's id; the id is encoded so no id can reach another's folder. */
export function imageBlobName(userId: string, imageId: string, extension: string): string {
  return `${encodeURIComponent(userId)}/${imageId}.${extension}`;
}
