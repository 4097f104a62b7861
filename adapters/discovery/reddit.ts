/**
 * Reddit's public JSON search (the upstream's Python variant; no OAuth): posts (`t3`) for
 * "<intent> <location>". The location is the one the user wrote ("Pikeville KY"), not the
 * geocoded one: Reddit matches every word, and posts do not say "United States".
 * `raw_json=1` asks for text without Reddit's legacy HTML escaping (`&amp;`).
 */
import type { PlaceSource } from '../../domain/discovery/ports.ts';
import type { RawPlace } from '../../domain/discovery/types.ts';
import { endpoint, getJson } from './http.ts';
import { documentOf, finiteOf, isObject, listOf, malformed, textOr } from './shape.ts';
import { MAX_PLACES } from './source-query.ts';

export interface RedditOptions {
  baseUrl?: URL;
  timeoutMs: number;
  /** Reddit refuses generic agents (429/403); it asks for a unique, descriptive one. */
  userAgent?: string;
}

const PROVIDER = 'reddit';
const DEFAULT_BASE = new URL('https://www.reddit.com');
const DEFAULT_USER_AGENT = 'Portico-Discovery/1.0';
const SITE = 'https://www.reddit.com';
/** The upstream kept 200 characters; the sanitiser allows 300, so take what it can show. */
const DESCRIPTION_POINTS = 300;

export function readReddit(body: unknown, status = 200): RawPlace[] {
  const listing = documentOf(PROVIDER, body, status, 'a Listing');
  if (listing.kind !== 'Listing' || !isObject(listing.data)) throw malformed(PROVIDER, status, 'a Listing with data');
  return listOf(PROVIDER, listing.data, 'children', status)
    .flatMap((child) => (isObject(child) && child.kind === 't3' && isObject(child.data) ? [child.data] : []))
    .slice(0, MAX_PLACES)
    .map((post) => {
      const permalink = textOr(post.permalink);
      return {
        source: 'reddit',
        name: textOr(post.title),
        description: Array.from(textOr(post.selftext)).slice(0, DESCRIPTION_POINTS).join(''),
        // A permalink is site-relative; anything else is not a Reddit link and is dropped by the sanitiser.
        url: permalink.startsWith('/') ? `${SITE}${permalink}` : '',
        upvotes: finiteOf(post.score) ?? null,
      };
    });
}

export function createReddit(options: RedditOptions): PlaceSource {
  return {
    source: 'reddit',
    provider: PROVIDER,
    async search(query, signal) {
      const url = endpoint(options.baseUrl ?? DEFAULT_BASE, '/search.json', {
        q: `${query.intent} ${query.rawLocation}`,
        limit: String(MAX_PLACES),
        sort: 'relevance',
        raw_json: '1',
      });
      const headers = { 'user-agent': options.userAgent ?? DEFAULT_USER_AGENT };
      const { status, body } = await getJson(PROVIDER, url, { signal, timeoutMs: options.timeoutMs, headers });
      return readReddit(body, status);
    },
  };
}
