/**
 * MessageQueue in memory, with Azure Storage queue semantics so unit tests see what production
 * sees: a delay and a receive hide a message for whole seconds, every receive bumps dequeueCount
 * and issues a new receipt, an old receipt cannot delete, and the same 48 KiB limit applies.
 * Pass a Clock to move time in tests instead of sleeping.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, MessageQueue, ReceivedMessage } from '../../domain/ports.ts';
import { checkQueueName, checkReceive, checkSend, MESSAGE_TTL_SECONDS, StaleReceiptError } from '../queue-errors.ts';

interface StoredMessage {
  id: string;
  text: string;
  insertedAt: number;
  visibleAt: number;
  expiresAt: number;
  dequeueCount: number;
  /** The receipt of the latest receive; only it may delete. */
  receipt: string;
  /** Send order, to break ties between messages that become visible together. */
  seq: number;
}

const realTime: Clock = { now: () => new Date() };

export class MemoryMessageQueue implements MessageQueue {
  readonly #clock: Clock;
  readonly #queues = new Map<string, Map<string, StoredMessage>>();
  #seq = 0;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? realTime;
  }

  #now(): number {
    return this.#clock.now().getTime();
  }

  /** The live messages of a queue, dropping expired ones as the service does. */
  #live(queue: string): Map<string, StoredMessage> | undefined {
    const messages = this.#queues.get(queue);
    if (!messages) return undefined;
    const now = this.#now();
    for (const [id, message] of messages) if (message.expiresAt <= now) messages.delete(id);
    return messages;
  }

  async ensure(queue: string): Promise<void> {
    checkQueueName(queue);
    if (!this.#queues.has(queue)) this.#queues.set(queue, new Map());
  }

  async send(queue: string, text: string, options?: { delaySeconds?: number }): Promise<{ id: string }> {
    const { delaySeconds } = checkSend(queue, text, options);
    await this.ensure(queue);
    const now = this.#now();
    const visibleAt = now + delaySeconds * 1000;
    const message: StoredMessage = {
      id: randomUUID(),
      text,
      insertedAt: now,
      visibleAt,
      // As in the Azure adapter: 7 days of life once visible.
      expiresAt: visibleAt + MESSAGE_TTL_SECONDS * 1000,
      dequeueCount: 0,
      receipt: randomUUID(),
      seq: this.#seq++,
    };
    this.#queues.get(queue)!.set(message.id, message);
    return { id: message.id };
  }

  async receive(queue: string, options: { max: number; visibilitySeconds: number }): Promise<ReceivedMessage[]> {
    const { max, visibilitySeconds } = checkReceive(queue, options);
    const messages = this.#live(queue);
    if (!messages) return [];
    const now = this.#now();
    const visible = [...messages.values()]
      .filter((message) => message.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || a.seq - b.seq)
      .slice(0, max);
    return visible.map((message) => {
      message.visibleAt = now + visibilitySeconds * 1000;
      message.dequeueCount += 1;
      message.receipt = randomUUID();
      return { id: message.id, text: message.text, dequeueCount: message.dequeueCount, receipt: message.receipt, insertedAt: new Date(message.insertedAt) };
    });
  }

  /** As on Azure: a message already gone counts as deleted; a superseded receipt throws StaleReceiptError. */
  async delete(queue: string, message: Pick<ReceivedMessage, 'id' | 'receipt'>): Promise<void> {
    checkQueueName(queue);
    const stored = this.#live(queue)?.get(message.id);
    if (!stored) return;
    if (stored.receipt !== message.receipt) throw new StaleReceiptError(queue, message.id);
    this.#queues.get(queue)!.delete(message.id);
  }

  /** Visible or not, like approximateMessagesCount. */
  async count(queue: string): Promise<number> {
    checkQueueName(queue);
    return this.#live(queue)?.size ?? 0;
  }
}
