/**
 * A vehicle's one image: admitted (a real still image within the limits), normalised to an
 * auto-oriented WebP of at most 2048 px without metadata, stored as blob
 * `<userId>/<vehicleId>/<uuid>.webp` in GARAGE_IMAGES_CONTAINER_NAME, and served through a
 * short-lived read URL. A new upload replaces the old one, whose blob is removed after the
 * vehicle points at the new one (so a failure never leaves the vehicle pointing at nothing).
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError, notFound } from '../../../domain/errors.ts';
import { admitImage } from '../../../domain/image-admission.ts';
import type { ImageType } from '../../../domain/wardrobe/image-formats.ts';
import type { ImageProcessor } from '../../../domain/wardrobe/media.ts';
import { SCHEMA_VERSIONS, type VehicleDoc, type VehicleImageRef } from '../store.ts';
import { createVehiclesService, type VehiclesDeps } from './service.ts';
import { IMAGE_MAX_EDGE } from './settings.ts';

export interface VehicleImageDeps extends VehiclesDeps {
  images(options: { maxInputPixels: number }): ImageProcessor;
}

export const vehicleImageBlobName = (userId: string, vehicleId: string, imageId: string): string =>
  `${encodeURIComponent(userId)}/${encodeURIComponent(vehicleId)}/${imageId}.webp`;

export function createVehicleImageService(deps: VehicleImageDeps) {
  const settings = deps.settings.vehicles;
  const images = deps.images({ maxInputPixels: settings.imageMaxPixels });
  const vehicles = createVehiclesService(deps);
  const container = settings.imagesContainer;

  const view = async (image: VehicleImageRef | null) =>
    image
      ? { url: await deps.blobs.readUrl(container, image.blobName, settings.imageUrlTtlSeconds), content_type: image.contentType, bytes: image.bytes, width: image.width, height: image.height, uploaded_at: image.uploadedAt }
      : { url: null };

  return {
    /** The short-lived URL of a vehicle's image, or null. */
    urlOf: async (vehicle: VehicleDoc): Promise<string | null> => (vehicle.image ? deps.blobs.readUrl(container, vehicle.image.blobName, settings.imageUrlTtlSeconds) : null),

    async get(userId: string, vehicleId: string) {
      return view((await vehicles.find(userId, vehicleId)).image);
    },

    async upload(userId: string, vehicleId: string, bytes: Uint8Array, declared: ImageType | undefined) {
      await vehicles.find(userId, vehicleId);
      if (bytes.byteLength > settings.imageMaxBytes) throw new AppError(413, 'body_too_large', `The image is larger than ${settings.imageMaxBytes} bytes.`);
      await admitImage(images, bytes, declared);
      const webp = await images.toWebp(bytes, { maxEdge: IMAGE_MAX_EDGE });
      const image: VehicleImageRef = {
        blobName: vehicleImageBlobName(userId, vehicleId, deps.ids.next()),
        contentType: 'image/webp',
        bytes: webp.bytes.byteLength,
        width: webp.width,
        height: webp.height,
        uploadedAt: deps.clock.now().toISOString(),
      };
      await deps.blobs.put(container, image.blobName, webp.bytes, image.contentType);
      let previous: VehicleImageRef | null = null;
      try {
        await readModifyWrite(vehicles.repos.vehicles, vehicleId, userId, (current) => {
          if (!current) throw notFound(`No vehicle ${vehicleId}.`);
          previous = current.image;
          return { ...current, image, schemaVersion: SCHEMA_VERSIONS['garage-vehicles'], updatedAt: image.uploadedAt };
        });
      } catch (error) {
        await deps.blobs.delete(container, image.blobName).catch(() => undefined);
        throw error;
      }
      const replaced = previous as VehicleImageRef | null;
      if (replaced && replaced.blobName !== image.blobName) await deps.blobs.delete(container, replaced.blobName);
      return view(image);
    },

    async remove(userId: string, vehicleId: string): Promise<void> {
      let removed: VehicleImageRef | null = null;
      await readModifyWrite(vehicles.repos.vehicles, vehicleId, userId, (current) => {
        if (!current) throw notFound(`No vehicle ${vehicleId}.`);
        if (!current.image) throw notFound('This vehicle has no image.');
        removed = current.image;
        return { ...current, image: null, schemaVersion: SCHEMA_VERSIONS['garage-vehicles'], updatedAt: deps.clock.now().toISOString() };
      });
      const blob = removed as VehicleImageRef | null;
      if (blob) await deps.blobs.delete(container, blob.blobName);
    },
  };
}
