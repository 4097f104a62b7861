/**
 * Cache keys (issue 12, pipeline step 7). The upstream read its search cache with the key of
 * (input, "") and wrote it with (input, geocoded location), so the keys never met and the
 * cache never hit. Here a search's key is a function of what is known before anything is
 * fetched: the checked chat input, normalised, and the provider set that answers (so sample
 * data cached offline is never served once real providers are configured). Reading and
 * writing call the same function with the same request, and the geocoded location cannot
 * enter it.
 *
 * A key is the canonical text of its parts (a JSON array, so no separator can be forged by the
 * input). The store hashes it to an id-safe document id; hashing is I/O-free but needs
 * node:crypto, which the domain does not import.
 */

export const CACHE_KEY_VERSION = 1;
/** The upstream's SUPABASE_CACHE_TTL_MINUTES and LOCATION_CACHE_TTL_HOURS. */
export const SEARCH_TTL_SECONDS = 30 * 60;
export const LOCATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * The form two inputs share when they ask the same thing: NFKC (full-width and compatibility
 * forms fold), lower case, runs of white space as one space, trimmed, trailing `?`, `!` and `.`
 * dropped. The upstream did `strip().lower()`.
 */
export function normaliseQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s?!.]+$/, '');
}

/** The search cache's key: the checked input (from `checkChatInput`) and the provider set's name. */
export function searchCacheKey(checkedInput: string, providers: string): string {
  return JSON.stringify(['search', CACHE_KEY_VERSION, providers, normaliseQuery(checkedInput)]);
}

/** The location cache's key: the location text as parsed, before geocoding. */
export function locationCacheKey(rawLocation: string): string {
  return JSON.stringify(['location', CACHE_KEY_VERSION, normaliseQuery(rawLocation)]);
}
