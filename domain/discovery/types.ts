/**
 * The discovery service's shapes (issue 12). The wire names are snake_case because the real
 * Underfoot frontend reads them unchanged (`POST /api/underfoot/search`: `places` and `debug`).
 */

export const SOURCES = ['serp', 'reddit', 'eventbrite'] as const;
export type Source = (typeof SOURCES)[number];

export type Category = 'primary' | 'nearby';

export interface Coordinates {
  lat: number;
  lng: number;
}

/** What a provider adapter hands the pipeline, before sanitising and scoring. */
export interface RawPlace {
  source: Source;
  name: string;
  description: string;
  url: string;
  coordinates?: Coordinates | null;
  /** Reddit only: the post's upvotes (a popularity signal in the score). */
  upvotes?: number | null;
}

/** A candidate after sanitising: plain text, an http(s) URL, nothing else changed. */
export type CleanPlace = RawPlace;

/** One place of the answer, exactly the upstream's wire shape. */
export interface Place {
  name: string;
  description: string;
  source: Source;
  url: string;
  /** In [0, 1], three decimals. */
  score: number;
  /** `primary` when score >= PRIMARY_THRESHOLD. */
  category: Category;
  /**
   * The place's coordinates when its source knew them. Not in the upstream's shape: the real
   * frontend reads `lat`/`lng` for its map markers, which otherwise all land at 0,0.
   */
  lat?: number;
  lng?: number;
}

/** What the model (or the fallback parser) reads from the chat input. */
export interface ParsedQuery {
  /** Free text as typed (e.g. "Pikeville KY"), or `unknown` when nothing was found. */
  location: string;
  intent: string;
  /** 0.8 from the model (the upstream's constant); 0.6 / 0.3 from the fallback. */
  confidence: number;
  /** What the upstream never extracted: "within 5 miles". */
  radius_miles: number | null;
  /** Inclusive ISO dates (YYYY-MM-DD), or null when the input names no date. */
  date_window: { from: string; to: string } | null;
  parsed_by: 'model' | 'fallback';
}

/** The geocoder's answer; a failure falls back to the raw text with confidence 0.5. */
export interface UserLocation {
  normalized: string;
  confidence: number;
  coordinates: Coordinates | null;
}

export type SourceState = 'success' | 'failed' | 'timeout' | 'skipped';

/** `debug.source_stats[<source>]`: a slow or failing source is reported here, never fails the search. */
export interface SourceStatus {
  status: SourceState;
  count: number;
  elapsed_ms: number;
  /** A stable code when status is failed or timeout (e.g. `upstream_429`, `deadline`). */
  code?: string;
}

export interface ScoringSummary {
  total_results: number;
  average_score: number;
  max_score: number;
  min_score: number;
}

/**
 * What the real frontend's debug panel reads (its `DebugData`): it uses `debug` verbatim and
 * calls `keywords.map` and `processingTime.toFixed`, so an upstream answer (snake_case only)
 * made the panel throw when opened (contract §14). Portico sends both.
 */
export interface FrontendDebug {
  searchQuery: string;
  processingTime: number;
  confidence: number;
  keywords: string[];
  geospatialData: { centerPoint?: Coordinates; searchRadius?: number };
  llmReasoning: string;
  dataSource: string[];
}

export interface SearchDebug extends FrontendDebug {
  request_id: string;
  execution_time_ms: number;
  /** `"hit"` on a cache hit and null otherwise (the upstream's FA2/DJ shape). */
  cache: 'hit' | null;
  /** Which layer answered a hit: this instance's memory, or the shared Cosmos container. */
  cache_layer?: 'memory' | 'cosmos';
  parsed: ParsedQuery;
  normalized_location: UserLocation;
  source_stats: Partial<Record<Source, SourceStatus>>;
  scoring_summary: ScoringSummary;
  /** True when the offline provider set answered: the places are sample data. */
  sample_data: boolean;
}

/** 200 of `POST /api/underfoot/search`. */
export interface SearchAnswer {
  user_intent: string;
  user_location: string;
  response: string;
  places: Place[];
  debug: SearchDebug;
}
