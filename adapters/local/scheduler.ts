/** Fires timer functions on their NCRONTAB schedules, in UTC, like the Functions host. */
import type { Timer } from '@azure/functions';
import type { FunctionDef, TimerTrigger } from '../../kernel/functions.ts';
import { nextOccurrence, parseNcrontab } from '../../domain/schedule/ncrontab.ts';
import type { Logger } from '../../middleware/logger.ts';

/** setTimeout overflows past ~24.8 days; longer waits are re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** A firing later than this after its slot is reported as past due. */
const PAST_DUE_MS = 1000;

export function startScheduler(
  defs: readonly FunctionDef<TimerTrigger>[],
  fire: (def: FunctionDef<TimerTrigger>, timer: Timer) => Promise<void>,
  logger: Logger,
  now: () => Date = () => new Date(),
) {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const arm = (def: FunctionDef<TimerTrigger>, due: Date, last?: Date) => {
    if (stopped) return;
    const wait = Math.min(Math.max(0, due.getTime() - now().getTime()), MAX_TIMEOUT_MS);
    const handle = setTimeout(() => {
      timers.delete(handle);
      if (now().getTime() < due.getTime()) return arm(def, due, last);
      const schedule = parseNcrontab(def.trigger.schedule);
      const next = nextOccurrence(schedule, now());
      const timer = {
        isPastDue: now().getTime() - due.getTime() > PAST_DUE_MS,
        schedule: { adjustForDST: false },
        scheduleStatus: { last: (last ?? due).toISOString(), next: next.toISOString(), lastUpdated: now().toISOString() },
      } as Timer;
      const run = fire(def, timer)
        .catch((error: unknown) => logger.error({ function: def.name, err: error }, 'timer function failed'))
        .finally(() => running.delete(run));
      running.add(run);
      arm(def, next, due);
    }, wait);
    handle.unref?.();
    timers.add(handle);
  };

  for (const def of defs) arm(def, nextOccurrence(parseNcrontab(def.trigger.schedule), now()));

  return {
    async stop(): Promise<void> {
      stopped = true;
      for (const handle of timers) clearTimeout(handle);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
