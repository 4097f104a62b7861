/**
 * The local scheduler on the real clock: the fixture timer (`*\/2 * * * * *`, every 2 s) fires on
 * even-second slots through the Azure timer adapter, reports isPastDue honestly, and stop() ends it.
 */
import { describe, it, expect, afterAll, beforeEach } from '@jest/globals';
import type { Timer } from '@azure/functions';
import type { FunctionDef, TimerTrigger } from '../../kernel/functions.ts';
import type { TimerDetail } from '../../adapters/azure/timer.ts';
import { createInvoker } from '../../adapters/local/invoke.ts';
import { startScheduler } from '../../adapters/local/scheduler.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureTimer, received, resetReceived } from '../support/fixture-functions.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const timerDef = fixtureTimer as FunctionDef<TimerTrigger>;
const running: Array<{ stop(): Promise<void> }> = [];

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The start of the 2-second slot that `ms` falls in. */
const slotOf = (ms: number) => Math.floor(ms / 2000) * 2000;
const detail = (index: number) => received.timer[index]!.detail as TimerDetail;

afterAll(async () => {
  await Promise.all(running.map((scheduler) => scheduler.stop()));
});

beforeEach(() => resetReceived());

describe('startScheduler', () => {
  const firedAt: number[] = [];
  let scheduler: { stop(): Promise<void> };

  it('fires the 2-second timer at least twice within 5 s, on even-second slots, not past due', async () => {
    const invoker = createInvoker();
    scheduler = startScheduler([timerDef], (def, timer) => (firedAt.push(Date.now()), invoker.timer(def, timer)), logger);
    running.push(scheduler);

    await until('two firings', 5_000, () => (received.timer.length >= 2 ? true : undefined));

    for (let index = 0; index < received.timer.length; index++) {
      const fired = firedAt[index]!;
      const { isPastDue, next, schedule } = detail(index);
      expect(isPastDue).toBe(false);
      expect(schedule).toBe('*/2 * * * * *');
      // `next` is a slot: a whole, even second, after this firing and at most one period away.
      const nextMs = Date.parse(next!);
      expect(nextMs % 2000).toBe(0);
      expect(nextMs).toBeGreaterThan(fired);
      expect(nextMs - fired).toBeLessThanOrEqual(2000);
      // The firing itself happened in the first second of its slot, never before it.
      expect(fired - slotOf(fired)).toBeLessThan(1000);
      expect(received.timer[index]!.resources).toEqual(['timer:fixture-timer']);
    }
    // Consecutive firings are consecutive slots: the second comes at the slot the first announced.
    expect(firedAt[1]!).toBeGreaterThanOrEqual(Date.parse(detail(0).next!));
    expect(slotOf(firedAt[1]!)).toBe(Date.parse(detail(0).next!));
    expect(Date.parse(detail(1).next!) - Date.parse(detail(0).next!)).toBe(2000);
    expect(new Set(firedAt.map(slotOf)).size).toBe(firedAt.length);
  }, 10_000);

  it('fires no more after stop()', async () => {
    await scheduler.stop();
    const count = firedAt.length;
    expect(count).toBeGreaterThanOrEqual(2);
    // Longer than one period, so a live timer would have fired at least once.
    await sleep(2_500);
    expect(firedAt).toHaveLength(count);
    expect(received.timer).toHaveLength(0);
  }, 10_000);
});

describe('startScheduler when the event loop stalls', () => {
  it('marks a firing more than 1 s late as past due, then fires the next slot on time', async () => {
    const invoker = createInvoker();
    const timers: Timer[] = [];
    const scheduler = startScheduler([timerDef], (def, timer) => (timers.push(timer), invoker.timer(def, timer)), logger);
    running.push(scheduler);
    try {
      // Block the event loop from just before the next slot until 1.3 s into it.
      const due = slotOf(Date.now()) + 2000;
      await sleep(Math.max(0, due - Date.now() - 100));
      expect(received.timer).toHaveLength(0);
      while (Date.now() < due + 1300) {
        // busy: a real stall, as a long synchronous task would cause
      }
      await until('two firings', 4_000, () => (received.timer.length >= 2 ? true : undefined));
      expect(detail(0).isPastDue).toBe(true);
      expect(timers[0]!.isPastDue).toBe(true);
      expect(detail(1).isPastDue).toBe(false);
      expect(Date.parse(detail(0).next!)).toBe(due + 2000);
    } finally {
      await scheduler.stop();
    }
  }, 10_000);

  it('stop() waits for a firing that is still running', async () => {
    let finished = false;
    let startedRun = false;
    const scheduler = startScheduler(
      [timerDef],
      async () => {
        startedRun = true;
        await sleep(400);
        finished = true;
      },
      logger,
    );
    running.push(scheduler);
    await until('a firing to start', 3_000, () => (startedRun ? true : undefined));
    expect(finished).toBe(false);
    await scheduler.stop();
    expect(finished).toBe(true);
  }, 10_000);
});

describe('startScheduler with both day fields restricted', () => {
  it('fires on days matching both, as Azure does: from Friday 13 November 2026 the next is Friday 13 August 2027', async () => {
    // A clock running at real speed from 300 ms before 2026-11-13T12:00:00Z (a Friday the 13th).
    const offset = Date.parse('2026-11-13T11:59:59.700Z') - Date.now();
    const now = () => new Date(Date.now() + offset);
    const fridayThe13th = { ...timerDef, trigger: { kind: 'timer' as const, schedule: '0 0 12 13 * FRI' } };
    const timers: Timer[] = [];
    const scheduler = startScheduler([fridayThe13th], async (_def, timer) => void timers.push(timer), logger, now);
    running.push(scheduler);
    try {
      await until('the firing', 3_000, () => (timers.length > 0 ? true : undefined));
      // Classic cron's OR would say the next Friday, 2026-11-20, and would have fired on Monday 2026-04-13.
      expect(timers[0]!.scheduleStatus.next).toBe('2027-08-13T12:00:00.000Z');
      expect(timers[0]!.scheduleStatus.last).toBe('2026-11-13T12:00:00.000Z');
    } finally {
      await scheduler.stop();
    }
  }, 10_000);
});
