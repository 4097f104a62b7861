/** Schemas of the chat and memory routes. The settings tighten the lengths further (see settings.ts). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';

/** Hard ceilings; CHAT_MAX_MESSAGE_CHARS and CHAT_MEMORY_MAX_FACT_CHARS may only lower them. */
export const MESSAGE_CHARS_CEILING = 16_000;
export const FACT_CHARS_CEILING = 1_000;

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };

export const chatRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  properties: {
    message: { type: 'string', minLength: 1, maxLength: MESSAGE_CHARS_CEILING, pattern: '\\S' },
    conversationId: id,
  },
};

export const listQuery: JsonSchema = pageQuery();

const usage: JsonSchema = {
  type: 'object',
  required: ['inputTokens', 'outputTokens'],
  properties: { inputTokens: { type: 'integer' }, outputTokens: { type: 'integer' } },
};

export const conversation: JsonSchema = {
  type: 'object',
  required: ['id', 'title', 'messageCount', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    messageCount: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const conversationPage: JsonSchema = pageOf(conversation);

export const turn: JsonSchema = {
  type: 'object',
  required: ['id', 'seq', 'role', 'content', 'status', 'createdAt'],
  properties: {
    id: { type: 'string' },
    seq: { type: 'integer' },
    role: { enum: ['user', 'assistant'] },
    content: { type: 'string' },
    /** `incomplete`: an answer cut off by a model error, a disconnect or the time limit, with its partial text. */
    status: { enum: ['complete', 'incomplete'] },
    error: { type: 'string', description: 'Why an answer is incomplete: the error code' },
    model: { type: 'string' },
    usage,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const conversationDetail: JsonSchema = {
  type: 'object',
  required: ['conversation', 'turns'],
  properties: { conversation, turns: { type: 'array', items: turn }, continuation: { type: 'string' } },
};

export const memoryFact: JsonSchema = {
  type: 'object',
  required: ['id', 'text', 'source', 'createdAt'],
  properties: {
    id: { type: 'string' },
    text: { type: 'string' },
    source: { enum: ['chat', 'api'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

export const memoryList: JsonSchema = {
  type: 'object',
  required: ['facts', 'maxFacts'],
  properties: { facts: { type: 'array', items: memoryFact }, maxFacts: { type: 'integer' } },
};

export const memoryRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fact'],
  properties: { fact: { type: 'string', minLength: 1, maxLength: FACT_CHARS_CEILING, pattern: '\\S' } },
};

export const memorySaved: JsonSchema = {
  type: 'object',
  required: ['fact', 'created'],
  properties: { fact: memoryFact, created: { type: 'boolean' } },
};
