/** Request and response schemas of the system routes; read by the validators and the API docs. */
import type { JsonSchema } from '../../kernel/functions.ts';

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
    // Pending schema migrations (`npm run migrate -- status`); they never make the service unhealthy.
    migrations: {
      type: 'object',
      additionalProperties: false,
      properties: { pending: { type: 'array', items: { type: 'string' } }, error: { type: 'string' } },
    },
    // The answering instance's resources; informational.
    system: {
      type: 'object',
      required: ['cpu', 'memory', 'disk', 'uptimeSeconds'],
      additionalProperties: false,
      properties: {
        cpu: {
          type: 'object',
          required: ['cores', 'loadAverage'],
          additionalProperties: false,
          properties: {
            cores: { type: 'integer' },
            loadAverage: { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3, description: '1, 5 and 15 minute load averages' },
          },
        },
        memory: {
          type: 'object',
          required: ['totalBytes', 'freeBytes', 'processRssBytes', 'heapUsedBytes'],
          additionalProperties: false,
          properties: { totalBytes: { type: 'integer' }, freeBytes: { type: 'integer' }, processRssBytes: { type: 'integer' }, heapUsedBytes: { type: 'integer' } },
        },
        disk: {
          type: 'object',
          additionalProperties: false,
          description: "The data folder's file system (the local data folder, else the OS's temporary folder); `error` when it cannot be read.",
          properties: { freeBytes: { type: 'integer' }, totalBytes: { type: 'integer' }, error: { type: 'string' } },
        },
        uptimeSeconds: {
          type: 'object',
          required: ['process', 'system'],
          additionalProperties: false,
          properties: { process: { type: 'integer' }, system: { type: 'integer' } },
        },
      },
    },
    // The depths of the queues services declare (`healthQueues` in their manifests); informational.
    queues: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { depth: { type: 'integer', minimum: 0 }, error: { enum: ['timeout', 'unavailable'] } },
      },
    },
  },
};
