/** Schemas of the discover routes (contract section 7.5): the clients' own field names, snake_case where they send it. */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { MAX_URL_LENGTH } from '../../../domain/wardrobe/address-policy.ts';

const nullableString = { type: ['string', 'null'] };
export const SOURCE_ID = '^[a-z0-9_-]{1,100}$';

export const feedQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sortBy: { enum: ['score', 'recent'], default: 'score' },
    // Clamped to 1-100 by the route, as upstream: an out-of-range size is not an error.
    pageSize: { type: 'integer', default: 50 },
    // The token carries its query (tags and sources up to 2000 characters each), base64url.
    continuationToken: { type: 'string', minLength: 1, maxLength: 12000 },
    tags: { type: 'string', maxLength: 2000 },
    sourceIds: { type: 'string', maxLength: 2000 },
    timeRange: { enum: ['1h', '1d', '7d', '30d', 'all'], default: 'all' },
  },
};

const scrapedItem: JsonSchema = {
  type: 'object',
  required: ['id', 'userId', 'sourceId', 'sourceType', 'title', 'tags', 'scoreSignal', 'scrapedAt'],
  properties: {
    id: { type: 'string' }, userId: { const: 'global' }, sourceId: { type: 'string' }, sourceType: { enum: ['brand_site', 'reddit'] },
    title: { type: 'string' }, description: nullableString, imageUrl: nullableString, productUrl: nullableString,
    buyLinks: { type: 'array', items: { type: 'object', properties: { platform: { type: 'string' }, url: { type: 'string' }, label: { type: 'string' } } } },
    price: nullableString, brand: nullableString, tags: { type: 'array', items: { type: 'string' } }, galleryImages: { type: 'array', items: { type: 'string' } },
    commentText: nullableString, redditScore: { type: ['integer', 'null'] }, scoreSignal: { type: 'integer' },
    scrapedAt: { type: 'string' }, sourceCreatedAt: nullableString, imageExpired: { type: 'boolean' },
  },
};

export const feedPage: JsonSchema = {
  type: 'object',
  required: ['items', 'nextContinuationToken'],
  properties: { items: { type: 'array', items: scrapedItem }, nextContinuationToken: nullableString },
};

export const feedbackRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['signal'],
  properties: { signal: { enum: ['up', 'down'] }, galleryImageIndex: { type: 'integer', minimum: 0, maximum: 100 } },
};

export const feedbackResponse: JsonSchema = {
  type: 'object',
  required: ['itemId', 'signal', 'scoreSignal'],
  properties: { itemId: { type: 'string' }, signal: { enum: ['up', 'down'] }, scoreSignal: { enum: [1, -1] } },
};

const sourceConfig: JsonSchema = { type: 'object', properties: { listingUrls: { type: 'array', items: { type: 'string' } }, sitemapUrl: { type: 'string' }, subreddit: { type: 'string' } } };

export const sourcesResponse: JsonSchema = {
  type: 'object',
  required: ['sources'],
  properties: {
    sources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'sourceType', 'isGlobal', 'lastScrapedAt', 'config', 'leaseExpiresAt', 'subscribed', 'needsClientIngest'],
        properties: {
          id: { type: 'string' }, name: { type: 'string' }, sourceType: { enum: ['brand_site', 'reddit'] }, isGlobal: { type: 'boolean' },
          lastScrapedAt: nullableString, config: sourceConfig, leaseExpiresAt: nullableString, subscribed: { type: 'boolean' }, needsClientIngest: { type: 'boolean' },
        },
      },
    },
  },
};

/** `source_type` is the server's field; the web client sends `sourceType: "brand"`, taken as `brand_site`. */
export const suggestRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'url'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, format: 'plain-text' },
    url: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH },
    source_type: { enum: ['brand_site', 'brand', 'reddit'] },
    sourceType: { enum: ['brand_site', 'brand', 'reddit'] },
  },
};

export const suggestResponse: JsonSchema = {
  type: 'object',
  required: ['sourceId', 'name', 'config'],
  properties: { sourceId: { type: 'string' }, name: { type: 'string' }, config: sourceConfig },
};

export const subscriptionResponse: JsonSchema = {
  type: 'object',
  required: ['sourceId', 'subscribed'],
  properties: { sourceId: { type: 'string' }, subscribed: { type: 'boolean' } },
};

export const leaseResponse: JsonSchema = {
  type: 'object',
  required: ['status', 'expiresAt'],
  properties: { status: { const: 'ok' }, expiresAt: { type: 'string' } },
};

/**
 * A raw Reddit `children[].data` object: the fields read are checked; the web posts the whole
 * object, so Reddit's other fields (lower snake_case names, as Reddit writes them all) pass
 * through unread, and any other name is refused.
 */
const redditPost: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  patternProperties: { '^[a-z][a-z0-9_]{0,63}$': {} },
  required: ['id', 'title', 'subreddit', 'permalink', 'url', 'score', 'over_18', 'created_utc'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 100 },
    title: { type: 'string', minLength: 1, maxLength: 1000 },
    subreddit: { type: 'string', minLength: 1, maxLength: 100 },
    permalink: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH },
    url: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH },
    score: { type: 'integer' },
    over_18: { type: 'boolean' },
    created_utc: { type: 'number' },
    selftext: { type: 'string', maxLength: 40000 },
    is_gallery: { type: ['boolean', 'null'] },
    media_metadata: { type: ['object', 'null'] },
    gallery_data: { type: ['object', 'null'] },
    preview: { type: ['object', 'null'] },
  },
};

export const ingestRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source_id', 'posts'],
  properties: {
    source_id: { type: 'string', pattern: SOURCE_ID },
    posts: { type: 'array', maxItems: 100, items: redditPost },
  },
};

export const ingestResponse: JsonSchema = {
  type: 'object',
  required: ['count', 'status', 'verified'],
  properties: { count: { type: 'integer' }, status: { enum: ['ok', 'no_valid_items'] }, verified: { const: true } },
};

export const runResponse: JsonSchema = {
  type: 'object',
  required: ['sourceId', 'newItems'],
  properties: { sourceId: { type: 'string' }, newItems: { type: 'integer' } },
};

export const unbanResponse: JsonSchema = {
  type: 'object',
  required: ['status', 'userId'],
  properties: { status: { const: 'unbanned' }, userId: { type: 'string' } },
};
