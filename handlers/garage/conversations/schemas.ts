/** Schemas of the garage's conversation routes (snake_case, as the seed). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';

export const listConversationsQuery: JsonSchema = pageQuery({ filters: { vehicle_id: { type: 'string', minLength: 1, maxLength: 255 } } });
export const conversationQuery: JsonSchema = pageQuery({ defaultLimit: 50, maxLimit: 200 });

const nullableString = { type: ['string', 'null'] };

export const conversationSummary: JsonSchema = {
  type: 'object',
  required: ['id', 'vehicle_id', 'title', 'route', 'message_count', 'created_at'],
  properties: {
    id: { type: 'string' }, vehicle_id: nullableString, title: { type: 'string' }, route: { enum: ['v2', 'legacy'] },
    message_count: { type: 'integer' }, created_at: { type: 'string' }, updated_at: { type: 'string' },
  },
};
export const conversationPage: JsonSchema = pageOf(conversationSummary);

export const messageResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'sender', 'message', 'attachments', 'created_at'],
  properties: {
    id: { type: 'string' }, sender: { enum: ['user', 'ai'] }, message: { type: 'string' },
    attachments: { type: 'array', items: { type: 'object', properties: { kind: { enum: ['image', 'audio'] }, content_type: { type: 'string' }, bytes: { type: 'integer' }, duration_seconds: { type: ['number', 'null'] } } } },
    transcript: nullableString, created_at: { type: 'string' },
  },
};

export const conversationResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'vehicle_id', 'title', 'messages'],
  properties: {
    ...(conversationSummary.properties as Record<string, JsonSchema>),
    messages: { description: 'Oldest first, a page at a time', type: 'array', items: messageResponse },
    continuation: { description: 'Present when there are more messages: pass it back as `?continuation=`', type: 'string' },
  },
};
