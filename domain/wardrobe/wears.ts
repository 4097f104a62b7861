/**
 * Wear tracking (contract section 6.4): one record per wear in `wardrobe-wears` (the full
 * history), the newest 30 wears on the item, and styling activities that turn into "did you
 * wear it?" suggestions. Pure rules; handlers/wardrobe/items/service.ts holds the write protocol.
 */
import { badRequest } from '../errors.ts';
import { isoSeconds } from '../time.ts';
import { MAX_WEAR_EVENTS, type StoredClothingItem, type WearEvent, type WeatherSnapshot } from './clothing-item.ts';

export const WEAR_SOURCES = ['vault_card', 'item_drawer', 'suggestion_prompt', 'unknown'] as const;

/** PATCH /api/wardrobe/{id}/wear's body; every field optional, unknown ones (mobile's `delta`) ignored. */
export interface WearBody {
  clientEventId?: string;
  source?: string;
  occurredAt?: string;
  occasion?: string;
  stylingActivityId?: string;
  weatherSnapshot?: WeatherSnapshot;
}

/** One wear, stored in `wardrobe-wears` (partitioned by user); what wear-history answers. */
export interface WearRecord {
  /** `<itemId>:<clientEventId>` (the idempotency key), or `<itemId>:<server id>` without one. */
  id: string;
  userId: string;
  itemId: string;
  occurredAt: string;
  source: string;
  occasion?: string;
  weatherSnapshot?: WeatherSnapshot;
  stylingActivityId?: string;
  clientEventId?: string;
  createdAt: string;
  /** False until the item's counters include this wear (internal). */
  applied: boolean;
}

/** Client clocks run a little fast; a wear this far ahead of ours still counts as "now or earlier". */
export const WORN_AT_SKEW_MS = 2 * 60_000;

export const wearRecordId = (itemId: string, key: string) => `${itemId}:${key}`;

/** The wear's time in whole seconds: now when absent; never in the future (beyond clock skew). */
export function resolveOccurredAt(occurredAt: string | undefined, now: Date): string {
  if (occurredAt === undefined) return isoSeconds(now);
  const at = Date.parse(occurredAt);
  if (Number.isNaN(at)) throw badRequest('validation_failed', 'occurredAt is not a timestamp.', [{ pointer: '/body/occurredAt', detail: 'must be a date-time' }]);
  if (at > now.getTime() + WORN_AT_SKEW_MS) throw badRequest('validation_failed', 'occurredAt is in the future.', [{ pointer: '/body/occurredAt', detail: 'must not be in the future' }]);
  return isoSeconds(at);
}

/** The later of two ISO timestamps (undefined is "never"). */
export const laterOf = (current: string | undefined, candidate: string): string => (current === undefined || Date.parse(candidate) > Date.parse(current) ? candidate : current);

/** The item with one more wear: count, last worn, and the event among the newest 30 (oldest first). */
export function withWear(item: StoredClothingItem, record: WearRecord): StoredClothingItem {
  const event: WearEvent = { occurredAt: record.occurredAt, ...(record.occasion ? { occasion: record.occasion } : {}), ...(record.weatherSnapshot ? { weatherSnapshot: record.weatherSnapshot } : {}) };
  const events = [...(item.wearEvents ?? []), event].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt)).slice(-MAX_WEAR_EVENTS);
  return {
    ...item,
    wearCount: (item.wearCount ?? 0) + 1,
    lastWornAt: laterOf(item.lastWornAt, record.occurredAt),
    wearEvents: events,
    ...(record.clientEventId ? { lastWearActionId: record.clientEventId } : {}),
  };
}

