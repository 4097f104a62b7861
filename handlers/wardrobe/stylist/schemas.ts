/** Schemas of the legacy stylist route (contract section 6.7). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { STYLIST_LIMITS } from '../../../domain/wardrobe/stylist.ts';

const colours: JsonSchema = { type: 'array', maxItems: 20, items: { type: 'string', format: 'plain-text', minLength: 1, maxLength: 40 } };

export const recommendationsRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stylePrompt: { type: 'string', maxLength: 1000 },
    occasion: { type: 'string', format: 'plain-text', maxLength: 100 },
    preferredColors: colours,
    excludedColors: colours,
    pageSize: { type: 'integer', minimum: 1, maximum: STYLIST_LIMITS.pageSize, default: STYLIST_LIMITS.defaultPageSize },
    minWears: { type: 'integer', minimum: 0 },
    maxWears: { type: 'integer', minimum: 0 },
    category: { type: 'string', format: 'plain-text', minLength: 1, maxLength: 60 },
  },
};

export const recommendationsResponse: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'title', 'description', 'clothingItemIds'],
    properties: { id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, clothingItemIds: { type: 'array', items: { type: 'string' } } },
  },
};
