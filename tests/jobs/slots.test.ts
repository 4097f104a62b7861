/** Timers run once per slot, even when the same slot fires twice at the same moment. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { defineFunction } from '../../kernel/functions.ts';
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import { runtimeContainers } from '../../jobs/containers.ts';
import { oncePerSlot } from '../../jobs/slots.ts';
import { captureLogger, lambdaContext } from '../support/platform.ts';
import { testClock } from '../support/jobs.ts';

const everyFiveMinutes = defineFunction({
  name: 'digest',
  trigger: { kind: 'timer', schedule: '0 */5 * * * *' },
  load: async () => ({ handler: async () => undefined }),
});

const firing = (time: string, isPastDue = false): ScheduledEvent => ({
  version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'portico.timer', account: '', time, region: 'local', resources: [],
  detail: { isPastDue },
});

let emulator: Awaited<ReturnType<typeof startCosmosEmulator>>;
// The store and the handler share one clock: a claim's expiry is judged by the store, so a store on the
// wall clock would see a week-old test claim as expired once the calendar passes it.
const stores: Record<string, (clock: Clock) => Promise<DocumentStore>> = {
  memory: async (clock) => new MemoryDocumentStore(clock),
  'cosmos emulator': async (clock) => {
    const store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `slots-${Date.now()}` }, clock);
    await store.ensure(runtimeContainers);
    return store;
  },
};

beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(() => emulator.stop());

describe.each(Object.keys(stores))('once per slot (%s)', (name) => {
  it('runs a slot fired twice concurrently exactly once, and the next slot again', async () => {
    const clock = testClock(Date.parse('2026-11-22T10:05:00.300Z'));
    const documents = await stores[name]!(clock);
    const ran: string[] = [];
    const handler = oncePerSlot(everyFiveMinutes, async ({ slot }) => void ran.push(slot), { documents, clock, logger: captureLogger().logger });
    // Two hosts fire the same slot at once, a few hundred ms apart in their clocks.
    await Promise.all([
      handler(firing('2026-11-22T10:05:00.300Z'), lambdaContext()),
      handler(firing('2026-11-22T10:05:00.900Z'), lambdaContext()),
      handler(firing('2026-11-22T10:07:30.000Z', true), lambdaContext()),
    ]);
    expect(ran).toEqual(['2026-11-22T10:05:00Z']);
    await handler(firing('2026-11-22T10:10:00.010Z'), lambdaContext());
    expect(ran).toEqual(['2026-11-22T10:05:00Z', '2026-11-22T10:10:00Z']);
  });
});

describe('bounded fan-out', () => {
  it('never runs more than the limit at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (delay, index) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delay * 3));
      running--;
      return index;
    });
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(3);
  });
});
