/** Schemas of the taste routes, and of the taste job's payload (with its type: jobs.ts and taste.job.ts both read it). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { PRIMARY_MOODS } from '../../../domain/wardrobe/moods.ts';
import { TASTE_DIMENSIONS, type TasteAnswer } from '../../../domain/wardrobe/taste.ts';

const id = { type: 'string', minLength: 1, maxLength: 100 };

export interface TasteJobPayload {
  userId: string;
  /** Checked against the quiz, in canonical order. */
  answers: TasteAnswer[];
  submittedAt: string;
}

export const tasteJobPayload: JsonSchema = {
  type: 'object',
  required: ['userId', 'answers', 'submittedAt'],
  additionalProperties: false,
  properties: {
    userId: { type: 'string', minLength: 1, maxLength: 1023 },
    answers: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'object', required: ['questionId', 'optionId'], additionalProperties: false, properties: { questionId: id, optionId: id } },
    },
    submittedAt: { type: 'string', format: 'date-time' },
  },
};

export const answersRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['answers'],
  properties: {
    answers: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'object', additionalProperties: false, required: ['questionId', 'optionId'], properties: { questionId: id, optionId: id } },
    },
  },
};

export const jobAccepted: JsonSchema = { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string' } } };

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

export const tasteJobStatus: JsonSchema = {
  type: 'object',
  required: ['jobId', 'status', 'attempt', 'updatedAt'],
  properties: {
    jobId: { type: 'string' },
    status: { enum: ['queued', 'running', 'completed', 'dead-lettered'] },
    attempt: { type: 'integer' },
    updatedAt: { type: 'string' },
    completedAt: { type: 'string' },
    error: { type: 'string' },
  },
};

const shares = { type: 'object', additionalProperties: { type: 'number' } };

export const tasteProfile: JsonSchema = {
  type: 'object',
  required: ['quizVersion', 'dimensions', 'top', 'preferences', 'answered', 'answers', 'submittedAt', 'revision', 'updatedAt'],
  properties: {
    quizVersion: { type: 'integer' },
    dimensions: { type: 'object', properties: Object.fromEntries(TASTE_DIMENSIONS.map((dimension) => [dimension, shares])) },
    top: { type: 'object', additionalProperties: { type: 'string' } },
    preferences: { type: 'array', items: { type: 'string' } },
    answered: { type: 'integer' },
    answers: { type: 'array', items: { type: 'object', properties: { questionId: { type: 'string' }, optionId: { type: 'string' } } } },
    submittedAt: { type: 'string' },
    revision: { type: 'integer' },
    updatedAt: { type: 'string' },
  },
};
