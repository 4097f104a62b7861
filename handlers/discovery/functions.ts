/**
 * The discovery service's routes (Underfoot): the real frontend's search first, then the health
 * and the event stream. Public like the upstream's, unless DISCOVERY_AUTH=user.
 */
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import { chatQuery, healthAnswer, searchAnswer, searchRequest } from './schemas.ts';

const refused = {
  400: { description: '`validation_failed` (length, extra keys), `unsafe_input` (script-like or prompt-injection text) or `invalid_input` (empty after cleaning)' },
  401: { description: '`unauthorized`: DISCOVERY_AUTH=user and no valid token' },
};

export const search = defineFunction({
  name: 'discovery-search',
  trigger: {
    kind: 'http', method: 'POST', route: 'underfoot/search', auth: 'public', authSetting: 'DISCOVERY_AUTH', rateLimit: 'discovery',
    summary:
      'Parses a travel question (location, intent, radius, dates), geocodes it, asks SerpApi, Reddit and Eventbrite in parallel, and answers the places scored and ranked (primary first) with a "Stonewalker" summary. A slow or failing source is reported in `debug.source_stats`, never fails the search. Cached 30 minutes (`debug.cache: "hit"`); `force: true` skips the cache and refreshes it.',
    request: { body: searchRequest },
    responses: { 200: { description: 'The answer', schema: searchAnswer }, ...refused },
  },
  handler: 'handlers/discovery/search.routes#search',
});

export const chat = defineFunction({
  name: 'discovery-chat',
  trigger: {
    kind: 'http', method: 'GET', route: 'underfoot/chat', auth: 'public', authSetting: 'DISCOVERY_AUTH', rateLimit: 'discovery', stream: true,
    summary:
      'The search as Server-Sent Events with `stream=true`: `start` {requestId, protocolVersion: 1, cacheHit}, a `source` {source, count, status, elapsedMs} as each source finishes, `complete` (the search answer), `heartbeat` {ts, requestId} every 20 s of silence, `error` {code, message, fatal} and `end` {requestId}. Without `stream=true`, the search answer as JSON.',
    request: { query: chatQuery },
    responses: { 200: { description: 'The event stream, or the search answer as JSON', schema: searchAnswer }, ...refused },
  },
  handler: 'handlers/discovery/search.routes#chat',
});

export const health = defineFunction({
  name: 'discovery-health',
  trigger: {
    kind: 'http', method: 'GET', route: 'underfoot/health', auth: 'public',
    summary:
      "The discovery service's health: Cosmos DB, each provider (configured or not, and this instance's last call: outcome, upstream status, latency), the model, and each cache layer's entries and hit ratio. `degraded` when Cosmos is down or a configured provider's last call failed.",
    responses: { 200: { description: 'The report', schema: healthAnswer } },
  },
  handler: 'handlers/discovery/health.routes#health',
});

export const discoveryFunctions: readonly FunctionDef[] = [search, chat, health];
