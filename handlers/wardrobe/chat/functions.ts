/**
 * The wardrobe's chat routes, as the PluckIt clients call them (contract sections 7.1 and 7.2):
 * a streamed chat (Server-Sent Events) over the user's wardrobe, memory summary and recent
 * turns; the memory summary; and the stored conversations. Everything belongs to the signed-in
 * user (partitioned by user id): another user's id is 404.
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { chatRequest, conversationDetail, conversationPage, listQuery, memoryRequest, memoryUpdated, memoryView } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const signedIn = { 400: problem, 401: problem };

export const chat = defineFunction({
  name: 'wardrobe-chat',
  trigger: {
    kind: 'http', method: 'POST', route: 'chat', auth: 'user', stream: true, rateLimit: 'synthesis',
    summary:
      'Answers a message as a text/event-stream of `data: <json>` frames: `tool_use` { name }, `tool_result` { name, summary }, `token` { content } as the model writes, then optionally `error` { content } and `memory_update` { updated }, and always `done` last; each carries `traceId` when known. Accepts the web\'s camelCase and the app\'s snake_case keys. `/api/chat/` is the same route.',
    request: { body: chatRequest },
    responses: {
      200: { description: 'The event stream' },
      ...signedIn,
      404: { description: '`not_found`: no such conversation for this user' },
      429: { description: '`too_many_streams`: the user already has the most concurrent chat streams; Retry-After' },
    },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#chat',
});

export const listConversations = defineFunction({
  name: 'wardrobe-chat-conversations-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'chat/conversations', auth: 'user',
    summary: "Lists the user's stored conversations, most recently active first, a page at a time.",
    request: { query: listQuery },
    responses: { 200: { description: 'A page of conversations', schema: conversationPage }, ...signedIn },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#listConversations',
});

export const getConversation = defineFunction({
  name: 'wardrobe-chat-conversations-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'chat/conversations/{id}', auth: 'user',
    summary: 'One conversation and its turns, oldest first, a page at a time.',
    request: { query: listQuery },
    responses: { 200: { description: 'The conversation and a page of its turns', schema: conversationDetail }, ...signedIn, 404: problem },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#getConversation',
});

export const deleteConversation = defineFunction({
  name: 'wardrobe-chat-conversations-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'chat/conversations/{id}', auth: 'user',
    summary: 'Deletes a conversation and every stored turn of it.',
    responses: { 204: { description: 'Deleted' }, ...signedIn, 404: problem },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#deleteConversation',
});

export const getMemory = defineFunction({
  name: 'wardrobe-chat-memory-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'chat/memory', auth: 'user',
    summary: "The user's memory summary: `{ summary, updatedAt }` ('' and null before anything is remembered).",
    responses: { 200: { description: 'The memory', schema: memoryView }, ...signedIn },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#getMemory',
});

export const putMemory = defineFunction({
  name: 'wardrobe-chat-memory-put',
  trigger: {
    kind: 'http', method: 'PUT', route: 'chat/memory', auth: 'user',
    summary: 'Replaces the memory summary (at most 2000 characters, stored trimmed).',
    request: { body: memoryRequest },
    responses: { 200: { description: 'Stored', schema: memoryUpdated }, ...signedIn },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#putMemory',
});

export const chatFunctions: readonly FunctionDef[] = [chat, listConversations, getConversation, deleteConversation, getMemory, putMemory];
