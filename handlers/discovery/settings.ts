/**
 * The discovery service's settings (deps.settings): a pure function of `env`, read by the
 * manifest at bind time and in `validate`, so a bad value stops start-up naming the variable.
 */
import { boolean, choice, integer, serviceUrl, text, type Env } from '../../kernel/env.ts';
import type { Caps } from '../../domain/discovery/scoring.ts';
import type { Endpoint, ProviderSettings } from '../../domain/discovery/ports.ts';
import { LOCATION_TTL_SECONDS, SEARCH_TTL_SECONDS } from '../../domain/discovery/cache-keys.ts';

export interface DiscoverySettings {
  /** `public` like the upstream, or `user`: a signed-in user only (DISCOVERY_AUTH). */
  auth: 'public' | 'user';
  providers: ProviderSettings;
  /** One overall deadline for the fan-out to the sources; each call also has its own timeout. */
  deadlineMs: number;
  caps: Caps;
  cache: { maxEntries: number; searchTtlSeconds: number; locationTtlSeconds: number };
  stream: { heartbeatSeconds: number; maxSeconds: number };
}

/** Every variable loadDiscoverySettings reads, and no other. */
export const DISCOVERY_VARIABLES = [
  'DISCOVERY_AUTH', 'DISCOVERY_PROVIDERS', 'DISCOVERY_SOURCE_TIMEOUT_MS', 'DISCOVERY_DEADLINE_MS',
  'DISCOVERY_PRIMARY_CAP', 'DISCOVERY_NEARBY_CAP',
  'DISCOVERY_CACHE_MAX_ENTRIES', 'DISCOVERY_SEARCH_TTL_SECONDS', 'DISCOVERY_LOCATION_TTL_SECONDS',
  'DISCOVERY_HEARTBEAT_SECONDS', 'DISCOVERY_STREAM_MAX_SECONDS',
  'GEOAPIFY_API_KEY', 'GEOAPIFY_BASE_URL', 'GOOGLE_MAPS_API_KEY', 'GOOGLE_GEOCODING_BASE_URL',
  'SERPAPI_KEY', 'SERPAPI_BASE_URL', 'EVENTBRITE_TOKEN', 'EVENTBRITE_BASE_URL', 'DISCOVERY_REDDIT', 'REDDIT_BASE_URL',
] as const;

/** The keyed providers: an endpoint when its key is set. */
const KEYED = [
  { name: 'geoapify', key: 'GEOAPIFY_API_KEY', url: 'GEOAPIFY_BASE_URL', base: 'https://api.geoapify.com' },
  { name: 'google', key: 'GOOGLE_MAPS_API_KEY', url: 'GOOGLE_GEOCODING_BASE_URL', base: 'https://maps.googleapis.com' },
  { name: 'serpapi', key: 'SERPAPI_KEY', url: 'SERPAPI_BASE_URL', base: 'https://serpapi.com' },
  { name: 'eventbrite', key: 'EVENTBRITE_TOKEN', url: 'EVENTBRITE_BASE_URL', base: 'https://www.eventbriteapi.com' },
] as const;

/**
 * `auto` (the default) is `live` when any provider key is set and `offline` otherwise, so
 * `npm start` with nothing configured answers from the sample dataset instead of calling Reddit.
 */
function providers(env: Env): ProviderSettings {
  const endpoints: Partial<Record<(typeof KEYED)[number]['name'], Endpoint>> = {};
  for (const provider of KEYED) {
    const key = text(env, provider.key);
    const baseUrl = serviceUrl(env, provider.url, provider.base)!;
    if (key) endpoints[provider.name] = { baseUrl, key };
  }
  const redditUrl = serviceUrl(env, 'REDDIT_BASE_URL', 'https://www.reddit.com')!;
  const reddit = boolean(env, 'DISCOVERY_REDDIT', true);
  const timeoutMs = integer(env, 'DISCOVERY_SOURCE_TIMEOUT_MS', 8_000, 100, 60_000);
  const mode = choice(env, 'DISCOVERY_PROVIDERS', ['auto', 'offline', 'live'], 'auto');
  const live = mode === 'live' || (mode === 'auto' && Object.keys(endpoints).length > 0);
  if (!live) return { mode: 'offline' };
  return { mode: 'live', timeoutMs, ...endpoints, ...(reddit ? { reddit: { baseUrl: redditUrl, key: '' } } : {}) };
}

export function loadDiscoverySettings(env: Env): DiscoverySettings {
  return Object.freeze({
    auth: choice(env, 'DISCOVERY_AUTH', ['public', 'user'], 'public'),
    providers: providers(env),
    deadlineMs: integer(env, 'DISCOVERY_DEADLINE_MS', 12_000, 200, 120_000),
    caps: { primary: integer(env, 'DISCOVERY_PRIMARY_CAP', 10, 1, 50), nearby: integer(env, 'DISCOVERY_NEARBY_CAP', 5, 0, 50) },
    cache: {
      maxEntries: integer(env, 'DISCOVERY_CACHE_MAX_ENTRIES', 1_000, 1, 100_000),
      searchTtlSeconds: integer(env, 'DISCOVERY_SEARCH_TTL_SECONDS', SEARCH_TTL_SECONDS, 1, 14 * 24 * 3600),
      locationTtlSeconds: integer(env, 'DISCOVERY_LOCATION_TTL_SECONDS', LOCATION_TTL_SECONDS, 1, 60 * 24 * 3600),
    },
    // The JS variant's 20 s heartbeat; the stream is cut before Azure's 230 s front-end limit.
    stream: { heartbeatSeconds: integer(env, 'DISCOVERY_HEARTBEAT_SECONDS', 20, 1, 120), maxSeconds: integer(env, 'DISCOVERY_STREAM_MAX_SECONDS', 120, 5, 220) },
  });
}
