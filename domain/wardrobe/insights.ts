/**
 * Vault insights: exact analytics over a user's active items. Money is summed in integer minor
 * units of its own currency (never across currencies), so totals carry no floating-point drift.
 * Everything is an array with a stated order, so the answer is deterministic for a dataset.
 */
import { currencyDigits, isKnownCurrency } from './item-rules.ts';
import type { WardrobeItem } from './items.ts';

export const UNWORN_DAYS = 90;
export const RANKED_ITEMS = 5;
const DAY_MS = 86_400_000;

export type InsightItem = Pick<WardrobeItem, 'id' | 'name' | 'category' | 'colours' | 'price' | 'currency' | 'wearCount' | 'lastWornAt' | 'status' | 'createdAt'>;

export interface VaultInsights {
  generatedAt: string;
  /** Active items counted (drafts are not part of the vault). */
  itemCount: number;
  /** Most items first, then by name. */
  countsByCategory: { category: string; count: number }[];
  /** Items having a colour of that name (an item counts once per distinct name); most first, then by name. */
  countsByColour: { colour: string; count: number }[];
  /** One entry per currency, by code; an item without a price is not counted. */
  totalValue: { currency: string; amount: number; itemCount: number }[];
  /** Priced items: price / max(wearCount, 1), rounded half-up to the currency's minor unit. By currency, dearest first. */
  costPerWear: { itemId: string; name: string; currency: string; price: number; wearCount: number; costPerWear: number }[];
  /** Worn items, most wears first (then latest worn, name, id); at most RANKED_ITEMS. */
  mostWorn: RankedItem[];
  /** Fewest wears first (then longest since worn, never first; name; id); at most RANKED_ITEMS. */
  leastWorn: RankedItem[];
  /** Never worn and added at least UNWORN_DAYS ago, or last worn at least UNWORN_DAYS ago; longest idle first. */
  unworn: { itemId: string; name: string; lastWornAt: string | null; idleSince: string; idleDays: number }[];
  unwornDays: number;
}

export interface RankedItem {
  itemId: string;
  name: string;
  wearCount: number;
  lastWornAt: string | null;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const time = (iso: string | null) => (iso === null ? Number.NEGATIVE_INFINITY : Date.parse(iso));

/** Half-up rounding to `digits` decimals, done in integers so 0.125 -> 0.13 as on paper. */
function roundMoney(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(Number((value * scale).toPrecision(12))) / scale;
}

function counted(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

const rankedCounts = <K extends string>(counts: Map<string, number>, label: K) =>
  [...counts]
    .sort(([a, x], [b, y]) => y - x || byText(a, b))
    .map(([key, count]) => ({ [label]: key, count }) as { [P in K]: string } & { count: number });

const ranked = (item: InsightItem): RankedItem => ({ itemId: item.id, name: item.name, wearCount: item.wearCount, lastWornAt: item.lastWornAt });

export function vaultInsights(all: readonly InsightItem[], now: Date): VaultInsights {
  const items = all.filter((item) => item.status === 'active');
  const priced = items.filter(
    (item): item is InsightItem & { price: number; currency: string } => typeof item.price === 'number' && typeof item.currency === 'string' && isKnownCurrency(item.currency),
  );

  const totals = new Map<string, { minor: number; itemCount: number }>();
  for (const item of priced) {
    const scale = 10 ** currencyDigits(item.currency);
    const total = totals.get(item.currency) ?? { minor: 0, itemCount: 0 };
    total.minor += Math.round(Number((item.price * scale).toPrecision(12)));
    total.itemCount += 1;
    totals.set(item.currency, total);
  }

  const cutoff = now.getTime() - UNWORN_DAYS * DAY_MS;
  const unworn = items
    .map((item) => ({ item, idleSince: item.lastWornAt ?? item.createdAt }))
    .filter(({ idleSince }) => Date.parse(idleSince) <= cutoff)
    .sort((a, b) => Date.parse(a.idleSince) - Date.parse(b.idleSince) || byText(a.item.name, b.item.name) || byText(a.item.id, b.item.id))
    .map(({ item, idleSince }) => ({
      itemId: item.id,
      name: item.name,
      lastWornAt: item.lastWornAt,
      idleSince,
      idleDays: Math.floor((now.getTime() - Date.parse(idleSince)) / DAY_MS),
    }));

  return {
    generatedAt: now.toISOString(),
    itemCount: items.length,
    countsByCategory: rankedCounts(counted(items.map((item) => item.category)), 'category'),
    countsByColour: rankedCounts(counted(items.flatMap((item) => [...new Set(item.colours.map((colour) => colour.name))])), 'colour'),
    totalValue: [...totals]
      .sort(([a], [b]) => byText(a, b))
      .map(([currency, total]) => ({ currency, amount: total.minor / 10 ** currencyDigits(currency), itemCount: total.itemCount })),
    costPerWear: priced
      .map((item) => ({
        itemId: item.id,
        name: item.name,
        currency: item.currency,
        price: item.price,
        wearCount: item.wearCount,
        costPerWear: roundMoney(item.price / Math.max(item.wearCount, 1), currencyDigits(item.currency)),
      }))
      .sort((a, b) => byText(a.currency, b.currency) || b.costPerWear - a.costPerWear || byText(a.name, b.name) || byText(a.itemId, b.itemId)),
    mostWorn: items
      .filter((item) => item.wearCount > 0)
      .sort((a, b) => b.wearCount - a.wearCount || time(b.lastWornAt) - time(a.lastWornAt) || byText(a.name, b.name) || byText(a.id, b.id))
      .slice(0, RANKED_ITEMS)
      .map(ranked),
    leastWorn: [...items]
      .sort((a, b) => a.wearCount - b.wearCount || time(a.lastWornAt) - time(b.lastWornAt) || byText(a.name, b.name) || byText(a.id, b.id))
      .slice(0, RANKED_ITEMS)
      .map(ranked),
    unworn,
    unwornDays: UNWORN_DAYS,
  };
}
