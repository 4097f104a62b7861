/** The discovery routes' request and response schemas: ajv validates requests, the API docs show both. */
import type { JsonSchema } from '../../kernel/functions.ts';
import { INPUT_LIMITS } from '../../domain/discovery/input.ts';
import { SOURCES } from '../../domain/discovery/types.ts';

/** The chat input as sent: the length is checked here (in code points), the content by checkChatInput. */
const chatInput: JsonSchema = { type: 'string', minLength: INPUT_LIMITS.min, maxLength: INPUT_LIMITS.max };

/** POST /api/underfoot/search: the real frontend's body `{chat_input, force}`; extra keys are refused. */
export const searchRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['chat_input'],
  properties: { chat_input: chatInput, force: { type: 'boolean', default: false } },
};

/** GET /api/underfoot/chat: the JS variant's query. */
export const chatQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  properties: {
    message: chatInput,
    stream: { type: 'boolean', default: false, description: 'true: Server-Sent Events; false: the search answer as JSON.' },
    force: { type: 'boolean', default: false },
  },
};

const coordinates: JsonSchema = { type: 'object', required: ['lat', 'lng'], properties: { lat: { type: 'number' }, lng: { type: 'number' } } };

const place: JsonSchema = {
  type: 'object',
  required: ['name', 'description', 'source', 'url', 'score', 'category'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    source: { enum: [...SOURCES] },
    url: { type: 'string', format: 'uri' },
    score: { type: 'number', minimum: 0, maximum: 1 },
    category: { enum: ['primary', 'nearby'] },
    lat: { type: 'number', description: 'When the source knew the coordinates (the frontend places its map marker there).' },
    lng: { type: 'number' },
  },
};

const sourceStatus: JsonSchema = {
  type: 'object',
  required: ['status', 'count', 'elapsed_ms'],
  properties: {
    status: { enum: ['success', 'failed', 'timeout', 'skipped'] },
    count: { type: 'integer' },
    elapsed_ms: { type: 'integer' },
    code: { type: 'string', description: '`upstream_429`, `upstream_4xx`, `upstream_5xx`, `malformed`, `network`, `timeout`, `deadline`, `not_configured`' },
  },
};

export const searchAnswer: JsonSchema = {
  type: 'object',
  required: ['user_intent', 'user_location', 'response', 'places', 'debug'],
  properties: {
    user_intent: { type: 'string' },
    user_location: { type: 'string' },
    response: { type: 'string', description: 'The "Stonewalker" summary (the model, or the template when it is unavailable).' },
    places: { type: 'array', items: place, description: 'Primary (score >= 0.5) first, then nearby, each by score descending.' },
    debug: {
      type: 'object',
      required: ['request_id', 'execution_time_ms', 'cache'],
      properties: {
        request_id: { type: 'string' },
        execution_time_ms: { type: 'integer' },
        cache: { enum: ['hit', null] },
        cache_layer: { enum: ['memory', 'cosmos'] },
        parsed: { type: 'object' },
        normalized_location: { type: 'object', properties: { normalized: { type: 'string' }, confidence: { type: 'number' }, coordinates: { oneOf: [coordinates, { type: 'null' }] } } },
        source_stats: { type: 'object', properties: Object.fromEntries(SOURCES.map((source) => [source, sourceStatus])) },
        scoring_summary: { type: 'object' },
        sample_data: { type: 'boolean', description: 'True when the offline provider set answered: the places are sample data.' },
        searchQuery: { type: 'string', description: 'This and the camelCase fields after it are what the real frontend\'s debug panel reads.' },
        processingTime: { type: 'integer' },
        confidence: { type: 'number' },
        keywords: { type: 'array', items: { type: 'string' } },
        geospatialData: { type: 'object' },
        llmReasoning: { type: 'string' },
        dataSource: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

const layerStats: JsonSchema = {
  type: 'object',
  required: ['entries', 'hits', 'misses', 'hit_ratio'],
  properties: { entries: { type: ['integer', 'null'] }, hits: { type: 'integer' }, misses: { type: 'integer' }, hit_ratio: { type: ['number', 'null'] } },
};

const providerReport: JsonSchema = {
  type: 'object',
  required: ['configured', 'last'],
  properties: {
    provider: { type: 'string' },
    configured: { type: 'boolean' },
    last: {
      oneOf: [
        { type: 'null' },
        { type: 'object', required: ['outcome', 'latency_ms', 'at'], properties: { outcome: { enum: ['ok', 'failed', 'timeout'] }, code: { type: 'string' }, upstream_status: { type: 'integer' }, latency_ms: { type: 'integer' }, at: { type: 'string', format: 'date-time' } } },
      ],
    },
  },
};

export const healthAnswer: JsonSchema = {
  type: 'object',
  required: ['status', 'timestamp', 'elapsed_ms', 'dependencies', 'cache'],
  properties: {
    status: { enum: ['healthy', 'degraded'] },
    timestamp: { type: 'string', format: 'date-time' },
    elapsed_ms: { type: 'integer' },
    sample_data: { type: 'boolean' },
    dependencies: {
      type: 'object',
      properties: {
        cosmos: { type: 'object', properties: { status: { enum: ['up', 'down', 'not_configured'] }, latency_ms: { type: 'integer' } } },
        geocoder: providerReport,
        serpapi: providerReport,
        reddit: providerReport,
        eventbrite: providerReport,
        model: { type: 'object', properties: { provider: { type: 'string' }, model: { type: 'string' } } },
      },
    },
    cache: { type: 'object', required: ['memory', 'cosmos'], properties: { memory: layerStats, cosmos: layerStats } },
  },
};
