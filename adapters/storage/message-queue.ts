/**
 * MessageQueue over Azure Storage queues. Messages travel base64-encoded, as the Functions host
 * reads and writes them, so a job sent here triggers a queue function and vice versa.
 */
import type { QueueClient } from '@azure/storage-queue';
import type { MessageQueue, ReceivedMessage } from '../../domain/ports.ts';
import { checkQueueName, checkReceive, checkSend, MESSAGE_TTL_SECONDS, StaleReceiptError } from '../queue-errors.ts';
import { decodeMessage, encodeMessage, queueService } from './queue-service.ts';

export { StaleReceiptError } from '../queue-errors.ts';

import { failure, isNotFound, mapError } from './failures.ts';

export class AzureMessageQueue implements MessageQueue {
  readonly #connection: string;
  /** Queues known to exist, so a send costs one request, not two. */
  readonly #known = new Set<string>();

  constructor(connection: string) {
    this.#connection = connection;
  }

  #client(queue: string): QueueClient {
    return queueService(this.#connection).getQueueClient(queue);
  }

  async ensure(queue: string): Promise<void> {
    checkQueueName(queue);
    if (this.#known.has(queue)) return;
    try {
      await this.#client(queue).createIfNotExists();
    } catch (error) {
      throw mapError(error);
    }
    this.#known.add(queue);
  }

  /** Creates the queue if needed, as put does for a blob container: a message is never lost to a missing queue. */
  async send(queue: string, text: string, options?: { delaySeconds?: number }): Promise<{ id: string }> {
    const { delaySeconds } = checkSend(queue, text, options);
    // A delayed message would otherwise spend its delay out of its 7-day life (and real Azure refuses
    // a delay that reaches the TTL), so it lives 7 days from when it becomes visible.
    const sendOptions = delaySeconds > 0 ? { visibilityTimeout: delaySeconds, messageTimeToLive: delaySeconds + MESSAGE_TTL_SECONDS } : {};
    const body = encodeMessage(text);
    for (let attempt = 1; ; attempt++) {
      await this.ensure(queue);
      try {
        const sent = await this.#client(queue).sendMessage(body, sendOptions);
        return { id: sent.messageId };
      } catch (error) {
        // Deleted behind our back since we cached it: create it again, once.
        if (attempt === 1 && isNotFound(error, 'QueueNotFound')) {
          this.#known.delete(queue);
          continue;
        }
        throw mapError(error);
      }
    }
  }

  /** A queue that does not exist holds no messages. */
  async receive(queue: string, options: { max: number; visibilitySeconds: number }): Promise<ReceivedMessage[]> {
    const { max, visibilitySeconds } = checkReceive(queue, options);
    try {
      const { receivedMessageItems } = await this.#client(queue).receiveMessages({ numberOfMessages: max, visibilityTimeout: visibilitySeconds });
      return receivedMessageItems.map((message) => ({
        id: message.messageId,
        text: decodeMessage(message.messageText),
        dequeueCount: message.dequeueCount,
        receipt: message.popReceipt,
        insertedAt: message.insertedOn,
      }));
    } catch (error) {
      if (isNotFound(error, 'QueueNotFound')) return [];
      throw mapError(error);
    }
  }

  /**
   * A message that is already gone (deleted, expired, or its queue removed) counts as deleted.
   * A receipt superseded by a later receive throws StaleReceiptError.
   */
  async delete(queue: string, message: Pick<ReceivedMessage, 'id' | 'receipt'>): Promise<void> {
    checkQueueName(queue);
    try {
      await this.#client(queue).deleteMessage(message.id, message.receipt);
    } catch (error) {
      const facts = failure(error);
      if (facts?.status === 400 && facts.code === 'PopReceiptMismatch') throw new StaleReceiptError(queue, message.id);
      if (facts?.status === 404) return;
      throw mapError(error);
    }
  }

  async count(queue: string): Promise<number> {
    checkQueueName(queue);
    try {
      return (await this.#client(queue).getProperties()).approximateMessagesCount ?? 0;
    } catch (error) {
      if (isNotFound(error, 'QueueNotFound')) return 0;
      throw mapError(error);
    }
  }
}