/** `from`/`to` of wear-history: a date or a date-time; a date-only `to` means the end of that day. */
export function historyRange(from: string | undefined, to: string | undefined): { from?: number; to?: number } {
  const parse = (value: string, field: string, endOfDay: boolean) => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at)) throw badRequest('validation_failed', `${field} is not a date.`, [{ pointer: `/query/${field}`, detail: 'must be a date or date-time' }]);
    return dateOnly && endOfDay ? at + 86_400_000 - 1 : at;
  };
  const range = { ...(from ? { from: parse(from, 'from', false) } : {}), ...(to ? { to: parse(to, 'to', true) } : {}) };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw badRequest('validation_failed', 'from is after to.', [{ pointer: '/query/from', detail: 'must not be after to' }]);
  }
  return range;
}

export interface WearHistory {
  itemId: string;
  events: Omit<WearRecord, 'applied' | 'clientEventId'>[];
  summary: { totalInRange: number; trackedFrom?: string; legacyUntrackedCount: number };
}

/**
 * The history of one item: its counted wears in the range, oldest first. `trackedFrom` is the
 * first recorded wear ever; `legacyUntrackedCount` the wears the count has but no record does
 * (counted before wears were recorded).
 */
export function wearHistory(item: Pick<StoredClothingItem, 'id' | 'wearCount'>, records: readonly WearRecord[], range: { from?: number; to?: number }): WearHistory {
  const counted = records.filter((r) => r.applied).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const inRange = counted.filter((r) => {
    const at = Date.parse(r.occurredAt);
    return (range.from === undefined || at >= range.from) && (range.to === undefined || at <= range.to);
  });
  const events = inRange.map(({ applied: _applied, clientEventId: _key, ...event }) => event);
  return {
    itemId: item.id,
    events,
    summary: { totalInRange: events.length, ...(counted[0] ? { trackedFrom: counted[0].occurredAt } : {}), legacyUntrackedCount: Math.max(0, (item.wearCount ?? 0) - counted.length) },
  };
}

// ---------------------------------------------------------------- styling activity and wear suggestions

export type SuggestionStatus = 'Pending' | 'Accepted' | 'Dismissed' | 'Expired';
export const SUGGESTION_TTL_MS = 3 * 86_400_000;
export const MAX_SUGGESTIONS = 20;

/** A styling activity and the wear suggestion it raises (one document; suggestionId = activityId). */
export interface StylingActivity {
  id: string;
  userId: string;
  itemId: string;
  activityType: string;
  source?: string;
  clientEventId?: string;
  occurredAt: string;
  createdAt: string;
  status: SuggestionStatus;
  /** When the suggestion lapses (not `expiresAt`: that is the store's TTL member). */
  suggestionExpiresAt: string;
}

export function newActivity(input: { id: string; userId: string; itemId: string; activityType?: string; source?: string; clientEventId?: string; occurredAt?: string }, now: Date): StylingActivity {
  const occurredAt = resolveOccurredAt(input.occurredAt, now);
  return {
    id: input.id,
    userId: input.userId,
    itemId: input.itemId,
    activityType: input.activityType ?? 'AddedToStyleBoard',
    ...(input.source ? { source: input.source } : {}),
    ...(input.clientEventId ? { clientEventId: input.clientEventId } : {}),
    occurredAt,
    createdAt: isoSeconds(now),
    status: 'Pending',
    suggestionExpiresAt: isoSeconds(Date.parse(occurredAt) + SUGGESTION_TTL_MS),
  };
}

/** Whether a pending suggestion has lapsed: three days passed, or the item was worn since the activity. */
export function lapsed(activity: StylingActivity, item: Pick<StoredClothingItem, 'lastWornAt'> | undefined, now: Date): boolean {
  if (!item) return true;
  if (Date.parse(activity.suggestionExpiresAt) <= now.getTime()) return true;
  return item.lastWornAt !== undefined && Date.parse(item.lastWornAt) >= Date.parse(activity.occurredAt);
}

export function suggestionMessage(item: Pick<StoredClothingItem, 'brand' | 'category'>): string {
  const what = [item.brand, item.category?.toLowerCase()].filter(Boolean).join(' ') || 'item';
  return `You styled your ${what} recently. Did you wear it?`;
}
