/** Request and response schemas of the system routes; read by the validators and the API docs. */
import type { JsonSchema } from '../../app/define.ts';

export const healthResponse: JsonSchema = {
  type: 'object',
  required: ['status', 'version', 'dependencies'],
  additionalProperties: false,
  properties: {
    status: { enum: ['healthy', 'unhealthy'] },
    version: { type: 'string' },
    dependencies: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['status', 'latencyMs'],
        additionalProperties: false,
        properties: {
          status: { enum: ['up', 'down'] },
          latencyMs: { type: 'number' },
          error: { type: 'string' },
        },
      },
    },
  },
};

export const echoRequest: JsonSchema = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    message: { type: 'string', minLength: 1, maxLength: 2000 },
    tags: { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } },
  },
};

export const echoResponse: JsonSchema = {
  type: 'object',
  required: ['message', 'tags', 'requestId', 'receivedAt'],
  additionalProperties: false,
  properties: {
    message: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    requestId: { type: 'string' },
    receivedAt: { type: 'string', format: 'date-time' },
  },
};
