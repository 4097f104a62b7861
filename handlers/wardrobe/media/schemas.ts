/** Schemas of the media routes: the metadata request refuses unknown fields; responses document the shapes. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { CATEGORIES, FORMALITIES, PATTERNS, SEASONS } from '../../../domain/wardrobe/metadata.ts';
import { MAX_METADATA_IMAGE_BYTES } from './settings.ts';

/** Image ids are UUIDs the service generated; anything else cannot name an image. */
export const imageId: JsonSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' };

const hex: JsonSchema = { type: 'string', pattern: '^#[0-9a-f]{6}$' };

export const dominantColour: JsonSchema = {
  type: 'object',
  required: ['hex', 'name', 'share'],
  properties: { hex, name: { type: 'string' }, share: { type: 'number', minimum: 0, maximum: 1 } },
};

export const processImageResponse: JsonSchema = {
  type: 'object',
  required: ['imageId', 'url', 'width', 'height', 'format', 'bytes', 'dominantColours', 'backgroundRemoval'],
  properties: {
    imageId,
    url: { type: 'string', description: 'A read URL for the processed WebP; expires after WARDROBE_IMAGE_URL_TTL_SECONDS' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    format: { const: 'webp' },
    bytes: { type: 'integer', description: 'Size of the processed WebP' },
    dominantColours: { type: 'array', items: dominantColour },
    backgroundRemoval: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { enum: ['applied', 'skipped'] },
        reason: { enum: ['not_configured', 'timeout', 'unreachable', 'rejected', 'invalid_response'] },
      },
    },
  },
};

/** Base64 of at most MAX_METADATA_IMAGE_BYTES, optionally as a `data:` URL. */
const base64Length = Math.ceil(MAX_METADATA_IMAGE_BYTES / 3) * 4 + 64;

export const extractMetadataRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    imageId,
    imageBase64: { type: 'string', minLength: 1, maxLength: base64Length },
  },
  // Exactly one of the two (with no other field allowed, one property means one of these).
  minProperties: 1,
  maxProperties: 1,
};

export const extractMetadataResponse: JsonSchema = {
  type: 'object',
  required: ['category', 'subcategory', 'colours', 'brand', 'pattern', 'material', 'seasons', 'formality', 'tags', 'aestheticTags', 'confidence', 'model'],
  properties: {
    category: { enum: [...CATEGORIES] },
    subcategory: { type: 'string' },
    colours: { type: 'array', items: { type: 'object', required: ['name', 'hex'], properties: { name: { type: 'string' }, hex } } },
    brand: { type: 'string', description: 'Empty when no label or logo shows it' },
    pattern: { enum: [...PATTERNS] },
    material: { type: 'string' },
    seasons: { type: 'array', items: { enum: [...SEASONS] } },
    formality: { enum: [...FORMALITIES] },
    tags: { type: 'array', items: { type: 'string' } },
    aestheticTags: { type: 'array', items: { type: 'string' } },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    model: { type: 'string', description: '`offline` when the offline provider answered' },
  },
};
