/**
 * Settings of the garage's vehicles area (vehicle images and the daily reminder timer), read at
 * bind time; a bad value stops start-up with a ConfigError naming the variable.
 */
import { ConfigError, integer, text, type Env } from '../../../kernel/env.ts';

export interface VehiclesSettings {
  /** Blob container of vehicle images (GARAGE_IMAGES_CONTAINER_NAME, default `garage-images`). */
  imagesContainer: string;
  /** Lifetime of an image's read URL (GARAGE_IMAGE_URL_TTL_SECONDS, default 900 = 15 minutes). */
  imageUrlTtlSeconds: number;
  /** Largest image accepted, in bytes (GARAGE_IMAGE_MAX_BYTES, default and ceiling 10 MB): over it is 413. */
  imageMaxBytes: number;
  /** Decompression-bomb guard: width × height (GARAGE_IMAGE_MAX_PIXELS). */
  imageMaxPixels: number;
  /** Reminders the daily timer reads per page (GARAGE_REMINDERS_PAGE_SIZE). */
  remindersPageSize: number;
  /** At most this many reminders per run (GARAGE_REMINDERS_MAX_PER_RUN); the run logs a warning when it stops there. */
  remindersMaxPerRun: number;
}

/** The route's body limit (fixed in its definition): the largest image plus room for a multipart envelope. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MULTIPART_ALLOWANCE = 64 * 1024;
/** The stored image's long side. */
export const IMAGE_MAX_EDGE = 2048;

export const VEHICLES_VARIABLES = [
  'GARAGE_IMAGES_CONTAINER_NAME', 'GARAGE_IMAGE_URL_TTL_SECONDS', 'GARAGE_IMAGE_MAX_BYTES', 'GARAGE_IMAGE_MAX_PIXELS',
  'GARAGE_REMINDERS_PAGE_SIZE', 'GARAGE_REMINDERS_MAX_PER_RUN',
] as const;

const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

export function loadVehiclesSettings(env: Env): VehiclesSettings {
  const imagesContainer = text(env, 'GARAGE_IMAGES_CONTAINER_NAME') ?? 'garage-images';
  if (!CONTAINER.test(imagesContainer)) throw new ConfigError('GARAGE_IMAGES_CONTAINER_NAME', `must be a storage container name (3-63 lowercase letters, digits and single hyphens), got "${imagesContainer}"`);
  return Object.freeze({
    imagesContainer,
    imageUrlTtlSeconds: integer(env, 'GARAGE_IMAGE_URL_TTL_SECONDS', 900, 60, 7 * 24 * 3600),
    imageMaxBytes: integer(env, 'GARAGE_IMAGE_MAX_BYTES', MAX_IMAGE_BYTES, 1024, MAX_IMAGE_BYTES),
    imageMaxPixels: integer(env, 'GARAGE_IMAGE_MAX_PIXELS', 50_000_000, 1_000_000, 268_402_689),
    remindersPageSize: integer(env, 'GARAGE_REMINDERS_PAGE_SIZE', 100, 1, 1000),
    remindersMaxPerRun: integer(env, 'GARAGE_REMINDERS_MAX_PER_RUN', 10_000, 1, 1_000_000),
  });
}
