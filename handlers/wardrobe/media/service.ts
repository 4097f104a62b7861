/**
 * The media service: admits an image (sniffed type, decodable, within the pixel limit, not
 * animated), processes and stores an upload, and finds a user's own image. Nothing is stored
 * until the image has been fully admitted and processed, so a refused upload leaves no trace.
 */
import { notFound } from '../../../domain/errors.ts';
import { admitImage } from '../../../domain/image-admission.ts';
import type { BlobStore, Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { dominantColours as measureColours } from '../../../domain/wardrobe/colours.ts';
import { EXTENSIONS, type ImageType } from '../../../domain/wardrobe/image-formats.ts';
import {
  imageBlobName,
  SegmentationError,
  type BackgroundRemoval,
  type BackgroundRemover,
  type EncodedImage,
  type ImageInfo,
  type ImageProcessor,
  type WardrobeImage,
} from '../../../domain/wardrobe/media.ts';
import type { Logger } from '../../../middleware/logger.ts';
import { imagesContainer, type WardrobeImageDoc } from './store.ts';
import { MAX_EDGE, type MediaSettings } from './settings.ts';

/** The ports the media pipeline is built from (app/app.ts `Deps` has all of it). */
export interface MediaDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  images(options: { maxInputPixels: number }): ImageProcessor;
  segmentation(options: NonNullable<MediaSettings['segmentation']>): BackgroundRemover;
  settings: { media: MediaSettings };
}

/** The image processor and the media service, from the ports and the media settings. */
export function mediaOf(deps: MediaDeps) {
  const settings = deps.settings.media;
  const images = deps.images({ maxInputPixels: settings.maxInputPixels });
  const segmentation = settings.segmentation ? deps.segmentation(settings.segmentation) : undefined;
  const service = createMediaService({ documents: deps.documents, blobs: deps.blobs, images, segmentation, settings, ids: deps.ids, clock: deps.clock });
  return { images, service };
}

export interface MediaServiceDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  images: ImageProcessor;
  /** Absent when SEGMENTATION_* is not configured: background removal is skipped. */
  segmentation: BackgroundRemover | undefined;
  settings: MediaSettings;
  ids: IdSource;
  clock: Clock;
}

/** The colour statistics look at a small sample: plenty for a few dominant colours, and fast. */
export const SAMPLE_EDGE = 64;

export interface ProcessedUpload {
  imageId: string;
  url: string;
  width: number;
  height: number;
  format: 'webp';
  bytes: number;
  dominantColours: WardrobeImage['dominantColours'];
  backgroundRemoval: BackgroundRemoval;
}

export type MediaService = ReturnType<typeof createMediaService>;

export function createMediaService(deps: MediaServiceDeps) {
  const { documents, blobs, images, segmentation, settings, ids, clock } = deps;
  const repository = documents.repository<WardrobeImageDoc>(imagesContainer);

  /** The image's real type and size, or a 4xx saying why it is refused. */
  const admit = (bytes: Uint8Array, declared: ImageType | undefined): Promise<ImageInfo> => admitImage(images, bytes, declared);

  /** The cut-out (background removed) when the segmentation service gives a usable one; otherwise why not. */
  async function removeBackground(bytes: Uint8Array, log: Logger): Promise<{ source: Uint8Array; removal: BackgroundRemoval }> {
    if (!segmentation) return { source: bytes, removal: { status: 'skipped', reason: 'not_configured' } };
    const png = await images.toPng(bytes, { maxEdge: MAX_EDGE });
    try {
      const cutout = await segmentation.removeBackground({ bytes: png.bytes, contentType: 'image/png' });
      await admit(cutout, 'image/png').catch(() => {
        throw new SegmentationError('invalid_response', 'The segmentation service answered with an image that cannot be used.');
      });
      return { source: cutout, removal: { status: 'applied' } };
    } catch (error) {
      if (!(error instanceof SegmentationError)) throw error;
      // The upload goes on without it; the reason is in the answer and here, never the token.
      log.warn({ reason: error.reason, detail: error.message }, 'background removal skipped');
      return { source: bytes, removal: { status: 'skipped', reason: error.reason } };
    }
  }

  /**
   * The pipeline every upload goes through: admitted, background removed (when configured and
   * not skipped), an auto-oriented WebP of at most MAX_EDGE px. `source` is what the WebP was
   * made from (the cut-out when there is one): describe that, not the background.
   */
  async function prepare(bytes: Uint8Array, declared: ImageType | undefined, options: { log: Logger; skipSegmentation?: boolean }) {
    const info = await admit(bytes, declared);
    const { source, removal } = options.skipSegmentation
      ? { source: bytes, removal: { status: 'skipped', reason: 'not_requested' } as const }
      : await removeBackground(bytes, options.log);
    const webp: EncodedImage = await images.toWebp(source, { maxEdge: MAX_EDGE });
    return { info, source, removal, webp };
  }

  async function processUpload(userId: string, bytes: Uint8Array, declared: ImageType, log: Logger): Promise<ProcessedUpload> {
    const { info, source, removal, webp } = await prepare(bytes, declared, { log });
    const dominantColours = measureColours(await images.pixels(source, { maxEdge: SAMPLE_EDGE }));

    const imageId = ids.next();
    const original = { container: settings.archiveContainer, blob: imageBlobName(userId, imageId, EXTENSIONS[info.format]), contentType: info.format, bytes: bytes.byteLength, width: info.width, height: info.height };
    const processed = { container: settings.imagesContainer, blob: imageBlobName(userId, imageId, 'webp'), contentType: 'image/webp' as const, bytes: webp.bytes.byteLength, width: webp.width, height: webp.height };
    await blobs.put(original.container, original.blob, bytes, original.contentType);
    await blobs.put(processed.container, processed.blob, webp.bytes, processed.contentType);
    try {
      await repository.create({ id: imageId, userId, original, processed, dominantColours, backgroundRemoval: removal, createdAt: clock.now().toISOString() });
    } catch (error) {
      // Without its document nobody can find the blobs again: take them back (best effort).
      await Promise.allSettled([blobs.delete(original.container, original.blob), blobs.delete(processed.container, processed.blob)]);
      throw error;
    }
    log.info({ imageId, bytes: bytes.byteLength, width: webp.width, height: webp.height, backgroundRemoval: removal.status }, 'image processed');
    return {
      imageId,
      url: await blobs.readUrl(processed.container, processed.blob, settings.urlTtlSeconds),
      width: webp.width,
      height: webp.height,
      format: 'webp',
      bytes: webp.bytes.byteLength,
      dominantColours,
      backgroundRemoval: removal,
    };
  }

  /** The processed WebP of one of the user's images; 404 for anyone else's id, or none. */
  async function ownImage(userId: string, imageId: string): Promise<Uint8Array> {
    const image = await repository.get(imageId, userId);
    if (!image) throw notFound('No such image.');
    const blob = await blobs.get(image.processed.container, image.processed.blob);
    if (!blob) throw notFound('No such image.');
    return blob.bytes;
  }

  return { admit, prepare, processUpload, ownImage };
}
