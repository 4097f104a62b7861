/**
 * The wardrobe's chat routes: a streamed chat (Server-Sent Events) over the user's wardrobe,
 * memory facts and recent turns; the stored conversations; and the memory facts themselves.
 * Everything belongs to the signed-in user (partitioned by user id): another user's id is 404.
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { chatRequest, conversationDetail, conversationPage, memoryList, memoryRequest, memorySaved, listQuery } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const signedIn = { 400: problem, 401: problem };

export const chat = defineFunction({
  name: 'wardrobe-chat',
  trigger: {
    kind: 'http', method: 'POST', route: 'chat', auth: 'user', stream: true, rateLimit: 'synthesis',
    summary:
      'Answers a message as a text/event-stream: `meta` { conversationId, messageId }, `token` { text } deltas, then `done` { usage, model, ... }, or an in-band `error` { code, message }. "Remember that …" saves a memory fact first.',
    request: { body: chatRequest },
    responses: {
      200: { description: 'The event stream (a heartbeat comment first)' },
      ...signedIn,
      404: { description: '`not_found`: no such conversation for this user' },
      409: { description: '`memory_full`: the message asks to remember a fact, but the memory is full' },
      429: { description: '`too_many_streams`: the user already has the most concurrent chat streams; Retry-After' },
    },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#chat',
});

export const listConversations = defineFunction({
  name: 'wardrobe-chat-conversations-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'chat/conversations', auth: 'user',
    summary: "Lists the user's conversations, most recently active first, a page at a time.",
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

export const listMemory = defineFunction({
  name: 'wardrobe-chat-memory-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'chat/memory', auth: 'user',
    summary: "The user's memory facts, oldest first (all of them: their number is bounded).",
    responses: { 200: { description: 'The facts', schema: memoryList }, ...signedIn },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#listMemory',
});

export const addMemory = defineFunction({
  name: 'wardrobe-chat-memory-add',
  trigger: {
    kind: 'http', method: 'POST', route: 'chat/memory', auth: 'user',
    summary: 'Saves a memory fact. The same fact again (ignoring case, spacing and end punctuation) answers 200 with the saved one.',
    request: { body: memoryRequest },
    responses: {
      201: { description: 'Saved', schema: memorySaved },
      200: { description: 'Already saved', schema: memorySaved },
      ...signedIn,
      409: { description: '`memory_full`: delete a fact first' },
    },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#addMemory',
});

export const deleteMemory = defineFunction({
  name: 'wardrobe-chat-memory-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'chat/memory/{id}', auth: 'user',
    summary: 'Forgets one memory fact.',
    responses: { 204: { description: 'Forgotten' }, ...signedIn, 404: problem },
  },
  handler: 'handlers/wardrobe/chat/chat.routes#deleteMemory',
});

export const chatFunctions: readonly FunctionDef[] = [chat, listConversations, getConversation, listMemory, addMemory, deleteMemory];
