/** Request and response schemas of the diagnostics routes. */
import type { JsonSchema } from '../../kernel/functions.ts';

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

/** Caps of the inspect route: it reports what it saw, never more than this. */
export const INSPECT_LIMITS = { idLength: 200, valueLength: 200, entries: 20 } as const;

export const inspectRequest: JsonSchema = {
  type: 'object',
  required: ['note'],
  additionalProperties: false,
  properties: { note: { type: 'string', minLength: 1, maxLength: 200 } },
};

const stringList = { type: 'array', items: { type: 'string' } };

export const inspectResponse: JsonSchema = {
  type: 'object',
  required: ['method', 'id', 'query', 'headers', 'cookies'],
  additionalProperties: false,
  properties: {
    method: { type: 'string' },
    id: { type: 'string', description: 'The path parameter, decoded' },
    query: { type: 'object', additionalProperties: { type: 'string' }, description: 'queryStringParameters: repeated keys joined with ","' },
    headers: { type: 'object', additionalProperties: stringList, description: 'A fixed set of harmless headers, each as its list of values' },
    cookies: {
      type: 'array',
      description: 'The request cookies in order: names, and a digest of each value (values are never reflected)',
      items: {
        type: 'object',
        required: ['name', 'sha256'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, sha256: { type: 'string' } },
      },
    },
    note: { type: 'string' },
  },
};
