/**
 * Timers may fire twice (two hosts, a restart, a past-due catch-up). A timer handler wrapped
 * here claims `run:<job>:<slot>` first; the second firing of the same slot finds the claim
 * (a 409) and does nothing.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { FunctionDef, TimerLambda, TimerTrigger } from '../kernel/functions.ts';
import { DocumentExistsError } from '../domain/errors.ts';
import { slotClaimId } from '../domain/jobs.ts';
import type { Clock, DocumentStore } from '../domain/ports.ts';
import { parseNcrontab, slotOf } from '../domain/schedule/ncrontab.ts';
import type { Logger } from '../middleware/logger.ts';
import { runsContainer } from './containers.ts';

/** Claims are kept a week: long past any duplicate firing. */
const CLAIM_DAYS = 7;

export interface SlotRun {
  slot: string;
  isPastDue: boolean;
}

/** EventBridge starts a scheduled target within about a minute of its time; later than that is past due. */
export const EVENTBRIDGE_PAST_DUE_MS = 60_000;

/**
 * Whether this firing is late. Azure and the local host say so in `detail.isPastDue`; an
 * EventBridge event carries no such flag, only the occurrence's scheduled `time`, so there a
 * firing more than EVENTBRIDGE_PAST_DUE_MS after it (a retried or throttled delivery) is past due.
 */
export function isPastDue(event: Pick<ScheduledEvent, 'time' | 'detail'>, now: Date): boolean {
  const flag = (event.detail as { isPastDue?: unknown } | undefined)?.isPastDue;
  if (typeof flag === 'boolean') return flag;
  const scheduled = Date.parse(event.time);
  return Number.isFinite(scheduled) && now.getTime() - scheduled > EVENTBRIDGE_PAST_DUE_MS;
}

export interface SlotDeps {
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
}

export function oncePerSlot(
  def: FunctionDef<TimerTrigger>,
  run: (slot: SlotRun, event: ScheduledEvent, context: Context) => Promise<void>,
  deps: SlotDeps,
): TimerLambda {
  const schedule = parseNcrontab(def.trigger.schedule);
  const claims = deps.documents.repository<{ id: string; job: string; slot: string; claimedAt: string; expiresAt: number }>(runsContainer);
  return async (event, context) => {
    const now = deps.clock.now();
    const slot = slotOf(schedule, new Date(event.time ?? now.toISOString()));
    const log = deps.logger.child({ function: def.name, slot, invocationId: context.awsRequestId });
    try {
      await claims.create({ id: slotClaimId(def.name, slot), job: def.name, slot, claimedAt: now.toISOString(), expiresAt: now.getTime() + CLAIM_DAYS * 86_400_000 });
    } catch (error) {
      if (error instanceof DocumentExistsError) return log.info('slot already ran; skipping this firing');
      throw error;
    }
    const pastDue = isPastDue(event, now);
    log.info({ isPastDue: pastDue }, 'timer slot claimed');
    await run({ slot, isPastDue: pastDue }, event, context);
  };
}
