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
