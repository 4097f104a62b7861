/** Schemas of the upload and draft routes: the client's ClothingItem (contract section 5) and the drafts page. */
import type { JsonSchema } from '../../../kernel/functions.ts';

const text: JsonSchema = { type: 'string' };
const words: JsonSchema = { type: 'array', items: text };
const time: JsonSchema = { type: 'string', description: 'yyyy-MM-ddTHH:mm:ssZ' };

/** The item as the clients read it; null-valued fields are left out. */
export const clothingItem: JsonSchema = {
  type: 'object',
  required: ['id', 'userId', 'tags', 'colours', 'wearCount', 'isWishlisted'],
  properties: {
    id: { type: 'string', description: '32 hex, or `upload-<32 hex>` for an upload' },
    userId: text,
    imageUrl: { type: 'string', description: 'A short-lived read URL; absent while a draft is Processing' },
    tags: words,
    aestheticTags: words,
    colours: { type: 'array', items: { type: 'object', required: ['name', 'hex'], properties: { name: text, hex: text } } },
    brand: text,
    category: text,
    notes: text,
    price: { type: 'object', required: ['amount', 'originalCurrency'], properties: { amount: { type: 'number' }, originalCurrency: text, purchaseDate: text } },
    dateAdded: time,
    wearCount: { type: 'integer', minimum: 0 },
    lastWornAt: time,
    wearEvents: { type: 'array', items: { type: 'object', required: ['occurredAt'], properties: { occurredAt: time, occasion: text, weatherSnapshot: { type: 'object' } } } },
    lastWearActionId: text,
    estimatedMarketValue: { type: 'number' },
    purchaseDate: text,
    careInfo: { type: 'array', items: { enum: ['dry_clean', 'wash', 'iron', 'bleach'] } },
    condition: { enum: ['New', 'Excellent', 'Good', 'Fair'] },
    size: { type: 'object' },
    draftStatus: { enum: ['Processing', 'Ready', 'Failed'], description: 'Drafts only' },
    draftError: { type: 'string', description: 'Why a Failed draft failed, for the user' },
    rawImageBlobUrl: { type: 'string', description: 'A short-lived read URL of the raw upload (drafts only)' },
    draftCreatedAt: time,
    draftUpdatedAt: time,
    isWishlisted: { type: 'boolean' },
  },
};

/** `true` (any case) turns a flag on; anything else leaves it off. */
const flag: JsonSchema = { type: 'string', maxLength: 16 };

/** A raw-body upload has no text parts: its flags may come in the query instead. */
export const uploadQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { skip_segmentation: flag, is_wishlisted: flag },
};

/** The multipart form, for the API docs (the route reads it itself). */
export const uploadForm: JsonSchema = {
  type: 'object',
  // Other text parts are ignored; a file part of another name is the image if it comes first.
  additionalProperties: false,
  properties: {
    file: { type: 'string', format: 'binary', description: 'The image: the first part with a filename, whatever its name (the web app sends `image`)' },
    skip_segmentation: { type: 'string', description: '`true`: the image is already cut out' },
    is_wishlisted: { type: 'string', description: '`true`: a wishlist item' },
  },
};

export const MAX_DRAFT_PAGE = 50;

export const draftsQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pageSize: { type: 'integer', default: MAX_DRAFT_PAGE, description: `Clamped to 1-${MAX_DRAFT_PAGE}` },
    continuationToken: { type: 'string', minLength: 1, maxLength: 8000 },
  },
};

export const draftsPage: JsonSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: { type: 'array', items: clothingItem },
    nextContinuationToken: { type: 'string', description: 'Absent on the last page' },
  },
};
