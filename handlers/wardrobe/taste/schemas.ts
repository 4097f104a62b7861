/** Schemas of the taste routes, and of the taste job's payload (with its type: jobs.ts and taste.job.ts both read it). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { PRIMARY_MOODS } from '../../../domain/wardrobe/moods.ts';
import type { TasteSignalSource } from '../../../domain/wardrobe/taste.ts';

const keywords = { type: 'array', items: { type: 'string' } };
const inferredTastes: JsonSchema = { type: 'object', required: ['styleKeywords', 'brands'], properties: { styleKeywords: keywords, brands: keywords } };

export const quizSession: JsonSchema = {
  type: 'object',
  required: ['id', 'userId', 'sessionId', 'phase', 'isComplete', 'createdAt', 'completedAt', 'inferredTastes', 'cards', 'targetResponses', 'responses'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    sessionId: { type: 'string' },
    phase: { enum: ['mood_cards', 'complete'] },
    isComplete: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    completedAt: { type: ['string', 'null'], format: 'date-time' },
    inferredTastes: { oneOf: [inferredTastes, { type: 'null' }] },
    cards: {
      type: 'array',
      items: {
        type: 'object',
        required: ['primaryMood', 'moodId', 'title', 'description', 'keywords'],
        properties: { primaryMood: { enum: [...PRIMARY_MOODS] }, moodId: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, keywords },
      },
    },
    targetResponses: { type: 'integer' },
    responses: { type: 'array', items: { type: 'object', required: ['signal', 'respondedAt'], properties: { signal: { enum: ['up', 'down'] }, cardPrimaryMood: { type: 'string' }, scrapedItemId: { type: 'string' }, respondedAt: { type: 'string' } } } },
  },
};

/** The upstream's body. */
export const respondRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['signal'],
  properties: {
    signal: { enum: ['up', 'down'] },
    cardPrimaryMood: { enum: [...PRIMARY_MOODS] },
    scrapedItemId: { type: 'string', minLength: 1, maxLength: 200 },
  },
};

export const respondResponse: JsonSchema = {
  type: 'object',
  required: ['sessionId', 'responsesRecorded', 'targetResponses'],
  properties: { sessionId: { type: 'string' }, responsesRecorded: { type: 'integer' }, targetResponses: { type: 'integer' } },
};

export const completeResponse: JsonSchema = { type: 'object', required: ['sessionId', 'inferredTastes'], properties: { sessionId: { type: 'string' }, inferredTastes } };

const signalKeys = { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 } };

export interface TasteJobPayload {
  userId: string;
  /** A completed quiz session (strong) or an up-vote in the discover feed (weak). */
  source: TasteSignalSource;
  /** The session's id, or the liked scraped item's. */
  sourceId: string;
  styleKeywords: string[];
  brands: string[];
  submittedAt: string;
}

export const tasteJobPayload: JsonSchema = {
  type: 'object',
  required: ['userId', 'source', 'sourceId', 'styleKeywords', 'brands', 'submittedAt'],
  additionalProperties: false,
  properties: {
    userId: { type: 'string', minLength: 1, maxLength: 1023 },
    source: { enum: ['quiz', 'feedback'] },
    sourceId: { type: 'string', minLength: 1, maxLength: 200 },
    styleKeywords: signalKeys,
    brands: signalKeys,
    submittedAt: { type: 'string', format: 'date-time' },
  },
};
