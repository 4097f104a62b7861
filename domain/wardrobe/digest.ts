/**
 * The weekly digest, composed from a user's items and their previous digest: items unworn for
 * 30 days, cost-per-wear changes since then, deterministic suggestions, and the offline summary
 * sentence. Pure: the caller reads the items and stores the result.
 */
import type { WardrobeItem } from './items.ts';

export const UNWORN_DAYS = 30;
export const UNWORN_LIST_LIMIT = 10;
export const COST_PER_WEAR_LIMIT = 20;
export const UNWORN_SUGGESTIONS = 3;
/** The categories a working wardrobe has; a missing one is a gap worth a suggestion. */
export const CORE_CATEGORIES = ['tops', 'bottoms', 'shoes', 'outerwear'] as const;

const DAY_MS = 86_400_000;

/** ISO 8601 week of a date (UTC), `YYYY-Www`: Monday-based, week 1 holds the year's first Thursday. */
export function isoWeekOf(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export type DigestItem = Pick<WardrobeItem, 'id' | 'name' | 'category' | 'price' | 'currency' | 'wearCount' | 'lastWornAt' | 'status' | 'createdAt'>;

/** What a digest remembers of each item, so the next one can say what changed. */
export interface ItemSnapshot {
  itemId: string;
  wearCount: number;
  price: number | null;
}

export interface UnwornItem {
  itemId: string;
  name: string;
  category: string;
  /** Days since the last wear, or since it was added when never worn. */
  days: number;
  lastWornAt: string | null;
}

export interface CostPerWearChange {
  itemId: string;
  name: string;
  currency: string | null;
  priceThen: number;
  priceNow: number;
  wearsThen: number;
  wearsNow: number;
  /** price / wears, two decimals; null with no wears. */
  costPerWearThen: number | null;
  costPerWearNow: number | null;
}

export type Suggestion =
  | { kind: 'wear-unworn'; itemId: string; text: string }
  | { kind: 'fill-gap'; category: string; text: string };

export interface DigestContent {
  week: string;
  asOf: string;
  /** The week of the digest the changes are measured against, if any. */
  previousWeek: string | null;
  itemCount: number;
  unworn: { count: number; items: UnwornItem[] };
  costPerWear: CostPerWearChange[];
  suggestions: Suggestion[];
  snapshot: ItemSnapshot[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;
export const costPerWear = (price: number | null, wears: number): number | null => (price === null || wears <= 0 ? null : round2(price / wears));

export function composeDigest(input: { items: readonly DigestItem[]; previous?: { week: string; snapshot: readonly ItemSnapshot[] } | undefined; asOf: Date }): DigestContent {
  const asOfMs = input.asOf.getTime();
  const items = input.items.filter((item) => item.status === 'active');
  const byName = (a: { name: string; itemId: string }, b: { name: string; itemId: string }) => (a.name === b.name ? (a.itemId < b.itemId ? -1 : 1) : a.name < b.name ? -1 : 1);

  const unworn = items
    .map((item) => {
      const since = Date.parse(item.lastWornAt ?? item.createdAt);
      return { itemId: item.id, name: item.name, category: item.category, days: Math.floor((asOfMs - since) / DAY_MS), lastWornAt: item.lastWornAt };
    })
    .filter((item) => item.days >= UNWORN_DAYS)
    .sort((a, b) => b.days - a.days || byName(a, b));

  const then = new Map((input.previous?.snapshot ?? []).map((entry) => [entry.itemId, entry]));
  const changes: CostPerWearChange[] = [];
  for (const item of items) {
    const before = then.get(item.id);
    if (!before || before.price === null || item.price === null) continue;
    if (before.wearCount === item.wearCount && before.price === item.price) continue;
    changes.push({
      itemId: item.id,
      name: item.name,
      currency: item.currency,
      priceThen: before.price,
      priceNow: item.price,
      wearsThen: before.wearCount,
      wearsNow: item.wearCount,
      costPerWearThen: costPerWear(before.price, before.wearCount),
      costPerWearNow: costPerWear(item.price, item.wearCount),
    });
  }
  // Biggest improvement first: an item's first wear counts as the whole price saved.
  const drop = (change: CostPerWearChange) => (change.costPerWearThen ?? change.priceThen) - (change.costPerWearNow ?? change.priceNow);
  changes.sort((a, b) => drop(b) - drop(a) || byName(a, b));

  const owned = new Set(items.map((item) => item.category.trim().toLowerCase()));
  const suggestions: Suggestion[] = [
    ...unworn.slice(0, UNWORN_SUGGESTIONS).map((item): Suggestion => ({
      kind: 'wear-unworn',
      itemId: item.itemId,
      text: item.lastWornAt ? `Wear your ${item.name}: it has not been worn for ${item.days} days.` : `Wear your ${item.name}: it has not been worn since it was added ${item.days} days ago.`,
    })),
    ...(items.length === 0
      ? []
      : CORE_CATEGORIES.filter((category) => !owned.has(category)).map((category): Suggestion => ({ kind: 'fill-gap', category, text: `Your wardrobe has no ${category} yet: adding some would make more outfits.` }))),
  ];

  return {
    week: isoWeekOf(input.asOf),
    asOf: input.asOf.toISOString(),
    previousWeek: input.previous?.week ?? null,
    itemCount: items.length,
    unworn: { count: unworn.length, items: unworn.slice(0, UNWORN_LIST_LIMIT) },
    costPerWear: changes.slice(0, COST_PER_WEAR_LIMIT),
    suggestions,
    snapshot: items.map((item) => ({ itemId: item.id, wearCount: item.wearCount, price: item.price })).sort((a, b) => (a.itemId < b.itemId ? -1 : 1)),
  };
}

/** The offline provider's summary: one deterministic sentence from the numbers. */
export function offlineSummary(content: DigestContent): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return (
    `Week ${content.week}: ${plural(content.itemCount, 'item')} in your wardrobe, ${content.unworn.count} unworn for ${UNWORN_DAYS}+ days, ` +
    `${plural(content.costPerWear.length, 'cost-per-wear change')} and ${plural(content.suggestions.length, 'suggestion')}.`
  );
}
