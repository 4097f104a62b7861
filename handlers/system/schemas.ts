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
  },
};
