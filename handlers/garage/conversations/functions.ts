/**
 * The garage's conversation routes: the diagnose sessions of the signed-in user (the upstream
 * served them to anyone; here another user's conversation is 404).
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { conversationPage, conversationQuery, conversationResponse, listConversationsQuery } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const signedIn = { 400: { description: '`validation_failed`, `invalid_id` or `invalid_continuation`' }, 401: problem };
const missing = { description: '`not_found`: no such conversation for this user' };
const ROUTES = 'handlers/garage/conversations/conversations.routes';

export const listConversations = defineFunction({
  name: 'garage-conversations-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'conversations', auth: 'user',
    summary: "The caller's conversations, newest first, a page at a time; `vehicle_id` keeps one vehicle's.",
    request: { query: listConversationsQuery },
    responses: { 200: { description: 'A page of conversations', schema: conversationPage }, ...signedIn },
  },
  handler: `${ROUTES}#listConversations`,
});

export const getConversation = defineFunction({
  name: 'garage-conversation-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'conversation/{id}', auth: 'user',
    summary: 'One conversation with its messages, oldest first, a page at a time (`limit`, `continuation`).',
    request: { query: conversationQuery },
    responses: { 200: { description: 'The conversation', schema: conversationResponse }, 404: missing, ...signedIn },
  },
  handler: `${ROUTES}#getConversation`,
});

export const deleteConversation = defineFunction({
  name: 'garage-conversation-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'conversation/{id}', auth: 'user',
    summary: 'Deletes the conversation and its messages.',
    responses: { 204: { description: 'Deleted' }, 404: missing, ...signedIn },
  },
  handler: `${ROUTES}#deleteConversation`,
});

export const conversationsFunctions: readonly FunctionDef[] = [listConversations, getConversation, deleteConversation];
