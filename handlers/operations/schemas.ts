/** Schemas of the operations routes. */
import type { JsonSchema } from '../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../middleware/resources.ts';

const jobEnvelope: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    jobId: { type: 'string' },
    attempt: { type: 'integer' },
    traceparent: { type: 'string' },
    enqueuedAt: { type: 'string' },
    payload: {},
    payloadRef: { type: 'object', properties: { container: { type: 'string' }, name: { type: 'string' } } },
  },
};

export const deadLetter: JsonSchema = {
  type: 'object',
  required: ['id', 'queue', 'reason', 'lastError', 'attempts', 'deadLetteredAt'],
  properties: {
    id: { type: 'string' },
    queue: { type: 'string' },
    type: { type: 'string' },
    reason: { enum: ['unparseable', 'unknown_type', 'invalid_payload', 'payload_missing', 'max_attempts', 'permanent_failure', 'poisoned'] },
    lastError: { type: 'string' },
    attempts: { type: 'integer' },
    deadLetteredAt: { type: 'string', format: 'date-time' },
    envelope: jobEnvelope,
    rawMessage: { type: 'string' },
  },
};

export const deadLetterPage: JsonSchema = pageOf(deadLetter);

export const listQuery: JsonSchema = pageQuery({ filters: { type: { type: 'string', minLength: 1, maxLength: 200 } } });

export const purgeRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 200 },
    before: { type: 'string', format: 'date-time' },
    max: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
};

export const purgeResult: JsonSchema = {
  type: 'object',
  required: ['purged', 'more'],
  properties: { purged: { type: 'integer' }, more: { type: 'boolean' } },
};

export const jobStatus: JsonSchema = {
  type: 'object',
  required: ['id', 'type', 'status', 'attempt', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    status: { enum: ['queued', 'running', 'retrying', 'completed', 'dead-lettered'] },
    attempt: { type: 'integer' },
    lastError: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    completedAt: { type: 'string' },
  },
};

const percentiles = {
  p50: { type: 'number' },
  p90: { type: 'number' },
  p95: { type: 'number' },
  p99: { type: 'number' },
} as const;
const percentileNames = ['p50', 'p90', 'p95', 'p99'];
const attributes: JsonSchema = { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } };

const functionView: JsonSchema = {
  type: 'object',
  required: ['count', 'errors', 'clientErrors', 'serverErrors', ...percentileNames],
  properties: { count: { type: 'integer' }, errors: { type: 'integer' }, clientErrors: { type: 'integer' }, serverErrors: { type: 'integer' }, ...percentiles },
};

const jobView: JsonSchema = {
  type: 'object',
  required: ['attempts', 'completed', 'retries', 'deadLetters', ...percentileNames],
  properties: { attempts: { type: 'integer' }, completed: { type: 'integer' }, retries: { type: 'integer' }, deadLetters: { type: 'integer' }, ...percentiles },
};

const instrument = (point: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['name', 'unit', 'description', 'points'],
  properties: { name: { type: 'string' }, unit: { type: 'string' }, description: { type: 'string' }, points: { type: 'array', items: point } },
});

/** GET /api/admin/metrics: domain/metrics.ts MetricsSnapshot. Percentiles and durations in ms. */
export const metricsSnapshot: JsonSchema = {
  type: 'object',
  required: ['since', 'at', 'exporting', 'percentiles', 'functions', 'jobs', 'counters', 'histograms'],
  properties: {
    since: { type: 'string', format: 'date-time' },
    at: { type: 'string', format: 'date-time' },
    exporting: { type: 'boolean' },
    percentiles: { type: 'string' },
    functions: { type: 'object', additionalProperties: functionView },
    jobs: { type: 'object', additionalProperties: jobView },
    counters: { type: 'array', items: instrument({ type: 'object', required: ['attributes', 'value'], properties: { attributes, value: { type: 'number' } } }) },
    histograms: { type: 'array', items: instrument({
      type: 'object',
      required: ['attributes', 'count', 'sum', 'min', 'max', ...percentileNames],
      properties: { attributes, count: { type: 'integer' }, sum: { type: 'number' }, min: { type: 'number' }, max: { type: 'number' }, ...percentiles },
    }) },
  },
};
