/**
 * Whether uploaded bytes are an image Portico takes: a supported type by its signature (and the
 * declared one, when there is one), decodable within the processor's pixel limit, and a still
 * image. Shared by every route that accepts images (wardrobe uploads, garage diagnosis).
 */
import { AppError, badRequest } from './errors.ts';
import { IMAGE_TYPES, sniffImageType, type ImageType } from './wardrobe/image-formats.ts';
import type { ImageInfo, ImageProcessor } from './wardrobe/media.ts';

/** The image's real type and size, or a 4xx saying why it is refused. */
export async function admitImage(images: ImageProcessor, bytes: Uint8Array, declared: ImageType | undefined): Promise<ImageInfo> {
  if (bytes.byteLength === 0) throw badRequest('body_required', 'The request has no image.');
  const sniffed = sniffImageType(bytes);
  if (!sniffed) throw badRequest('invalid_image', `The bytes are not an image of a supported type (${IMAGE_TYPES.join(', ')}).`);
  if (declared && sniffed !== declared) throw badRequest('image_type_mismatch', `The body is declared as ${declared} but is ${sniffed}.`);
  const info = await images.inspect(bytes);
  if (info.format !== sniffed) throw badRequest('image_type_mismatch', `The body looks like ${sniffed} but decodes as ${info.format}.`);
  if (info.pages > 1) throw new AppError(422, 'animated_image', 'Animated images are not supported; upload a still image.');
  return info;
}
