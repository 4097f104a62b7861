/**
 * The local scheduler on a fake clock (Jest's modern fake timers: `Date` and `setTimeout`), so
 * every firing happens at a time the test chose, whatever the machine's speed or load: the
 * fixture timer (`*\/2 * * * * *`, every 2 s) fires on even-second slots through the Azure timer
 * adapter, reports isPastDue honestly after a stall, and stop() ends it and waits for a running
 * firing.
 */
import { describe, it, expect, afterEach, beforeEach, jest } from '@jest/globals';
import type { Timer } from '@azure/functions';
import type { FunctionDef, TimerTrigger } from '../../kernel/functions.ts';
import type { TimerDetail } from '../../adapters/azure/timer.ts';
import { createInvoker } from '../../adapters/local/invoke.ts';
import { startScheduler } from '../../adapters/local/scheduler.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureTimer, received, resetReceived } from '../support/fixture-functions.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const timerDef = fixtureTimer as FunctionDef<TimerTrigger>;
const at = (iso: string) => Date.parse(iso);
const detail = (index: number) => received.timer[index]!.detail as TimerDetail;
/** Moves the fake clock on, running every timer due on the way (and the promises they start). */
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

let stops: Array<() => Promise<void>> = [];

beforeEach(() => {
  resetReceived();
  jest.useFakeTimers({ now: at('2026-06-01T10:00:00.300Z') });
});

afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
  jest.useRealTimers();
});

/** Runs the fixture timer through the Azure adapter, recording when each firing started. */
function schedule(now?: () => Date) {
  const invoker = createInvoker();
  const firedAt: number[] = [];
  const runs: Promise<void>[] = [];
  const scheduler = startScheduler(
    [timerDef],
    (def, timer) => {
      firedAt.push(Date.now());
      const run = invoker.timer(def, timer);
      runs.push(run);
      return run;
    },
    logger,
    now,
  );
  stops.push(() => scheduler.stop());
  return { scheduler, firedAt, settled: () => Promise.all(runs) };
}

describe('startScheduler', () => {
  it('fires the 2-second timer on even-second slots, each announcing the next, not past due', async () => {
    const { firedAt, settled } = schedule();
    await advance(1_699);
    expect(firedAt).toEqual([]);
    await advance(1); // 10:00:02.000
    await advance(2_000); // 10:00:04.000
    await settled();
    expect(firedAt).toEqual([at('2026-06-01T10:00:02.000Z'), at('2026-06-01T10:00:04.000Z')]);
    expect(received.timer).toHaveLength(2);
    expect([detail(0), detail(1)]).toEqual([
      expect.objectContaining({ isPastDue: false, schedule: '*/2 * * * * *', next: '2026-06-01T10:00:04.000Z' }),
      expect.objectContaining({ isPastDue: false, schedule: '*/2 * * * * *', next: '2026-06-01T10:00:06.000Z' }),
    ]);
    expect(received.timer.map((event) => event.resources)).toEqual([['timer:fixture-timer'], ['timer:fixture-timer']]);
  });

  it('fires no more after stop()', async () => {
    const { scheduler, firedAt } = schedule();
    await advance(1_700);
    expect(firedAt).toHaveLength(1);
    await scheduler.stop();
    // Far past many slots: a live timer would have fired again.
    await advance(60_000);
    expect(firedAt).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('startScheduler when the event loop stalls', () => {
  it('marks a firing more than 1 s late as past due, then fires the next slot on time', async () => {
    // The stall: the clock the scheduler reads runs 1.3 s ahead of its timer for one firing, as
    // when a long synchronous task holds the event loop past the slot.
    let lagMs = 0;
    const { firedAt, settled } = schedule(() => new Date(Date.now() + lagMs));
    lagMs = 1_300;
    await advance(1_700); // the 10:00:02 slot's timer runs, at 10:00:03.300 by the scheduler's clock
    lagMs = 0;
    await advance(2_000); // 10:00:04.000, on time
    await settled();
    expect(firedAt).toHaveLength(2);
    expect(detail(0).isPastDue).toBe(true);
    expect(detail(0).next).toBe('2026-06-01T10:00:04.000Z');
    expect(detail(1).isPastDue).toBe(false);
  });

  it('stop() waits for a firing that is still running', async () => {
    let finish!: () => void;
    let finished = false;
    const scheduler = startScheduler(
      [timerDef],
      () => new Promise<void>((resolve) => (finish = () => ((finished = true), resolve()))),
      logger,
    );
    stops.push(() => scheduler.stop());
    await advance(1_700);
    expect(finish).toBeDefined();
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await advance(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(finished).toBe(true);
  });
});

describe('startScheduler with both day fields restricted', () => {
  it('fires on days matching both, as Azure does: from Friday 13 November 2026 the next is Friday 13 August 2027', async () => {
    jest.setSystemTime(at('2026-11-13T11:59:59.700Z')); // a Friday the 13th, 300 ms before noon
    const fridayThe13th = { ...timerDef, trigger: { kind: 'timer' as const, schedule: '0 0 12 13 * FRI' } };
    const timers: Timer[] = [];
    const scheduler = startScheduler([fridayThe13th], async (_def, timer) => void timers.push(timer), logger);
    stops.push(() => scheduler.stop());
    await advance(300);
    expect(timers).toHaveLength(1);
    // Classic cron's OR would say the next Friday, 2026-11-20, and would have fired on Monday 2026-04-13.
    expect(timers[0]!.scheduleStatus.next).toBe('2027-08-13T12:00:00.000Z');
    expect(timers[0]!.scheduleStatus.last).toBe('2026-11-13T12:00:00.000Z');
  });
});
