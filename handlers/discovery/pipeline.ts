/**
 * One search, from checked input to answer: cache, parse, geocode, fan out to the sources,
 * sanitise, score and rank, summarise, cache. Written once for the JSON route and the event
 * stream; the stream hears each source as it finishes (`onSource`).
 *
 * Nothing a provider does fails a search: a failing or slow source is reported in
 * `debug.source_stats` (`failed` or `timeout`, with a code) and the others are returned; a
 * failing geocoder gives the raw text (confidence 0.5); a failing model gives the deterministic
 * parser and the summary template. Only an answer from every configured source is cached, so a
 * passing outage is not served for the next 30 minutes.
 */
import type { LanguageModel } from '../../domain/ai.ts';
import { locationCacheKey, searchCacheKey } from '../../domain/discovery/cache-keys.ts';
import { UNKNOWN_LOCATION } from '../../domain/discovery/parser.ts';
import { sanitisePlaces } from '../../domain/discovery/places.ts';
import { ProviderError, unresolvedLocation, type DiscoveryProviders, type Geocoder, type PlaceSource, type SourceQuery } from '../../domain/discovery/ports.ts';
import { rankPlaces, summarise, UNDERGROUND_KEYWORDS, withinRadius } from '../../domain/discovery/scoring.ts';
import { SOURCES, type ParsedQuery, type RawPlace, type SearchAnswer, type Source, type SourceStatus, type UserLocation } from '../../domain/discovery/types.ts';
import type { Metrics } from '../../domain/metrics.ts';
import type { Logger } from '../../middleware/logger.ts';
import type { DiscoveryCache } from './cache.ts';
import { parseQuery, writeSummary, type CallContext } from './language.ts';
import { DISCOVERY_METRIC } from './metrics.ts';
import type { ProviderHealth } from './provider-health.ts';
import type { DiscoverySettings } from './settings.ts';

export interface PipelineDeps {
  model: LanguageModel;
  metrics: Metrics;
  cache: DiscoveryCache;
  health: ProviderHealth;
  providers: DiscoveryProviders;
  settings: Pick<DiscoverySettings, 'deadlineMs' | 'caps' | 'cache'>;
}

/** What the stream tells a client as each source finishes. */
export interface SourceEvent {
  source: Source;
  count: number;
  status: SourceStatus['status'];
  elapsedMs: number;
  code?: string;
}

export interface SearchRequest extends CallContext {
  /** The checked input (domain/discovery/input.ts). */
  text: string;
  force: boolean;
  requestId: string;
  /** performance.now() when the request arrived: `execution_time_ms` counts from it. */
  startedAt: number;
  log: Pick<Logger, 'warn' | 'info'>;
  onSource?: (event: SourceEvent) => void;
}

const elapsedSince = (startedAt: number) => Math.round(performance.now() - startedAt);

/** Rejects when `signal` aborts, so a source that ignores its signal cannot hold the search past the deadline. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** How a provider's failure is reported: its own timeout and the search's deadline are `timeout`, the rest `failed`. */
function failureOf(error: unknown, deadline: AbortSignal): { status: 'failed' | 'timeout'; code: string; upstream?: number } {
  if (deadline.aborted) return { status: 'timeout', code: 'deadline' };
  if (error instanceof ProviderError) return { status: error.code === 'timeout' ? 'timeout' : 'failed', code: error.code, ...(error.status ? { upstream: error.status } : {}) };
  return { status: 'failed', code: 'internal' };
}

/** The frontend's debug fields (types.ts FrontendDebug), from what the search knew. */
function frontendDebug(parsed: ParsedQuery, location: UserLocation, text: string, elapsedMs: number, sources: readonly string[]) {
  const lower = text.toLowerCase();
  return {
    searchQuery: text,
    processingTime: elapsedMs,
    confidence: parsed.confidence,
    keywords: [parsed.intent, ...UNDERGROUND_KEYWORDS.filter((word) => lower.includes(word) && word !== parsed.intent)],
    geospatialData: { ...(location.coordinates ? { centerPoint: location.coordinates } : {}), ...(parsed.radius_miles ? { searchRadius: parsed.radius_miles } : {}) },
    llmReasoning: `Parsed "${parsed.intent}" near "${location.normalized}" (${parsed.parsed_by === 'model' ? 'language model' : 'rule-based parser'}).`,
    dataSource: [...sources],
  };
}

