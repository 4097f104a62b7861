/**
 * Scoring and ranking (issue 12, pipeline step 5). One additive formula, the upstream Python's
 * (contract section 10) with the two signals the issue asks for and it lacked: a location match
 * and, when both ends have coordinates, distance. Text is "<name> <description>", matched
 * case-insensitively at word boundaries (the upstream matched substrings, so "dive" scored on
 * "diverse" and "local" on "locale"). Points, in thousandths so sums are exact:
 *
 *   intent     0.30 x (1 when the intent phrase appears, else the share of its words that do)
 *   location   0.15 x the share of the location's first part's words that appear ("Pikeville, KY": pikeville)
 *   keywords   0.10 per distinct underground keyword present, at most 0.40
 *   source     reddit 0.20, serp 0.15, eventbrite 0.10
 *   popularity 0.10 for a reddit post above 100 upvotes (a missing count is 0, not the upstream's TypeError)
 *   distance   0.15 within 5 mi, 0.10 within 15, 0.05 within 35, else 0 (only when both coordinates are known)
 *
 * The sum is capped at 1 and rounded to three decimals. `primary` at >= 0.5, else `nearby`;
 * duplicates by URL keep the best-scored; primary first, then nearby, each by score descending
 * (ties keep the input order), each capped.
 */
import type { Category, CleanPlace, Coordinates, Place, ScoringSummary, Source } from './types.ts';

export const PRIMARY_THRESHOLD = 0.5;

/** In thousandths. */
export const POINTS = {
  intent: 300,
  location: 150,
  keyword: 100,
  keywordsMax: 400,
  source: { reddit: 200, serp: 150, eventbrite: 100 } satisfies Record<Source, number>,
  popular: 100,
  distance: [[5, 150], [15, 100], [35, 50]] as const,
} as const;

export const POPULAR_UPVOTES = 100;

/** The upstream's 14 underground keywords. */
export const UNDERGROUND_KEYWORDS = [
  'underground', 'hidden', 'secret', 'local', 'offbeat', 'alternative', 'indie', 'dive',
  'authentic', 'quirky', 'weird', 'unique', 'undiscovered', 'locals only',
] as const;

export interface Caps {
  primary: number;
  nearby: number;
}

/** The upstream Python had no caps and the JS variant 5 and 2; these are the service's defaults until settings say otherwise. */
export const DEFAULT_CAPS: Caps = { primary: 10, nearby: 5 };

