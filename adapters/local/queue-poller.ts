/**
 * Polls storage queues for queue-triggered functions, with the Functions host's contract:
 * base64 messages, a visibility timeout while a message runs, delete on success, and after
 * `maxDequeueCount` failed deliveries a move to `<queue>-poison`.
 */
import type { QueueClient } from '@azure/storage-queue';
import { setTimeout as delay } from 'node:timers/promises';
import type { FunctionDef, QueueTrigger } from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import { decodeMessage, ensureQueue } from '../storage/queue-service.ts';
import type { QueueDelivery } from './invoke.ts';

export interface QueuePollerOptions {
  connection: string;
  maxDequeueCount: number;
  visibilityTimeoutSeconds: number;
  batchSize: number;
  /** Longest wait between polls of an empty queue (the host's maxPollingInterval). */
  maxPollIntervalMs: number;
  /** While Storage fails: wait `baseMs`, doubling to `capMs`; back to polling on the first success. */
  retry?: { baseMs: number; capMs: number };
  /** The wait between polls; tests pass one that records the delays instead of waiting them. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A second, doubling to half a minute: a stopped Azurite costs one warning per wait, not four a second. */
export const DEFAULT_RETRY = { baseMs: 1000, capMs: 30_000 };

/** Exponential backoff with a cap, reset by a success. */
export function failureBackoff({ baseMs, capMs }: { baseMs: number; capMs: number }) {
  let next = baseMs;
  let failures = 0;
  return {
    get failures() {
      return failures;
    },
    failed(): number {
      const delay = next;
      failures++;
      next = Math.min(next * 2, capMs);
      return delay;
    },
    succeeded(): void {
      next = baseMs;
      failures = 0;
    },
  };
}

// The helpers moved next to the queue client; re-exported for existing importers.
export { decodeMessage, encodeMessage } from '../storage/queue-service.ts';

export function startQueuePollers(
  defs: readonly FunctionDef<QueueTrigger>[],
  run: (def: FunctionDef<QueueTrigger>, message: QueueDelivery) => Promise<void>,
  options: QueuePollerOptions,
  logger: Logger,
) {
  const abort = new AbortController();
  // Abortable without leaving a listener behind per idle poll.
  const wait = options.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  const sleep = (ms: number) => wait(ms, abort.signal).catch(() => undefined);

  async function deliver(def: FunctionDef<QueueTrigger>, queue: QueueClient, poison: QueueClient, message: {
    messageId: string;
    messageText: string;
    dequeueCount: number;
    insertedOn: Date;
    popReceipt: string;
  }) {
    const text = decodeMessage(message.messageText);
    try {
      await run(def, { id: message.messageId, text, dequeueCount: message.dequeueCount, insertionTime: message.insertedOn, popReceipt: message.popReceipt });
      await queue.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      if (message.dequeueCount >= options.maxDequeueCount) {
        await poison.sendMessage(message.messageText);
        await queue.deleteMessage(message.messageId, message.popReceipt);
        logger.error({ function: def.name, messageId: message.messageId, err: error }, 'message moved to the poison queue');
      } else {
        logger.warn({ function: def.name, messageId: message.messageId, attempt: message.dequeueCount, err: error }, 'message failed; it will be retried');
      }
    }
  }

  async function poll(def: FunctionDef<QueueTrigger>) {
    const MIN_IDLE_MS = 50;
    let idleMs = MIN_IDLE_MS;
    let queues: { queue: QueueClient; poison: QueueClient } | undefined;
    const backoff = failureBackoff(options.retry ?? DEFAULT_RETRY);
    while (!abort.signal.aborted) {
      try {
        // Inside the loop: Storage that is down at start is waited for, like Storage that goes down later.
        queues ??= {
          queue: await ensureQueue(options.connection, def.trigger.queue),
          poison: await ensureQueue(options.connection, `${def.trigger.queue}-poison`),
        };
        const { queue, poison } = queues;
        const { receivedMessageItems } = await queue.receiveMessages({
          numberOfMessages: options.batchSize,
          visibilityTimeout: options.visibilityTimeoutSeconds,
          abortSignal: abort.signal,
        });
        if (backoff.failures > 0) logger.info({ function: def.name, failures: backoff.failures }, 'queue polling resumed');
        backoff.succeeded();
        await Promise.all(receivedMessageItems.map((message) => deliver(def, queue, poison, message)));
        // A full batch means more is waiting: poll again at once. Otherwise back off, as the host does.
        if (receivedMessageItems.length === options.batchSize) continue;
        idleMs = receivedMessageItems.length > 0 ? MIN_IDLE_MS : Math.min(idleMs * 2, options.maxPollIntervalMs);
        await sleep(idleMs);
      } catch (error) {
        if (abort.signal.aborted) break;
        const retryInMs = backoff.failed();
        logger.warn({ function: def.name, err: error, retryInMs }, 'queue poll failed; retrying');
        await sleep(retryInMs);
      }
    }
  }

  const loops = defs.map((def) =>
    poll(def).catch((error: unknown) => logger.error({ function: def.name, err: error }, 'queue poller stopped')),
  );
  return {
    async stop(): Promise<void> {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}
