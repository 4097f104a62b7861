/**
 * The local queue poller against embedded Azurite, with the Functions host's contract: base64
 * messages, one SQS record per delivery, delete on success, and after maxDequeueCount failed
 * deliveries a move (still base64) to `<queue>-poison`.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { QueueClient } from '@azure/storage-queue';
import type { SQSRecord } from 'aws-lambda';
import type { FunctionDef, QueueTrigger } from '../../kernel/functions.ts';
import { startAzurite, type Azurite } from '../../adapters/local/azurite.ts';
import { createInvoker, type QueueDelivery } from '../../adapters/local/invoke.ts';
import { decodeMessage, encodeMessage, startQueuePollers } from '../../adapters/local/queue-poller.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureQueue, received, resetReceived } from '../support/fixture-functions.ts';

const QUEUE = 'fixture-jobs';
const POISON = 'fixture-jobs-poison';

/** Polls `probe` until it returns a value, or fails after `ms`. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const recordsWithBody = (body: string): SQSRecord[] =>
  received.queue.flatMap((event) => event.Records).filter((record) => record.body === body);

describe('startQueuePollers with Azurite', () => {
  let azurite: Azurite;
  let pollers: { stop(): Promise<void> } | undefined;
  let queue: QueueClient;
  let poison: QueueClient;
  const deliveries: QueueDelivery[] = [];
  const outcomes: Array<'ok' | 'failed'> = [];
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    azurite = await startAzurite();
    queue = new QueueClient(azurite.connectionString, QUEUE);
    poison = new QueueClient(azurite.connectionString, POISON);
    const invoker = createInvoker();
    pollers = startQueuePollers(
      [fixtureQueue as FunctionDef<QueueTrigger>],
      async (def, message) => {
        deliveries.push(message);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          await invoker.queue(def, message);
          outcomes.push('ok');
        } catch (error) {
          outcomes.push('failed');
          throw error;
        } finally {
          inFlight--;
        }
      },
      { connection: azurite.connectionString, maxDequeueCount: 3, visibilityTimeoutSeconds: 1, batchSize: 4, maxPollIntervalMs: 200 },
      createLogger({ level: 'silent', pretty: false }),
    );
    // The poller creates both queues; wait for them rather than racing it.
    await until('the poller to create its queues', 10_000, async () =>
      (await queue.exists()) && (await poison.exists()) ? true : undefined,
    );
  }, 300_000);

  afterAll(async () => {
    await pollers?.stop();
    await azurite?.stop();
  });

  beforeEach(() => {
    resetReceived();
    deliveries.length = 0;
    outcomes.length = 0;
    maxInFlight = 0;
  });

  it('encodes and decodes messages as base64 UTF-8', () => {
    expect(encodeMessage('{"a":"é"}')).toBe(Buffer.from('{"a":"é"}', 'utf8').toString('base64'));
    expect(decodeMessage(encodeMessage('{"a":"é"}'))).toBe('{"a":"é"}');
  });

  it('delivers a base64 message as one SQS record with its id, text and dequeue count, then deletes it', async () => {
    const text = JSON.stringify({ job: 'ok', id: 1, note: 'ünïcode' });
    const sent = await queue.sendMessage(encodeMessage(text));

    const [record] = await until('the delivery', 10_000, () => {
      const records = recordsWithBody(text);
      return records.length > 0 ? records : undefined;
    });
    expect(record!.messageId).toBe(sent.messageId);
    expect(record!.attributes.ApproximateReceiveCount).toBe('1');
    expect(record!.eventSourceARN).toBe(`azure:storagequeue:${QUEUE}`);
    expect(received.contexts[0]!.functionName).toBe('fixture-queue');

    // Deleted: the queue counts no message at all, visible or not.
    await until('the message to be deleted', 10_000, async () =>
      (await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined,
    );
    expect(outcomes).toEqual(['ok']);
    expect(recordsWithBody(text)).toHaveLength(1);
    expect((await poison.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(0);
  });

  it('retries a failing message up to maxDequeueCount, then moves it, still base64, to the poison queue', async () => {
    const text = JSON.stringify({ job: 'please fail', id: 2 });
    const sent = await queue.sendMessage(encodeMessage(text));

    const poisoned = await until('the poison message', 20_000, async () => {
      const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.length > 0 ? peekedMessageItems : undefined;
    });
    expect(poisoned).toHaveLength(1);
    expect(poisoned[0]!.messageText).toBe(encodeMessage(text));
    expect(decodeMessage(poisoned[0]!.messageText)).toBe(text);

    const records = recordsWithBody(text);
    expect(records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(new Set(records.map((record) => record.messageId))).toEqual(new Set([sent.messageId]));
    expect(outcomes).toEqual(['failed', 'failed', 'failed']);

    await until('the main queue to be empty', 10_000, async () =>
      (await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined,
    );
    // Nothing is delivered after the move: wait past one visibility timeout and a poll.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(recordsWithBody(text)).toHaveLength(3);
    expect((await poison.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(1);
    await poison.clearMessages();
  });

  it('treats a throwing handler like a failed one', async () => {
    const text = 'throw once more';
    await queue.sendMessage(encodeMessage(text));
    const poisoned = await until('the poison message', 20_000, async () => {
      const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.length > 0 ? peekedMessageItems : undefined;
    });
    expect(poisoned.map((message) => decodeMessage(message.messageText))).toEqual([text]);
    expect(recordsWithBody(text).map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    await poison.clearMessages();
  });

  it('delivers a batch of messages, each once, and leaves the queue empty', async () => {
    const texts = Array.from({ length: 6 }, (_, index) => JSON.stringify({ job: 'batch', index }));
    await Promise.all(texts.map((text) => queue.sendMessage(encodeMessage(text))));
    await until('every delivery', 10_000, () => (texts.every((text) => recordsWithBody(text).length > 0) ? true : undefined));
    await until('the queue to be empty', 10_000, async () =>
      (await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined,
    );
    for (const text of texts) expect(recordsWithBody(text)).toHaveLength(1);
    expect(deliveries).toHaveLength(6);
    expect(deliveries.every((delivery) => delivery.dequeueCount === 1)).toBe(true);
    // A batch runs concurrently, but batchSize 4 caps it: six messages never run six at a time.
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('stops polling when stopped', async () => {
    await pollers!.stop();
    pollers = undefined;
    const text = 'after stop';
    await queue.sendMessage(encodeMessage(text));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(recordsWithBody(text)).toHaveLength(0);
    expect((await queue.peekMessages()).peekedMessageItems.map((message) => decodeMessage(message.messageText))).toEqual([text]);
  });
});
