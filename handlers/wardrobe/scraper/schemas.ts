/** Schemas of the scraper routes. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { MAX_URL_LENGTH } from '../../../domain/wardrobe/address-policy.ts';

export const importRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  // The URL's rules (scheme, credentials, addresses) are the address policy's, with stable codes.
  properties: { url: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH } },
};

export const refreshQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { userId: { type: 'string', minLength: 1, maxLength: 1023 } },
};

export const refreshStarted: JsonSchema = {
  type: 'object',
  required: ['runId', 'items', 'jobs'],
  properties: { runId: { type: 'string' }, items: { type: 'integer' }, jobs: { type: 'array', items: { type: 'string' } } },
};
