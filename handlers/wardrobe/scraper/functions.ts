/** The discover feed's routes (contract section 7.5), its two admin routes (7.6) and the daily run timer (the job's worker comes from the job list). */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import {
  feedbackRequest, feedbackResponse, feedPage, feedQuery, ingestRequest, ingestResponse, leaseResponse, runResponse, sourcesResponse,
  subscriptionResponse, suggestRequest, suggestResponse, unbanResponse,
} from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const ROUTES = 'handlers/wardrobe/scraper/discover.routes';

export const listItems = defineFunction({
  name: 'wardrobe-scraper-items',
  trigger: {
    kind: 'http', method: 'GET', route: 'scraper/items', auth: 'user',
    summary: 'A page of the discover feed (the global pool of scraped items), by score or recency, filtered by tags (any), sources and time range. Items never carry embeddings.',
    request: { query: feedQuery },
    responses: { 200: { description: 'The page; nextContinuationToken is null on the last one', schema: feedPage }, 400: { description: 'validation_failed, invalid_continuation' }, 401: problem },
  },
  handler: `${ROUTES}#listItems`,
});

export const itemFeedback = defineFunction({
  name: 'wardrobe-scraper-item-feedback',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/items/{itemId}/feedback', auth: 'user',
    summary: "The caller's vote on a feed item: one per user and item (voting again replaces it); the item's score moves by the difference.",
    request: { body: feedbackRequest },
    responses: { 200: { description: 'The vote', schema: feedbackResponse }, 400: { description: 'validation_failed, gallery_index_out_of_range' }, 401: problem, 404: problem },
  },
  handler: `${ROUTES}#itemFeedback`,
});

export const listSources = defineFunction({
  name: 'wardrobe-scraper-sources',
  trigger: {
    kind: 'http', method: 'GET', route: 'scraper/sources', auth: 'user',
    summary: "The active sources, with the caller's subscriptions and needsClientIngest (a Reddit source not read for 4 hours and not leased).",
    responses: { 200: { description: 'The sources', schema: sourcesResponse }, 401: problem },
  },
  handler: `${ROUTES}#listSources`,
});

export const suggestSource = defineFunction({
  name: 'wardrobe-scraper-suggest-source',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/sources', auth: 'user', rateLimit: 'scraper',
    summary: 'Suggests a brand site: a public https host name that answers; creates `brand-<slug>` (or finds it), subscribes the caller and starts a run.',
    request: { body: suggestRequest },
    responses: {
      201: { description: 'The source', schema: suggestResponse },
      400: { description: 'validation_failed, url_invalid, url_scheme_not_allowed, url_credentials_not_allowed, url_not_allowed (IP literal, private DNS), source_type_not_allowed, name_invalid' },
      401: problem,
      422: { description: 'fetch_failed: the site did not answer' },
      429: problem,
    },
  },
  handler: `${ROUTES}#suggestSource`,
});

export const subscribe = defineFunction({
  name: 'wardrobe-scraper-subscribe',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/subscribe/{sourceId}', auth: 'user',
    summary: 'Subscribes the caller to a source; a brand site is read in the background (one run per source and hour).',
    responses: { 201: { description: 'Subscribed', schema: subscriptionResponse }, 401: problem, 404: problem },
  },
  handler: `${ROUTES}#subscribe`,
});

export const unsubscribe = defineFunction({
  name: 'wardrobe-scraper-unsubscribe',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'scraper/subscribe/{sourceId}', auth: 'user',
    summary: 'Unsubscribes the caller; 200 whether or not they were subscribed.',
    responses: { 200: { description: 'Not subscribed', schema: subscriptionResponse }, 401: problem, 404: problem },
  },
  handler: `${ROUTES}#unsubscribe`,
});

export const lease = defineFunction({
  name: 'wardrobe-scraper-lease',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/lease/{sourceId}', auth: 'user',
    summary: 'A 15-minute lease on a source for a client-side scrape (renewed for its holder).',
    responses: { 200: { description: 'Leased', schema: leaseResponse }, 401: problem, 404: problem, 409: { description: 'lease_held: another user holds the lease' } },
  },
  handler: `${ROUTES}#lease`,
});

export const ingestReddit = defineFunction({
  name: 'wardrobe-scraper-ingest-reddit',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/ingest/reddit', auth: 'user', rateLimit: 'scraper',
    summary: "Reddit posts (raw `children[].data` objects, at most 100) a client read for a Reddit source; adult posts and posts without an image are skipped. URLs must be relative or public https.",
    request: { body: ingestRequest },
    responses: {
      200: { description: 'How many items were stored', schema: ingestResponse },
      400: { description: 'validation_failed, url_not_allowed (counts a strike), not_a_reddit_source' },
      401: problem,
      403: { description: 'forbidden: ingest is closed to the caller after repeated refused posts' },
      404: problem,
      409: { description: 'lease_held: another user holds the lease' },
      429: problem,
    },
  },
  handler: `${ROUTES}#ingestReddit`,
});

export const runSource = defineFunction({
  name: 'admin-scraper-run',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/run/{sourceId}', auth: 'admin',
    summary: 'Reads a brand-site source now, in the request: how many new items it found.',
    responses: {
      200: { description: 'The run', schema: runResponse }, 401: problem, 403: problem, 404: problem,
      422: { description: 'fetch_failed (a listing page), client_ingested_source (a Reddit source)' },
    },
  },
  handler: `${ROUTES}#runSource`,
});

export const unban = defineFunction({
  name: 'admin-scraper-unban',
  trigger: {
    kind: 'http', method: 'POST', route: 'admin/unban/{targetUserId}', auth: 'admin',
    summary: "Lifts a user's ingest ban (and forgets their strikes).",
    responses: { 200: { description: 'Unbanned', schema: unbanResponse }, 401: problem, 403: problem, 404: { description: 'not_found: the user is not banned' } },
  },
  handler: `${ROUTES}#unban`,
});

/** Every day at 04:00 UTC. */
export const dailyRun = defineFunction({
  name: 'wardrobe-scraper-run-daily',
  trigger: { kind: 'timer', schedule: '0 0 4 * * *' },
  handler: 'handlers/wardrobe/scraper/daily.timer#dailyRun',
});

export const scraperFunctions: readonly FunctionDef[] = [listItems, itemFeedback, listSources, suggestSource, subscribe, unsubscribe, lease, ingestReddit, runSource, unban, dailyRun];
