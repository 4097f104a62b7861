/** Schemas of the wardrobe items, wear and vault-insights routes. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';
import { ITEM_LIMITS } from '../../../domain/wardrobe/item-rules.ts';

export const HEX_COLOUR = '^#[0-9A-Fa-f]{6}$';
/** Item ids are ours (UUIDs); other features' ids stay within this alphabet too. */
export const ITEM_ID = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

const colour: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'hex'],
  properties: { name: { type: 'string', format: 'plain-text', minLength: 1, maxLength: ITEM_LIMITS.colourName }, hex: { type: 'string', pattern: HEX_COLOUR } },
};

/** Every client-settable field; the ones wrapped in `orNull` may be cleared by PATCH with null. Short texts are `plain-text` (domain/text.ts). */
function fields(nullable: boolean): Record<string, JsonSchema> {
  // JSON Schema 2020-12 (OpenAPI 3.1): null is one more type, not OpenAPI 3.0's `nullable`.
  const orNull = (schema: JsonSchema): JsonSchema => (nullable ? { ...schema, type: [schema.type, 'null'] } : schema);
  return {
    name: { type: 'string', format: 'plain-text', minLength: 1, maxLength: ITEM_LIMITS.name },
    category: { type: 'string', format: 'plain-text', minLength: 1, maxLength: ITEM_LIMITS.category },
    status: { enum: ['active', 'draft'] },
    colours: orNull({ type: 'array', maxItems: ITEM_LIMITS.colours, items: colour }),
    brand: orNull({ type: 'string', format: 'plain-text', minLength: 1, maxLength: ITEM_LIMITS.brand }),
    price: orNull({ type: 'number', minimum: 0, maximum: ITEM_LIMITS.maxPrice }),
    currency: orNull({ type: 'string', pattern: '^[A-Za-z]{3}$' }),
    imageId: orNull({ type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: ITEM_LIMITS.imageId }),
    imageUrl: orNull({ type: 'string', format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', maxLength: ITEM_LIMITS.imageUrl }),
    tags: orNull({ type: 'array', maxItems: ITEM_LIMITS.tags, items: { type: 'string', format: 'plain-text', minLength: 1, maxLength: ITEM_LIMITS.tag } }),
    purchaseDate: orNull({ type: 'string', format: 'date' }),
  };
}

export const createItemRequest: JsonSchema = { type: 'object', additionalProperties: false, required: ['name', 'category'], properties: fields(false) };

export const patchItemRequest: JsonSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: fields(true) };

export const SORTS = ['-createdAt', 'createdAt', 'name', '-name', '-wearCount', 'wearCount', '-lastWornAt', 'lastWornAt', '-updatedAt', 'updatedAt'] as const;
export type ItemSort = (typeof SORTS)[number];

export const listItemsQuery: JsonSchema = pageQuery({
  filters: {
    category: { type: 'string', minLength: 1, maxLength: ITEM_LIMITS.category },
    status: { enum: ['active', 'draft'] },
    sort: { enum: [...SORTS], default: '-createdAt' },
  },
});

export const wearRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['wearId'],
  properties: {
    wearId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
    wornAt: { type: 'string', format: 'date-time' },
  },
};

const nullableString = { type: ['string', 'null'] };

export const itemResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'category', 'colours', 'tags', 'wearCount', 'lastWornAt', 'status', 'createdAt', 'updatedAt', 'etag'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    ...fields(true),
    wearCount: { type: 'integer' },
    lastWornAt: nullableString,
    source: { type: ['object', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    etag: { type: 'string' },
  },
};

export const itemPage: JsonSchema = pageOf(itemResponse);

export const wearResponse: JsonSchema = {
  type: 'object',
  required: ['itemId', 'wearId', 'wornAt', 'wearCount', 'lastWornAt'],
  properties: { itemId: { type: 'string' }, wearId: { type: 'string' }, wornAt: { type: 'string' }, wearCount: { type: 'integer' }, lastWornAt: { type: 'string' } },
};

const ranked: JsonSchema = {
  type: 'array',
  items: { type: 'object', properties: { itemId: { type: 'string' }, name: { type: 'string' }, wearCount: { type: 'integer' }, lastWornAt: nullableString } },
};

export const vaultInsightsResponse: JsonSchema = {
  type: 'object',
  required: ['generatedAt', 'itemCount', 'countsByCategory', 'countsByColour', 'totalValue', 'costPerWear', 'mostWorn', 'leastWorn', 'unworn', 'unwornDays'],
  properties: {
    generatedAt: { type: 'string' },
    itemCount: { type: 'integer' },
    countsByCategory: { type: 'array', items: { type: 'object', properties: { category: { type: 'string' }, count: { type: 'integer' } } } },
    countsByColour: { type: 'array', items: { type: 'object', properties: { colour: { type: 'string' }, count: { type: 'integer' } } } },
    totalValue: { type: 'array', items: { type: 'object', properties: { currency: { type: 'string' }, amount: { type: 'number' }, itemCount: { type: 'integer' } } } },
    costPerWear: {
      type: 'array',
      items: {
        type: 'object',
        properties: { itemId: { type: 'string' }, name: { type: 'string' }, currency: { type: 'string' }, price: { type: 'number' }, wearCount: { type: 'integer' }, costPerWear: { type: 'number' } },
      },
    },
    mostWorn: ranked,
    leastWorn: ranked,
    unworn: {
      type: 'array',
      items: { type: 'object', properties: { itemId: { type: 'string' }, name: { type: 'string' }, lastWornAt: nullableString, idleSince: { type: 'string' }, idleDays: { type: 'integer' } } },
    },
    unwornDays: { type: 'integer' },
  },
};
