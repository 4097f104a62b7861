/** Schemas of the moods routes. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';
import { MOOD_LIMITS } from '../../../domain/wardrobe/moods.ts';
import { HEX_COLOUR, ITEM_ID } from '../items/schemas.ts';

function fields(nullable: boolean): Record<string, JsonSchema> {
  return {
    name: { type: 'string', format: 'plain-text', minLength: 1, maxLength: MOOD_LIMITS.name },
    description: { type: nullable ? ['string', 'null'] : 'string', maxLength: MOOD_LIMITS.description },
    palette: { type: 'array', maxItems: MOOD_LIMITS.palette, items: { type: 'string', pattern: HEX_COLOUR } },
    itemIds: { type: 'array', maxItems: MOOD_LIMITS.itemIds, uniqueItems: true, items: { type: 'string', pattern: ITEM_ID } },
  };
}

export const createMoodRequest: JsonSchema = { type: 'object', additionalProperties: false, required: ['name'], properties: fields(false) };

export const patchMoodRequest: JsonSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: fields(true) };

export const listMoodsQuery: JsonSchema = pageQuery();

export const suggestRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 20, default: 5 } },
};

export const moodResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'description', 'palette', 'itemIds', 'createdAt', 'updatedAt', 'etag'],
  properties: { id: { type: 'string' }, userId: { type: 'string' }, ...fields(true), createdAt: { type: 'string' }, updatedAt: { type: 'string' }, etag: { type: 'string' } },
};

export const moodPage: JsonSchema = pageOf(moodResponse);

export const suggestResponse: JsonSchema = {
  type: 'object',
  required: ['moodId', 'items', 'reasoning', 'model', 'offline'],
  properties: {
    moodId: { type: 'string' },
    items: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, category: { type: 'string' }, colours: { type: 'array' }, imageId: { type: ['string', 'null'] }, imageUrl: { type: ['string', 'null'] } } },
    },
    reasoning: { type: 'string' },
    model: { type: 'string' },
    offline: { type: 'boolean' },
  },
};
