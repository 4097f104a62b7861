/**
 * Queue and timer cases through every caller. The queue's redelivery contract is the same on
 * both clouds as Portico configures them: a failed delivery comes back with its receive count
 * raised, and after host.json's maxDequeueCount (SQS: the redrive policy's maxReceiveCount, the
 * same value in the generated serverless.yml; Pub/Sub: the dead-letter policy's maximum delivery
 * attempts, the same value in the generated gcp/deploy.sh) it moves to `<queue>-poison`.
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { hostSettings } from '../../adapters/azure/host-settings.ts';
import { poisonQueueOf } from '../../kernel/jobs.ts';
import {
  blobCallers,
  blobCases,
  blobSightings,
  conformanceBlob,
  containerOf,
  conformanceQueue,
  conformanceTimer,
  deliveries,
  firings,
  queueCallers,
  queueCases,
  stopGcpServers,
  timerCallers,
  timerCases,
  type QueueCaller,
  type QueueCase,
} from './triggers.ts';

const maxDequeueCount = hostSettings().queues.maxDequeueCount;

/** Delivers until the handler succeeds or the message has used up its deliveries. */
async function runToEnd(caller: QueueCaller, c: QueueCase) {
  const id = randomUUID();
  for (let receiveCount = 1; receiveCount <= maxDequeueCount; receiveCount += 1) {
    const kept = await caller.deliver(conformanceQueue, { id, body: c.body, receiveCount });
    if (!kept) return { id, outcome: 'deleted' as const, attempts: receiveCount, queue: conformanceQueue.trigger.queue };
  }
  return { id, outcome: 'poison' as const, attempts: maxDequeueCount, queue: poisonQueueOf(conformanceQueue.trigger.queue) };
}

beforeEach(() => {
  deliveries.length = 0;
  firings.length = 0;
  blobSightings.length = 0;
});
afterAll(stopGcpServers);

describe.each(queueCases)('queue conformance: $name', (c) => {
  it('is delivered, retried and poisoned alike through every caller', async () => {
    const seen: Record<string, unknown> = {};
    for (const caller of queueCallers) {
      deliveries.length = 0;
      const { id, ...result } = await runToEnd(caller, c);
      // The handler sees the same message id and exact body on every delivery, with the count raised.
      expect(deliveries).toEqual(Array.from({ length: result.attempts }, (_, i) => ({ messageId: id, body: c.body, receiveCount: i + 1 })));
      seen[caller.name] = result;
    }
    const expected = { outcome: c.outcome, attempts: c.attempts, queue: c.outcome === 'poison' ? 'conformance-jobs-poison' : 'conformance-jobs' };
    expect(seen).toEqual(Object.fromEntries(queueCallers.map((caller) => [caller.name, expected])));
  });
});

describe.each(timerCases)('timer conformance: $name', (c) => {
  it('reaches the handler alike through every caller', async () => {
    const seen: Record<string, unknown> = {};
    for (const caller of timerCallers) {
      firings.length = 0;
      await caller.fire(conformanceTimer, { scheduledAt: new Date(Date.now() - c.lateMs), late: c.isPastDue });
      seen[caller.name] = firings.slice();
    }
    expect(seen).toEqual(Object.fromEntries(timerCallers.map((caller) => [caller.name, [{ detailType: 'Scheduled Event', isPastDue: c.isPastDue }]])));
  });
});

describe.each(blobCases)('blob conformance: $name', (c) => {
  it('reaches the handler with the same container, name and size through every caller', async () => {
    const seen: Record<string, unknown> = {};
    const container = containerOf(conformanceBlob);
    for (const caller of blobCallers) {
      blobSightings.length = 0;
      await caller.created(conformanceBlob, { container, name: c.blob, bytes: Buffer.alloc(c.bytes, 1) });
      seen[caller.name] = blobSightings.slice();
    }
    expect(seen).toEqual(Object.fromEntries(blobCallers.map((caller) => [caller.name, [{ container, name: c.blob, size: c.bytes }]])));
  });
});
