/**
 * The deterministic parser: what the pipeline uses when the model fails or no model is
 * configured (the contract's section 9, the upstream's `_parse_heuristically`). Location: the
 * first match of four patterns, in the upstream's order; intent: the first of its 14 keywords
 * found, else "hidden gems"; confidence 0.6 with a location, else 0.3 (location "unknown").
 *
 * Deliberate differences, each a bug of the upstream's regexes seen on ordinary questions:
 * - `in` and `near` must be words, so "Austin TX" or "cabin rentals" do not start a location;
 * - the captured location ends before a joining word or punctuation ("in Asheville this weekend"
 *   is "Asheville", not "Asheville this weekend");
 * - the fourth pattern takes one word, as the contract describes it ("a word ending in city, town,
 *   ville, burg, port"), not every word before it, and not common words like "airport" or "downtown";
 * - "near me" names no location, and the "in" of the keyword "hole in the wall" starts none;
 * - keywords match at the start of a word ("weirdest" counts as "weird"; "bunderground" does not).
 * What the upstream never extracted is added: a radius ("within 5 miles") and a date window.
 */
import type { ParsedQuery } from './types.ts';

/** The upstream's INTENT_KEYWORDS, in its order (the first found wins). */
export const INTENT_KEYWORDS = [
  'hidden gems', 'underground', 'secret spots', 'locals only', 'offbeat', 'weird', 'strange',
  'unique', 'quirky', 'dive bars', 'hole in the wall', 'authentic', 'indie', 'alternative',
] as const;

export const DEFAULT_INTENT = 'hidden gems';
export const UNKNOWN_LOCATION = 'unknown';
/** The upstream's DEFAULT_DATE_EXTEND_DAYS, unused there: a named date opens a window this many days long after it. */
export const DATE_EXTEND_DAYS = 3;
export const MAX_RADIUS_MILES = 500;
const MAX_LOCATION = 100;

/** The upstream's four patterns (see the module comment for the boundaries added). */
const LOCATION_PATTERNS: readonly RegExp[] = [
  /\bin\s+([^,]+,?\s*[a-z]{2})\b/i,
  /\bnear\s+([^,]+)/i,
  /([^,]+,\s*[a-z]{2})\b/i,
  /\b([a-z]+(?:city|town|ville|burg|port))\b/i,
];

/** Words that end a captured location: what follows them is about time, company or purpose. */
const LOCATION_END = /\s(?:for|with|this|next|tonight|today|tomorrow|on|during|that|where|which|who|to|within|from|between|after|before|until)\b|[.!?;:()"]/i;

/** Words the fourth pattern would take for a town. */
const NOT_PLACES = new Set(['airport', 'passport', 'support', 'report', 'import', 'export', 'transport', 'seaport', 'downtown', 'uptown', 'midtown', 'hometown', 'township', 'ethnicity', 'velocity', 'capacity', 'electricity', 'publicity', 'authenticity']);

/** "near me" names no place. */
const VAGUE = new Set(['me', 'here', 'us', 'you', 'my place']);

function trimLocation(captured: string): string {
  const end = captured.search(LOCATION_END);
  const head = end === -1 ? captured : captured.slice(0, end);
  return head.replace(/[\s,]+$/, '').trim().slice(0, MAX_LOCATION).trim();
}

/** The keyword "hole in the wall" holds an "in" that is not a preposition; it is blanked (same length) before the patterns run. */
const HOLE_IN_THE_WALL = /\bhole\s+in\s+the\s+wall\b/gi;

/**
 * What precedes the place in "<X>, <ST>" (the third pattern takes everything before the comma):
 * up to the last word that introduces a place, so "hidden gems within 5 miles of Pikeville, KY"
 * is "Pikeville, KY", not "hidden gems".
 */
const BEFORE_PLACE = /^.*\b(?:of|in|at|near|around|to|from|about|visiting|outside)\s+/i;

export function findLocation(input: string): string | undefined {
  const text = input.replace(HOLE_IN_THE_WALL, (phrase) => ' '.repeat(phrase.length));
  for (const [index, pattern] of LOCATION_PATTERNS.entries()) {
    const match = pattern.exec(text);
    if (!match) continue;
    const location = trimLocation(index === 2 ? match[1]!.replace(BEFORE_PLACE, '') : match[1]!);
    if (location === '') continue;
    if (VAGUE.has(location.toLowerCase()) || (index === 3 && NOT_PLACES.has(location.toLowerCase()))) continue;
    return location;
  }
  return undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const KEYWORD_PATTERNS = INTENT_KEYWORDS.map((keyword) => [keyword, new RegExp(`\\b${escape(keyword)}`, 'i')] as const);

export function findIntent(text: string): string {
  return KEYWORD_PATTERNS.find(([, pattern]) => pattern.test(text))?.[0] ?? DEFAULT_INTENT;
}

const RADIUS = /\b(\d{1,4}(?:\.\d{1,2})?)\s*-?\s*(miles?|mi|km|kilomet(?:er|re)s?)\b/i;

/** "within 5 miles", "a 10 mile radius", "8 km": miles, one decimal; null when absent or out of (0, 500]. */
export function findRadius(text: string): number | null {
  const match = RADIUS.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  const miles = /^k/i.test(match[2]!) ? value * 0.621371 : value;
  const rounded = Math.round(miles * 10) / 10;
  return rounded > 0 && rounded <= MAX_RADIUS_MILES ? rounded : null;
}

const ISO_DATE = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/;
/** US order, as the upstream's examples ("10/31/2025"); a two-digit year is 20YY. */
const US_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})\b/;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function calendarDay(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a date that rolled over was not a date.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : undefined;
}

/** The first numeric date named, as a window of DATE_EXTEND_DAYS days after it; null when none or not a real date. */
export function findDateWindow(text: string): { from: string; to: string } | null {
  let ms: number | undefined;
  const iso = ISO_DATE.exec(text);
  if (iso) ms = calendarDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  else {
    const us = US_DATE.exec(text);
    if (us) ms = calendarDay(us[3]!.length === 2 ? 2000 + Number(us[3]) : Number(us[3]), Number(us[1]), Number(us[2]));
  }
  if (ms === undefined) return null;
  return { from: isoDay(ms), to: isoDay(ms + DATE_EXTEND_DAYS * 86_400_000) };
}

/** The fallback parse of an already checked chat input. */
export function parseFallback(text: string): ParsedQuery {
  const location = findLocation(text);
  return {
    location: location ?? UNKNOWN_LOCATION,
    intent: findIntent(text),
    confidence: location ? 0.6 : 0.3,
    radius_miles: findRadius(text),
    date_window: findDateWindow(text),
    parsed_by: 'fallback',
  };
}