export interface ScoringContext {
  intent: string;
  location: string;
  /** The searched place's coordinates, when the geocoder knew them. */
  coordinates?: Coordinates | null;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * A word or phrase at word boundaries; a plural "s" still counts ("locals", "secrets"). The
 * boundaries are Unicode letters and digits, not `\b`, which would see no end to "Bogotá".
 */
const wordPattern = (phrase: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase).replace(/\s+/g, '\\s+')}s?(?![\\p{L}\\p{N}])`, 'iu');
const KEYWORD_PATTERNS = UNDERGROUND_KEYWORDS.map(wordPattern);

/** Words that carry no meaning in an intent or a place name. */
const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'things', 'stuff', 'places', 'spots', 'what', 'where', 'some', 'any', 'city', 'county']);
const significantWords = (text: string) =>
  [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((word) => word.length > 2 && !STOP_WORDS.has(word));

function share(words: readonly string[], text: string): number {
  if (words.length === 0) return 0;
  return words.filter((word) => wordPattern(word).test(text)).length / words.length;
}

function intentMatch(intent: string, text: string): number {
  const phrase = intent.trim();
  if (phrase === '') return 0;
  return wordPattern(phrase).test(text) ? 1 : share(significantWords(phrase), text);
}

function locationMatch(location: string, text: string): number {
  const name = location.split(',')[0]!.trim();
  if (name === '' || name.toLowerCase() === 'unknown') return 0;
  return share(significantWords(name), text);
}

/** Great-circle distance in miles (R = 3959 mi, as the upstream JS). */
export function distanceMiles(a: Coordinates, b: Coordinates): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 3959 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function distancePoints(from: Coordinates | null | undefined, to: Coordinates | null | undefined): number {
  if (!from || !to) return 0;
  const miles = distanceMiles(from, to);
  return POINTS.distance.find(([limit]) => miles <= limit)?.[1] ?? 0;
}

/** The score of one sanitised place, in [0, 1], three decimals. */
export function scorePlace(place: CleanPlace, context: ScoringContext): number {
  const text = `${place.name} ${place.description}`;
  const keywords = KEYWORD_PATTERNS.filter((pattern) => pattern.test(text)).length;
  const points =
    Math.round(POINTS.intent * intentMatch(context.intent, text)) +
    Math.round(POINTS.location * locationMatch(context.location, text)) +
    Math.min(POINTS.keyword * keywords, POINTS.keywordsMax) +
    POINTS.source[place.source] +
    (place.source === 'reddit' && (place.upvotes ?? 0) > POPULAR_UPVOTES ? POINTS.popular : 0) +
    distancePoints(context.coordinates, place.coordinates);
  return Math.min(points, 1000) / 1000;
}

export const categoryOf = (score: number): Category => (score >= PRIMARY_THRESHOLD ? 'primary' : 'nearby');

/**
 * The key two results are duplicates by: scheme (http and https alike), `www.` and case of the
 * host, a trailing slash, the fragment and `utm_*` tracking parameters do not make a new place.
 */
export function dedupeKey(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
    const params = [...parsed.searchParams].filter(([name]) => !/^utm_/i.test(name)).map(([k, v]) => `${k}=${v}`).sort();
    const path = parsed.pathname.replace(/\/+$/, '');
    return `${host}${parsed.port ? `:${parsed.port}` : ''}${path}${params.length ? `?${params.join('&')}` : ''}`;
  } catch {
    return url;
  }
}

/** Scores, de-duplicates, categorises, sorts and caps: the `places` of the answer. */
export function rankPlaces(places: readonly CleanPlace[], context: ScoringContext, caps: Caps = DEFAULT_CAPS): Place[] {
  // Per URL key: the best-scored place, and where the key first appeared (ties keep the input order).
  const best = new Map<string, { place: Place; first: number }>();
  places.forEach((place, index) => {
    const score = scorePlace(place, context);
    const key = dedupeKey(place.url);
    const kept = best.get(key);
    if (kept && kept.place.score >= score) return;
    const ranked: Place = { name: place.name, description: place.description, source: place.source, url: place.url, score, category: categoryOf(score) };
    if (place.coordinates) Object.assign(ranked, { lat: place.coordinates.lat, lng: place.coordinates.lng });
    best.set(key, { place: ranked, first: kept?.first ?? index });
  });
  const ordered = [...best.values()].sort((a, b) => b.place.score - a.place.score || a.first - b.first).map(({ place }) => place);
  const primary = ordered.filter((place) => place.category === 'primary').slice(0, Math.max(0, caps.primary));
  const nearby = ordered.filter((place) => place.category === 'nearby').slice(0, Math.max(0, caps.nearby));
  return [...primary, ...nearby];
}

/**
 * The places within `radiusMiles` of the searched place, when the query named a radius and both
 * ends have coordinates; a place without coordinates is kept (its distance is unknown).
 */
export function withinRadius<T extends CleanPlace>(places: readonly T[], center: Coordinates | null | undefined, radiusMiles: number | null): T[] {
  if (!center || radiusMiles === null) return [...places];
  return places.filter((place) => !place.coordinates || distanceMiles(center, place.coordinates) <= radiusMiles);
}

/** The upstream's scoring summary, over the places returned; all zeros when there are none. */
export function summarise(places: readonly Place[]): ScoringSummary {
  if (places.length === 0) return { total_results: 0, average_score: 0, max_score: 0, min_score: 0 };
  const scores = places.map((place) => place.score);
  const average = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return { total_results: scores.length, average_score: Math.round(average * 1000) / 1000, max_score: Math.max(...scores), min_score: Math.min(...scores) };
}
