/** Schemas of the collections routes (contract section 6.5). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { COLLECTION_LIMITS } from '../../../domain/wardrobe/collections.ts';
import { ITEM_ID } from '../items/schemas.ts';

const name: JsonSchema = { type: ['string', 'null'], maxLength: COLLECTION_LIMITS.name };
const description: JsonSchema = { type: ['string', 'null'], maxLength: COLLECTION_LIMITS.description };
const isPublic: JsonSchema = { type: ['boolean', 'null'] };

/**
 * Both clients send all four fields. `name` is checked by the service, so its absence answers
 * the upstream's message `Name is required.`.
 */
export const createCollectionRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name,
    description,
    isPublic,
    clothingItemIds: { type: ['array', 'null'], maxItems: COLLECTION_LIMITS.items, items: { type: 'string', pattern: ITEM_ID } },
  },
};

/** Partial; PascalCase keys too (the .NET API bound them case-insensitively). */
export const updateCollectionRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { name, description, isPublic, Name: name, Description: description, IsPublic: isPublic },
};

export const addItemRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId'],
  properties: { itemId: { type: 'string', pattern: ITEM_ID } },
};

/** The mobile app sends page, pageSize and query; the list is not paged (both clients take a bare array). */
export const listCollectionsQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { page: { type: 'string', maxLength: 20 }, pageSize: { type: 'string', maxLength: 20 }, query: { type: 'string', maxLength: 500 } },
};

export const collectionResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'ownerId', 'name', 'isPublic', 'clothingItemIds', 'memberUserIds', 'createdAt'],
  properties: {
    id: { type: 'string' },
    ownerId: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    isPublic: { type: 'boolean' },
    clothingItemIds: { type: 'array', items: { type: 'string' } },
    memberUserIds: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

export const collectionList: JsonSchema = { type: 'array', items: collectionResponse };
