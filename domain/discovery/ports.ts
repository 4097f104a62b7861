/**
 * What the discovery pipeline needs from the outside world: a geocoder, the place sources and a
 * cache. Adapters (adapters/discovery/) implement them against the real providers (Geoapify,
 * Google Geocoding, SerpApi, Reddit, Eventbrite) and the offline sample set; the pipeline
 * (search.ts) and its tests see only these.
 */
import type { Coordinates, RawPlace, Source, UserLocation } from './types.ts';

/** What a source is asked: the parsed query and the geocoded place it is about. */
export interface SourceQuery {
  intent: string;
  /** The location as the user wrote it (after parsing), e.g. "Pikeville KY". */
  rawLocation: string;
  location: UserLocation;
  radiusMiles: number | null;
  dateWindow: { from: string; to: string } | null;
}

/** One place source. A failure throws ProviderError; the pipeline reports it and goes on. */
export interface PlaceSource {
  readonly source: Source;
  /** The provider behind it, as health and metrics name it: `serpapi`, `reddit`, `eventbrite`, `sample`. */
  readonly provider: string;
  search(query: SourceQuery, signal: AbortSignal): Promise<RawPlace[]>;
}

/** Turns free text into a place. A failure throws ProviderError; the pipeline falls back to the raw text (confidence 0.5). */
export interface Geocoder {
  /** `geoapify`, `google`, `sample`, or `none` (no geocoder configured: always the raw text). */
  readonly provider: string;
  geocode(raw: string, signal: AbortSignal): Promise<UserLocation>;
}

/** What a geocoder answers for a place it cannot resolve, and the pipeline uses when the geocoder fails: the raw text, confidence 0.5. */
export const unresolvedLocation = (raw: string): UserLocation => ({ normalized: raw, confidence: 0.5, coordinates: null });

/**
 * Why a provider call failed, as a stable code for `debug.source_stats`, health and metrics:
 * `upstream_429`, `upstream_4xx`, `upstream_5xx`, `malformed` (a body not in the provider's
 * format), `network`, `timeout` (its own timeout) or `aborted` (the search's deadline).
 */
export type ProviderFailure = 'upstream_429' | 'upstream_4xx' | 'upstream_5xx' | 'malformed' | 'network' | 'timeout' | 'aborted';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly code: ProviderFailure;
  readonly provider: string;
  /** The upstream's HTTP status, when it answered. */
  readonly status: number | undefined;
  constructor(code: ProviderFailure, provider: string, message: string, status?: number) {
    super(message);
    this.code = code;
    this.provider = provider;
    this.status = status;
  }
}

/** The upstream status class of an HTTP answer that is not a success. */
export function failureOfStatus(status: number): ProviderFailure {
  if (status === 429) return 'upstream_429';
  return status >= 500 ? 'upstream_5xx' : 'upstream_4xx';
}

/** The providers a deployment answers with, as the composition root builds them from settings. */
export interface DiscoveryProviders {
  geocoder: Geocoder;
  /** In the order their places are merged (ties in score keep this order). */
  sources: readonly PlaceSource[];
  /** True for the offline sample set: the answer says so in `debug.sample_data`. */
  sampleData: boolean;
  /** Names the provider set in cache keys (`offline`, or e.g. `geoapify+serpapi+reddit`). */
  signature: string;
}

/** A sample place, as shipped in the offline dataset. */
export interface SamplePlace extends RawPlace {
  /** The sample city it belongs to (a key of the gazetteer). */
  city: string;
  coordinates: Coordinates;
}

/** An upstream endpoint: its base URL (a test points it at a local fake) and its credential. */
export interface Endpoint {
  baseUrl: URL;
  key: string;
}

/**
 * Which providers answer, as settings give them: the offline sample set, or the live providers
 * whose keys are set (Reddit's public search needs none). The composition root turns this into
 * DiscoveryProviders.
 */
export type ProviderSettings =
  | { mode: 'offline' }
  | {
      mode: 'live';
      /** Each upstream call's own timeout. */
      timeoutMs: number;
      geoapify?: Endpoint;
      google?: Endpoint;
      serpapi?: Endpoint;
      /** Reddit's public JSON search; `key` is unused (empty). */
      reddit?: Endpoint;
      eventbrite?: Endpoint;
    };
