/** Schemas of the digest routes (contract section 7.3). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';

export const historyQuery: JsonSchema = pageQuery({ defaultLimit: 10, maxLimit: 52 });

export const runQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { userId: { type: 'string', minLength: 1, maxLength: 1023 } },
};

export const runOwnQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { force: { type: 'boolean', default: false } },
};

const digestId = { type: 'string', minLength: 1, maxLength: 1023 };

export const feedbackQuery: JsonSchema = {
  type: 'object',
  required: ['digestId'],
  additionalProperties: false,
  properties: { digestId },
};

export const feedbackRequest: JsonSchema = {
  type: 'object',
  required: ['digestId', 'suggestionIndex', 'signal'],
  additionalProperties: false,
  properties: {
    digestId,
    suggestionIndex: { type: 'integer', minimum: 0, maximum: 1000 },
    // iOS encodes a missing description as absent; null is taken as "none" too.
    suggestionDescription: { type: ['string', 'null'], maxLength: 2000, default: '' },
    signal: { enum: ['up', 'down'] },
  },
};

const text = { type: 'string' };

export const digest: JsonSchema = {
  type: 'object',
  required: ['id', 'userId', 'generatedAt', 'wardrobeHash', 'suggestions', 'stylesConsidered', 'totalItems'],
  properties: {
    id: text,
    userId: text,
    generatedAt: { type: 'string', format: 'date-time' },
    wardrobeHash: text,
    suggestions: { type: 'array', items: { type: 'object', required: ['item', 'rationale'], properties: { item: text, rationale: text, itemId: text } } },
    stylesConsidered: { type: 'array', items: text },
    totalItems: { type: 'integer' },
    itemsWithWearHistory: { type: 'integer' },
    climateZone: text,
  },
};

export const latestDigestResponse: JsonSchema = {
  type: 'object',
  required: ['digest'],
  properties: { digest: { oneOf: [digest, { type: 'null' }] } },
};

export const digestPage: JsonSchema = pageOf(digest);

export const feedbackList: JsonSchema = {
  type: 'object',
  required: ['feedback'],
  properties: { feedback: { type: 'array', items: { type: 'object', required: ['suggestionIndex', 'signal'], properties: { suggestionIndex: { type: 'integer' }, signal: { enum: ['up', 'down'] } } } } },
};

export const statusOk: JsonSchema = { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } };

export const runOutcome: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { enum: ['ok', 'skipped'] }, digest, reason: { enum: ['wardrobe_empty', 'wardrobe_unchanged'] } },
};

export const runStarted: JsonSchema = {
  type: 'object',
  required: ['week', 'users', 'jobs'],
  properties: { week: text, users: { type: 'integer' }, jobs: { type: 'array', items: text } },
};
