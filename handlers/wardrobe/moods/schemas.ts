/** Schemas of the moods routes. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { PRIMARY_MOODS } from '../../../domain/wardrobe/moods.ts';

export const listMoodsQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { primaryMood: { enum: [...PRIMARY_MOODS] } },
};

export const seedRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { months_back: { type: 'integer', minimum: 1, maximum: 12, default: 3 } },
};

export const mood: JsonSchema = {
  type: 'object',
  required: ['id', 'primaryMood', 'name', 'description', 'keywords', 'trendScore', 'itemCount', 'monthsBack', 'seededAt'],
  properties: {
    id: { type: 'string' },
    primaryMood: { enum: [...PRIMARY_MOODS] },
    name: { type: 'string' },
    description: { type: 'string' },
    keywords: { type: 'array', items: { type: 'string' } },
    trendScore: { type: 'number' },
    itemCount: { type: 'integer' },
    monthsBack: { type: 'integer' },
    seededAt: { type: 'string', format: 'date-time' },
  },
};

export const moodList: JsonSchema = {
  type: 'object',
  required: ['moods', 'primaryMoods'],
  properties: { moods: { type: 'array', maxItems: 50, items: mood }, primaryMoods: { type: 'array', items: { type: 'string' } } },
};

export const seedResult: JsonSchema = {
  type: 'object',
  required: ['seeded', 'monthsBack', 'itemsScanned', 'truncated'],
  properties: { seeded: { type: 'integer' }, monthsBack: { type: 'integer' }, itemsScanned: { type: 'integer' }, truncated: { type: 'boolean' } },
};