export function createPipeline(deps: PipelineDeps) {
  const { cache, metrics, health, providers, settings } = deps;
  const sourceDuration = metrics.histogram(DISCOVERY_METRIC.sourceDuration, { unit: 'ms', description: 'Time each source took, per provider and outcome' });
  const sourceFailures = metrics.counter(DISCOVERY_METRIC.sourceFailures, { unit: '{call}', description: 'Source calls that failed or timed out, per provider and code' });
  const searchDuration = metrics.histogram(DISCOVERY_METRIC.searchDuration, { unit: 'ms', description: 'Time to a search answer, cached or not' });

  const searchKey = (text: string) => searchCacheKey(text, providers.signature);

  /** Step 3: the location, from the cache or the geocoder; the raw text (0.5) when it fails. */
  async function geocode(geocoder: Geocoder, raw: string, request: SearchRequest, signal: AbortSignal): Promise<UserLocation> {
    const fallback = unresolvedLocation(raw);
    if (raw === UNKNOWN_LOCATION) return fallback;
    const key = locationCacheKey(raw);
    if (!request.force) {
      const hit = await cache.get<UserLocation>('location', key);
      if (hit) return hit.value;
    }
    const started = performance.now();
    try {
      const location = await unlessAborted(geocoder.geocode(raw, signal), signal);
      health.record(geocoder.provider, { outcome: 'ok', latency_ms: elapsedSince(started) });
      await cache.set('location', key, location, settings.cache.locationTtlSeconds);
      return location;
    } catch (error) {
      const failure = failureOf(error, signal);
      health.record(geocoder.provider, { outcome: failure.status === 'timeout' ? 'timeout' : 'failed', code: failure.code, ...(failure.upstream ? { upstream_status: failure.upstream } : {}), latency_ms: elapsedSince(started) });
      request.log.warn({ provider: geocoder.provider, code: failure.code }, 'geocoding failed; using the raw location');
      return fallback;
    }
  }

  /** Step 4, one source: its places, or its failure as a status; never throws. */
  async function ask(source: PlaceSource, query: SourceQuery, deadline: AbortSignal, request: SearchRequest): Promise<{ places: RawPlace[]; status: SourceStatus }> {
    const started = performance.now();
    let places: RawPlace[] = [];
    let status: SourceStatus;
    try {
      places = await unlessAborted(source.search(query, deadline), deadline);
      status = { status: 'success', count: places.length, elapsed_ms: elapsedSince(started) };
      health.record(source.provider, { outcome: 'ok', latency_ms: status.elapsed_ms });
    } catch (error) {
      const failure = failureOf(error, deadline);
      status = { status: failure.status, count: 0, elapsed_ms: elapsedSince(started), code: failure.code };
      health.record(source.provider, { outcome: failure.status, code: failure.code, ...(failure.upstream ? { upstream_status: failure.upstream } : {}), latency_ms: status.elapsed_ms });
      sourceFailures.add(1, { provider: source.provider, code: failure.code });
      // An operator sees every failure, not only the counters; only an unexpected one carries its error.
      request.log.warn({ provider: source.provider, code: failure.code, ...(failure.code === 'internal' ? { err: error } : {}) }, 'a source failed');
    }
    sourceDuration.record(status.elapsed_ms, { provider: source.provider, status: status.status });
    request.onSource?.({ source: source.source, count: status.count, status: status.status, elapsedMs: status.elapsed_ms, ...(status.code ? { code: status.code } : {}) });
    return { places, status };
  }

  return {
    /** The cached answer to this input (unless `force`), with this request's id, time and `cache: "hit"`. */
    async cached(request: SearchRequest): Promise<SearchAnswer | undefined> {
      if (request.force) return undefined;
      const hit = await cache.get<SearchAnswer>('search', searchKey(request.text));
      if (!hit) return undefined;
      const elapsed = elapsedSince(request.startedAt);
      searchDuration.record(elapsed, { cache: 'hit' });
      return { ...hit.value, debug: { ...hit.value.debug, request_id: request.requestId, execution_time_ms: elapsed, processingTime: elapsed, cache: 'hit', cache_layer: hit.layer } };
    },

    /** The whole pipeline, then the cache written (both layers) when every source answered. */
    async run(request: SearchRequest): Promise<SearchAnswer> {
      const call: CallContext = { requestId: request.requestId, ...(request.traceparent ? { traceparent: request.traceparent } : {}), ...(request.userId ? { userId: request.userId } : {}), ...(request.signal ? { signal: request.signal } : {}) };
      const parsed = await parseQuery(deps.model, request.text, call);
      // One deadline for everything that waits on a provider; the client leaving ends it too.
      const timer = AbortSignal.timeout(settings.deadlineMs);
      const deadline = request.signal ? AbortSignal.any([timer, request.signal]) : timer;
      const location = await geocode(providers.geocoder, parsed.location, request, deadline);
      const query: SourceQuery = { intent: parsed.intent, rawLocation: parsed.location, location, radiusMiles: parsed.radius_miles, dateWindow: parsed.date_window };
      const answers = await Promise.all(providers.sources.map((source) => ask(source, query, deadline, request)));

      const stats: Partial<Record<Source, SourceStatus>> = {};
      for (const source of SOURCES) stats[source] = { status: 'skipped', count: 0, elapsed_ms: 0, code: 'not_configured' };
      providers.sources.forEach((source, index) => (stats[source.source] = answers[index]!.status));
      const candidates = withinRadius(sanitisePlaces(answers.flatMap((answer) => answer.places)), location.coordinates, parsed.radius_miles);
      const places = rankPlaces(candidates, { intent: parsed.intent, location: location.normalized, coordinates: location.coordinates }, settings.caps);
      const response = await writeSummary(deps.model, { intent: parsed.intent, location: location.normalized }, places, call);

      const elapsed = elapsedSince(request.startedAt);
      const answer: SearchAnswer = {
        user_intent: parsed.intent,
        user_location: location.normalized,
        response,
        places,
        debug: {
          request_id: request.requestId,
          execution_time_ms: elapsed,
          cache: null,
          parsed,
          normalized_location: location,
          source_stats: stats,
          scoring_summary: summarise(places),
          sample_data: providers.sampleData,
          ...frontendDebug(parsed, location, request.text, elapsed, providers.sources.map((source) => source.provider)),
        },
      };
      searchDuration.record(elapsed, { cache: 'miss' });
      if (answers.every((answer) => answer.status.status === 'success')) await cache.set('search', searchKey(request.text), answer, settings.cache.searchTtlSeconds);
      request.log.info({ elapsedMs: elapsed, places: places.length, primary: places.filter((place) => place.category === 'primary').length, parsedBy: parsed.parsed_by }, 'search complete');
      return answer;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
