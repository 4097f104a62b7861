/**
 * Vault insights in the shape the PluckIt clients read (contract section 7.4): behavioural facts
 * over the wardrobe and, per item, cost per wear against a target, whether it broke even, how its
 * recent wear rate compares with its lifetime one, and the month it should reach the target.
 * Pure: the caller reads the finalised items and passes the clock.
 *
 * Money: there is no FX source, so nothing is converted. The answer is in one currency (the
 * profile's when given, else the one most priced items use); items priced in another currency
 * count as unpriced and `conversionStatus` says `not_converted`. `fxDate` is therefore null.
 *
 * Wears: the items keep their newest 30 wear events (MAX_WEAR_EVENTS), so "recent" wears are those
 * of the kept events inside the window; an item worn more than 30 times in the window is undercounted.
 */
import { isoSeconds } from '../time.ts';
import type { StoredClothingItem } from './clothing-item.ts';

export const DEFAULT_WINDOW_DAYS = 90;
export const DEFAULT_TARGET_CPW = 100;
/** `unworn90dPct` is over a fixed 90 days, whatever the window (its name says so). */
export const UNWORN_DAYS = 90;
/** Fewer items with any wear than this, and the history is too sparse to read much into. */
export const SPARSE_HISTORY_BELOW = 5;
/** Without recent wears, a forecast assumes at least this many wears a month. */
export const FORECAST_MIN_RATE = 0.3;
export const FALLBACK_CURRENCY = 'USD';

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 30;

export type InsightItem = Pick<StoredClothingItem, 'id' | 'colours' | 'price' | 'wearCount' | 'lastWornAt' | 'wearEvents' | 'dateAdded'>;

export type CpwBadge = 'unworn' | 'high' | 'medium' | 'low' | 'unknown';
export type WearRateTrend = 'up' | 'down' | 'stable';

export interface CpwForecast {
  targetCpw: number;
  /** `YYYY-MM`. */
  projectedMonth: string;
  projectedWearsNeeded: number;
  recentWearRate: number;
  historicalWearRate: number;
  wearRateTrend: WearRateTrend;
}

export interface CpwIntel {
  itemId: string;
  cpw: number | null;
  badge: CpwBadge;
  breakEvenReached: boolean;
  breakEvenTargetCpw: number;
  /** Wears a month inside the window. */
  recentWearRate: number;
  /** Wears a month since the item was added. */
  historicalWearRate: number;
  wearRateTrend: WearRateTrend;
  wearRateDelta: number;
  /** Null when the item has no price in the answer's currency. */
  forecast: CpwForecast | null;
}

export interface VaultInsights {
  generatedAt: string;
  currency: string;
  insufficientData: boolean;
  fxDate: string | null;
  /** `not_needed`: every priced item is in `currency`; `not_converted`: some are not, and count as unpriced. */
  conversionStatus: 'not_needed' | 'not_converted';
  behavioralInsights: {
    topColorWearShare: { color: string; pct: number } | null;
    unworn90dPct: number | null;
    mostExpensiveUnworn: { itemId: string; amount: number; currency: string } | null;
    sparseHistory: boolean;
  };
  cpwIntel: CpwIntel[];
}

export interface InsightOptions {
  now: Date;
  windowDays?: number;
  targetCpw?: number;
  /** The profile's currency; absent: the currency most priced items use. */
  preferredCurrency?: string | undefined;
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  // toPrecision first, so 0.125 rounds to 0.13 as on paper rather than to its binary neighbour.
  return Math.round(Number((value * scale).toPrecision(12))) / scale;
};
const round1 = (value: number) => round(value, 1);
const round2 = (value: number) => round(value, 2);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const wearsOf = (item: InsightItem) => Math.max(0, item.wearCount ?? 0);
/** The item's price; a legacy plain number is an amount in USD, the contract's default currency. */
function priceTag(item: InsightItem): { amount: number; currency: string } | undefined {
  const price = item.price as StoredClothingItem['price'] | number | undefined;
  if (typeof price === 'number') return { amount: price, currency: FALLBACK_CURRENCY };
  if (!price || typeof price.amount !== 'number') return undefined;
  return { amount: price.amount, currency: (price.originalCurrency || FALLBACK_CURRENCY).toUpperCase() };
}

/** The answer's currency: the profile's, else the one most priced items use (ties: alphabetical), else USD. */
export function insightCurrency(items: readonly InsightItem[], preferred?: string): string {
  if (preferred) return preferred.toUpperCase();
  const counts = new Map<string, number>();
  for (const item of items) {
    const tag = priceTag(item);
    if (tag) counts.set(tag.currency, (counts.get(tag.currency) ?? 0) + 1);
  }
  const [top] = [...counts].sort(([a, x], [b, y]) => y - x || byText(a, b));
  return top ? top[0] : FALLBACK_CURRENCY;
}

/** Whole calendar months from `from` to `now` (UTC), at least 1: an item added this month has one month of history. */
export function monthsOwned(dateAdded: string | undefined, now: Date): number {
  const added = dateAdded ? new Date(dateAdded) : undefined;
  if (!added || Number.isNaN(added.getTime())) return 1;
  return Math.max(1, (now.getUTCFullYear() - added.getUTCFullYear()) * 12 + now.getUTCMonth() - added.getUTCMonth());
}

