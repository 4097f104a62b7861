/**
 * The wardrobe's media routes: image upload and processing, and clothing metadata extraction.
 * Images belong to the signed-in user (partitioned by user id): another user's id is 404.
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { extractMetadataRequest, extractMetadataResponse, processImageResponse } from './schemas.ts';
import { IMAGE_TYPES } from '../../../domain/wardrobe/image-formats.ts';
import { MAX_METADATA_IMAGE_BYTES, MAX_UPLOAD_BYTES } from './settings.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const processImage = defineFunction({
  name: 'wardrobe-process-image',
  trigger: {
    kind: 'http', method: 'POST', route: 'process-image', auth: 'user', maxBodyBytes: MAX_UPLOAD_BYTES,
    summary:
      'Uploads an image (the body: JPEG, PNG, WebP or AVIF bytes, up to 10 MB). Keeps the original, stores an auto-oriented WebP of at most 2048 px with no metadata, removes the background when the segmentation service is configured, and answers its dominant colours.',
    request: { contentTypes: IMAGE_TYPES },
    responses: {
      201: { description: 'Stored', schema: processImageResponse },
      400: { description: '`body_required`, `image_type_mismatch` (the bytes are not the declared type), `invalid_image` (corrupt or truncated)' },
      401: problem,
      413: { description: '`body_too_large`: over 10 MB' },
      415: { description: '`unsupported_media_type`: Content-Type is not image/jpeg, image/png, image/webp or image/avif' },
      422: { description: '`image_too_large` (too many pixels: WARDROBE_IMAGE_MAX_PIXELS), `animated_image`, `image_too_complex`' },
      503: problem,
    },
  },
  handler: 'handlers/wardrobe/media/media.routes#processImage',
});

// Declares the broadest classes; the route's own authenticator narrows them to what
// METADATA_EXTRACT_AUTH_MODE allows (read with the settings at bind time, not from this table).
export const extractMetadata = defineFunction({
  name: 'wardrobe-extract-clothing-metadata',
  trigger: {
    kind: 'http', method: 'POST', route: 'extract-clothing-metadata', auth: ['apiKey', 'user'], rateLimit: 'synthesis',
    // The JSON envelope around base64 of the largest accepted image.
    maxBodyBytes: Math.ceil(MAX_METADATA_IMAGE_BYTES / 3) * 4 + 16 * 1024,
    summary:
      "Describes a garment: category, subcategory, colours, pattern, material, seasons, formality, tags, confidence and model. Takes `{ imageId }` (the caller's own upload; a signed-in user only) or `{ imageBase64 }` (at most 5 MB). Accepts an API key or a signed-in user's bearer token by default; METADATA_EXTRACT_AUTH_MODE (`api_key`, `entra` or `either`) narrows that to API keys only or bearer tokens only, and a refused class answers 401.",
    request: { body: extractMetadataRequest },
    responses: {
      200: { description: 'The metadata', schema: extractMetadataResponse },
      400: { description: '`validation_failed`, `invalid_base64`, `image_type_mismatch`, `invalid_image`, `user_required` (an API-key caller sent imageId)' },
      401: problem,
      404: { description: '`not_found`: no such image for this user' },
      413: problem,
      422: { description: '`image_too_large`, `animated_image`' },
      429: problem,
      502: { description: '`model_unavailable`, `model_invalid_output`' },
      503: { description: '`model_rate_limited` (Retry-After), `unavailable`' },
      504: { description: '`model_timeout`' },
    },
  },
  handler: 'handlers/wardrobe/media/media.routes#extractMetadata',
});

export const mediaFunctions: readonly FunctionDef[] = [processImage, extractMetadata] as FunctionDef[];
