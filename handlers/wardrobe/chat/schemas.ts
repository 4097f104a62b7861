/** Schemas of the chat and memory routes. The settings tighten the lengths further (see settings.ts). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { MEMORY_SUMMARY_MAX_CHARS } from '../../../domain/wardrobe/memory.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';
import { TRACE_ID_MAX_CHARS } from './request.ts';

/** Hard ceiling; CHAT_MAX_MESSAGE_CHARS may only lower it. */
export const MESSAGE_CHARS_CEILING = 16_000;
/** The most history turns a client sends (the web keeps the last 16). */
export const HISTORY_MAX_TURNS = 16;
/** The most selected items a turn can name. */
export const SELECTED_MAX_ITEMS = 50;

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const history: JsonSchema = {
  type: 'array',
  maxItems: HISTORY_MAX_TURNS,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['role', 'content'],
    properties: { role: { enum: ['user', 'assistant'] }, content: { type: 'string', maxLength: MESSAGE_CHARS_CEILING } },
  },
};
/** A web client with nothing selected may send `[null]` (an undefined id, JSON-encoded); nulls are dropped. */
const selection: JsonSchema = { type: ['array', 'null'], maxItems: SELECTED_MAX_ITEMS, items: { oneOf: [id, { type: 'null' }] } };
const traceId: JsonSchema = { type: 'string', minLength: 1, maxLength: TRACE_ID_MAX_CHARS };

/**
 * Both clients' spellings (request.ts normalises them). Unknown keys are refused, as on every
 * Portico route: the two clients send exactly these (contract 7.1).
 */
export const chatRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  properties: {
    message: { type: 'string', minLength: 1, maxLength: MESSAGE_CHARS_CEILING, pattern: '\\S' },
    recentMessages: history,
    recent_messages: history,
    selectedItemIds: selection,
    selected_item_ids: selection,
    traceId,
    trace_id: traceId,
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

export const memoryView: JsonSchema = {
  type: 'object',
  required: ['summary', 'updatedAt'],
  properties: { summary: { type: 'string' }, updatedAt: { type: ['string', 'null'], format: 'date-time' } },
};

export const memoryRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['summary'],
  properties: { summary: { type: 'string', maxLength: MEMORY_SUMMARY_MAX_CHARS } },
};

export const memoryUpdated: JsonSchema = { type: 'object', required: ['status'], properties: { status: { enum: ['updated'] } } };