/** `YYYY-MM` of the month `months` after `now`'s. */
export function monthAfter(now: Date, months: number): string {
  const index = now.getUTCFullYear() * 12 + now.getUTCMonth() + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Up or down when recent differs from historical by more than 20% of it (at least 0.05 wears a month). */
export function wearRateTrend(recent: number, historical: number): WearRateTrend {
  if (recent <= 0 && historical <= 0) return 'stable';
  const delta = recent - historical;
  if (Math.abs(delta) <= Math.max(0.05, Math.abs(historical) * 0.2)) return 'stable';
  return delta > 0 ? 'up' : 'down';
}

/** Unworn; unknown without a price; high above 1.5x the target; medium above it; low at or below it. */
export function cpwBadge(cpw: number | null, wearCount: number, targetCpw: number): CpwBadge {
  if (wearCount <= 0) return 'unworn';
  if (cpw === null) return 'unknown';
  if (cpw > 1.5 * targetCpw) return 'high';
  if (cpw > targetCpw) return 'medium';
  return 'low';
}

/** An item's primary colour: its first colour's name, lower-cased, `gray` spelt `grey`. */
function primaryColour(item: InsightItem): string | undefined {
  const name = item.colours?.find((colour) => colour.name.trim() !== '')?.name.trim().toLowerCase();
  return name === 'gray' ? 'grey' : name;
}

export function vaultInsights(items: readonly InsightItem[], options: InsightOptions): VaultInsights {
  const { now } = options;
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const targetCpw = options.targetCpw ?? DEFAULT_TARGET_CPW;
  const currency = insightCurrency(items, options.preferredCurrency);
  const priceOf = (item: InsightItem) => {
    const tag = priceTag(item);
    return tag && tag.currency === currency ? tag.amount : null;
  };
  const conversionStatus = items.some((item) => priceTag(item) && priceOf(item) === null) ? 'not_converted' : 'not_needed';
  const base = { generatedAt: isoSeconds(now), currency, fxDate: null, conversionStatus } as const;
  if (items.length === 0) {
    return { ...base, insufficientData: true, behavioralInsights: { topColorWearShare: null, unworn90dPct: null, mostExpensiveUnworn: null, sparseHistory: true }, cpwIntel: [] };
  }

  const nowMs = now.getTime();
  const windowStart = nowMs - windowDays * DAY_MS;
  const recentWears = (item: InsightItem) =>
    (item.wearEvents ?? []).filter((event) => {
      const at = Date.parse(event.occurredAt);
      return at >= windowStart && at <= nowMs;
    }).length;

  // The colour worn most in the window, by wear events of items that have a colour.
  const colourWears = new Map<string, number>();
  for (const item of items) {
    const colour = primaryColour(item);
    if (colour) colourWears.set(colour, (colourWears.get(colour) ?? 0) + recentWears(item));
  }
  const colourTotal = [...colourWears.values()].reduce((sum, count) => sum + count, 0);
  const [topColour] = [...colourWears].sort(([a, x], [b, y]) => y - x || byText(a, b));

  const unwornCutoff = nowMs - UNWORN_DAYS * DAY_MS;
  const unworn = items.filter((item) => !item.lastWornAt || Date.parse(item.lastWornAt) < unwornCutoff).length;
  const [dearestUnworn] = items
    .filter((item) => wearsOf(item) === 0 && priceOf(item) !== null)
    .sort((a, b) => priceOf(b)! - priceOf(a)! || byText(a.id, b.id));

  const windowMonths = Math.max(windowDays / DAYS_PER_MONTH, 1);
  const cpwIntel = [...items]
    .sort((a, b) => byText(a.id, b.id))
    .map((item): CpwIntel => {
      const wears = wearsOf(item);
      const price = priceOf(item);
      const cpw = price !== null && wears > 0 ? round2(price / wears) : null;
      const recent = recentWears(item) / windowMonths;
      const historical = wears / monthsOwned(item.dateAdded, now);
      const trend = wearRateTrend(recent, historical);
      let forecast: CpwForecast | null = null;
      if (price !== null) {
        const needed = Math.max(Math.ceil(price / targetCpw) - wears, 0);
        const rate = recent > 0 ? recent : Math.max(FORECAST_MIN_RATE, historical);
        forecast = {
          targetCpw,
          projectedMonth: monthAfter(now, Math.ceil(needed / rate)),
          projectedWearsNeeded: needed,
          recentWearRate: round2(recent),
          historicalWearRate: round2(historical),
          wearRateTrend: trend,
        };
      }
      return {
        itemId: item.id,
        cpw,
        badge: cpwBadge(cpw, wears, targetCpw),
        breakEvenReached: cpw !== null && cpw <= targetCpw,
        breakEvenTargetCpw: targetCpw,
        recentWearRate: round2(recent),
        historicalWearRate: round2(historical),
        wearRateTrend: trend,
        wearRateDelta: round2(recent - historical),
        forecast,
      };
    });

  return {
    ...base,
    insufficientData: false,
    behavioralInsights: {
      topColorWearShare: topColour && colourTotal > 0 ? { color: topColour[0], pct: round1((topColour[1] / colourTotal) * 100) } : null,
      unworn90dPct: round1((unworn / items.length) * 100),
      mostExpensiveUnworn: dearestUnworn ? { itemId: dearestUnworn.id, amount: round2(priceOf(dearestUnworn)!), currency } : null,
      sparseHistory: items.filter((item) => wearsOf(item) > 0).length < SPARSE_HISTORY_BELOW,
    },
    cpwIntel,
  };
}
