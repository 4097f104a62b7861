/**
 * SerpApi's Google engine: organic results for "<intent> <place> underground local hidden".
 * SerpApi reports a search that found nothing as `{error: "Google hasn't returned any results
 * for this query."}` with HTTP 200: that is no places, not a failure. Any other `error` in a 200
 * is a failed search on SerpApi's side (`upstream_5xx`); a non-2xx is failed by its status.
 */
import { ProviderError, type PlaceSource } from '../../domain/discovery/ports.ts';
import type { RawPlace } from '../../domain/discovery/types.ts';
import { endpoint, getJson } from './http.ts';
import { documentOf, isObject, malformed, textOr } from './shape.ts';
import { MAX_PLACES, resolvedPlace } from './source-query.ts';

export interface SerpApiOptions {
  baseUrl?: URL;
  apiKey: string;
  timeoutMs: number;
}

const PROVIDER = 'serpapi';
const DEFAULT_BASE = new URL('https://serpapi.com');
const NO_RESULTS = /hasn't returned any results/i;

export function readSerpApi(body: unknown, status = 200): RawPlace[] {
  const document = documentOf(PROVIDER, body, status, 'a search object');
  if (typeof document.error === 'string') {
    if (NO_RESULTS.test(document.error)) return [];
    throw new ProviderError('upstream_5xx', PROVIDER, `${PROVIDER} answered ${status} with a failed search.`, status);
  }
  // No organic block at all is a page of other result types: nothing to take.
  if (document.organic_results === undefined) return [];
  if (!Array.isArray(document.organic_results)) throw malformed(PROVIDER, status, 'an array at "organic_results"');
  return document.organic_results
    .slice(0, MAX_PLACES)
    .filter(isObject)
    .map((result) => ({ source: 'serp', name: textOr(result.title, 'Unknown'), description: textOr(result.snippet), url: textOr(result.link) }));
}

export function createSerpApi(options: SerpApiOptions): PlaceSource {
  return {
    source: 'serp',
    provider: PROVIDER,
    async search(query, signal) {
      const place = resolvedPlace(query);
      const url = endpoint(options.baseUrl ?? DEFAULT_BASE, '/search', {
        engine: 'google',
        q: `${query.intent} ${place} underground local hidden`,
        location: place,
        hl: 'en',
        gl: 'us',
        num: String(MAX_PLACES),
        api_key: options.apiKey,
      });
      const { status, body } = await getJson(PROVIDER, url, { signal, timeoutMs: options.timeoutMs });
      return readSerpApi(body, status);
    },
  };
}
