/**
 * The wardrobe digest in the shape the PluckIt clients read (contract section 7.3): a handful of
 * closet-first suggestions, each `{item, rationale}` with `item` a description (both clients
 * decode it as a string), and the facts they came from. A digest is named by the wardrobe it was
 * built from (`wardrobeHash`), so an unchanged wardrobe needs no new one. Pure: the caller reads
 * the finalised items and stores the result.
 */
import type { StoredClothingItem } from './clothing-item.ts';

/** An item idle this long is worth a "wear it" suggestion. */
export const UNWORN_DAYS = 30;
export const UNWORN_SUGGESTIONS = 3;
/** Both clients show a short list: at most this many suggestions. */
export const MAX_SUGGESTIONS = 5;
/** The categories a working wardrobe has; a missing one is a gap worth a suggestion. */
export const CORE_CATEGORIES = ['tops', 'bottoms', 'shoes', 'outerwear'] as const;

const DAY_MS = 86_400_000;

export type DigestItem = Pick<StoredClothingItem, 'id' | 'category' | 'brand' | 'colours' | 'wearCount' | 'lastWornAt' | 'dateAdded'>;

export interface DigestSuggestion {
  /** What to wear or add, in words. */
  item: string;
  rationale: string;
  /** The wardrobe item a "wear it" suggestion is about (the clients ignore it; it lets them link to it). */
  itemId?: string;
}

export interface DigestContent {
  wardrobeHash: string;
  suggestions: DigestSuggestion[];
  stylesConsidered: string[];
  totalItems: number;
  itemsWithWearHistory: number;
  /** The profile's climate zone, when it has one. */
  climateZone?: string;
}

/** ISO 8601 week of a date (UTC), `YYYY-Www`: Monday-based, week 1 holds the year's first Thursday. */
export function isoWeekOf(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * What the wardrobe hash is taken of: the sorted `id:wearCount` pairs, which change when an item
 * is added, removed or worn, that is when the suggestions can change.
 */
export function wardrobeKey(items: readonly Pick<DigestItem, 'id' | 'wearCount'>[]): string {
  return items.map((item) => `${item.id}:${item.wearCount ?? 0}`).sort().join(',');
}

/** The id the clients send back with their feedback: `<userId>-<wardrobeHash>`. */
export const digestIdOf = (userId: string, hash: string) => `${userId}-${hash}`;

/** An item in words: its first colour, brand and category, e.g. `navy Acme blazer`. */
export function describeItem(item: Pick<DigestItem, 'colours' | 'brand' | 'category'>): string {
  const words = [item.colours?.[0]?.name.trim().toLowerCase(), item.brand?.trim(), item.category?.trim().toLowerCase()].filter((word): word is string => Boolean(word));
  return words.length > 0 ? words.join(' ') : 'piece';
}

/** `wardrobeHash` is the caller's hash of wardrobeKey(items) (hashing is not the domain's job). */
export function composeDigest(input: { items: readonly DigestItem[]; wardrobeHash: string; asOf: Date; stylesConsidered?: readonly string[]; climateZone?: string | undefined }): DigestContent {
  const asOfMs = input.asOf.getTime();
  const idle = input.items
    .flatMap((item) => {
      const since = item.lastWornAt ?? item.dateAdded;
      if (!since || Number.isNaN(Date.parse(since))) return [];
      return [{ item, days: Math.floor((asOfMs - Date.parse(since)) / DAY_MS) }];
    })
    .filter(({ days }) => days >= UNWORN_DAYS)
    .sort((a, b) => b.days - a.days || (a.item.id < b.item.id ? -1 : 1));

  const wear = idle.slice(0, UNWORN_SUGGESTIONS).map(({ item, days }): DigestSuggestion => ({
    item: `Your ${describeItem(item)}`,
    rationale: item.lastWornAt ? `Not worn for ${days} days: give it an outing this week.` : `Never worn since you added it ${days} days ago: style it into an outfit this week.`,
    itemId: item.id,
  }));

  const owned = new Set(input.items.map((item) => item.category?.trim().toLowerCase()));
  const gaps =
    input.items.length === 0
      ? []
      : CORE_CATEGORIES.filter((category) => !owned.has(category)).map((category): DigestSuggestion => ({
          item: `A versatile piece for ${category}`,
          rationale: `Your wardrobe has no ${category} yet: one would make more outfits from what you own.`,
        }));

  return {
    wardrobeHash: input.wardrobeHash,
    suggestions: [...wear, ...gaps].slice(0, MAX_SUGGESTIONS),
    stylesConsidered: [...(input.stylesConsidered ?? [])],
    totalItems: input.items.length,
    itemsWithWearHistory: input.items.filter((item) => (item.wearCount ?? 0) > 0).length,
    ...(input.climateZone ? { climateZone: input.climateZone } : {}),
  };
}
