/** Schemas of the digest routes. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';

export const historyQuery: JsonSchema = pageQuery({ defaultLimit: 10, maxLimit: 52 });

export const runQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { userId: { type: 'string', minLength: 1, maxLength: 1023 } },
};

const text = { type: 'string' };
const nullableNumber = { type: ['number', 'null'] };

export const digest: JsonSchema = {
  type: 'object',
  required: ['week', 'asOf', 'previousWeek', 'itemCount', 'unworn', 'costPerWear', 'suggestions', 'notes', 'generatedAt'],
  properties: {
    week: text,
    asOf: text,
    previousWeek: { type: ['string', 'null'] },
    itemCount: { type: 'integer' },
    unworn: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        items: { type: 'array', items: { type: 'object', properties: { itemId: text, name: text, category: text, days: { type: 'integer' }, lastWornAt: { type: ['string', 'null'] } } } },
      },
    },
    costPerWear: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          itemId: text, name: text, currency: { type: ['string', 'null'] }, priceThen: { type: 'number' }, priceNow: { type: 'number' },
          wearsThen: { type: 'integer' }, wearsNow: { type: 'integer' }, costPerWearThen: nullableNumber, costPerWearNow: nullableNumber,
        },
      },
    },
    suggestions: { type: 'array', items: { type: 'object', properties: { kind: { enum: ['wear-unworn', 'fill-gap'] }, text, itemId: text, category: text } } },
    summary: { type: 'object', properties: { text, model: text, offline: { type: 'boolean' } } },
    notes: { type: 'array', items: text },
    generatedAt: text,
  },
};

export const digestPage: JsonSchema = pageOf(digest);

export const runStarted: JsonSchema = {
  type: 'object',
  required: ['week', 'users', 'jobs'],
  properties: { week: text, users: { type: 'integer' }, jobs: { type: 'array', items: text } },
};
