/**
 * Wears: one record per (item, wearId), which makes logging a wear idempotent, and is what
 * cost-per-wear history reads. The item's wearCount and lastWornAt are derived from the records
 * by an ETag-guarded increment (see handlers/wardrobe/items/service.ts for the protocol).
 */
import { badRequest } from '../errors.ts';

/** What logging a wear answers; stored on the record, so a repeat answers exactly the same. */
export interface WearResult {
  itemId: string;
  wearId: string;
  /** ISO timestamp, UTC. */
  wornAt: string;
  /** The item's counters right after this wear was counted. */
  wearCount: number;
  lastWornAt: string;
}

/** Stored in `wardrobe-wears`, partitioned by user. */
export interface WearRecord {
  /** `<itemId>:<wearId>`: the idempotency key. */
  id: string;
  userId: string;
  itemId: string;
  wearId: string;
  wornAt: string;
  createdAt: string;
  /** False until the item's counters include this wear and `result` is recorded. */
  applied: boolean;
  result?: WearResult;
}

/** Client clocks run a little fast; a wear this far ahead of ours still counts as "now or earlier". */
export const WORN_AT_SKEW_MS = 2 * 60_000;

export const wearRecordId = (itemId: string, wearId: string) => `${itemId}:${wearId}`;

/** The wear's time as a UTC ISO timestamp: now when absent; never in the future (beyond clock skew). */
export function resolveWornAt(wornAt: string | undefined, now: Date): string {
  if (wornAt === undefined) return now.toISOString();
  const at = Date.parse(wornAt);
  if (Number.isNaN(at)) throw badRequest('validation_failed', 'wornAt is not a timestamp.', [{ pointer: '/body/wornAt', detail: 'must be a date-time' }]);
  if (at > now.getTime() + WORN_AT_SKEW_MS) {
    throw badRequest('validation_failed', 'wornAt is in the future.', [{ pointer: '/body/wornAt', detail: 'must not be in the future' }]);
  }
  return new Date(at).toISOString();
}

/** The later of two ISO timestamps (null is "never"). */
export function laterOf(current: string | null, candidate: string): string {
  return current === null || Date.parse(candidate) > Date.parse(current) ? candidate : current;
}
