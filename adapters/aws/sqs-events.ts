/**
 * The SQS event path on Lambda. An event source mapping hands SQS records straight to the function,
 * bypassing SqsMessageQueue.receive, so this wrapper does for each `aws:sqs` record what receive
 * does for a poller (see sqs-queue.ts):
 *
 * - `portico-encoding`: the body is decoded (`empty` -> '', `base64` -> the text), so the handler
 *   gets the exact text that was sent, as on Azure.
 * - `portico-not-before` (a delay past SQS's 900 s): a record not yet due is re-sent with the time
 *   left and reported as a success, so Lambda deletes the original. It is NOT left to reappear or
 *   re-hidden: every receive counts towards the redrive policy's maxReceiveCount, and a 3-day delay
 *   would otherwise reach `<queue>-poison` without ever running. A failed re-send is a batch item
 *   failure: the original comes back and is tried again.
 * - The stage prefix (SQS_QUEUE_NAME_PREFIX) is taken off the queue name in `eventSourceARN`, so the
 *   handler sees the table's queue names (`system-jobs`), as on Azure and locally.
 *
 * Records from other sources (the Azure adapter's `azure:storagequeue`) pass through untouched.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueLambda } from '../../kernel/functions.ts';
import type { Clock, MessageQueue } from '../../domain/ports.ts';
import type { Logger } from '../../middleware/logger.ts';
import { MAX_DELAY_SECONDS } from '../queue-errors.ts';
// Cheap: sqs-queue.ts loads the SQS SDK only when a queue is used.
import { decodeBody, ENCODING_ATTRIBUTE, NOT_BEFORE_ATTRIBUTE } from './sqs-queue.ts';

export interface SqsEventPathOptions {
  /** Where a record not yet due is re-sent: the SQS queue port (it adds the prefix back). */
  queue: Pick<MessageQueue, 'send'>;
  clock: Clock;
  /** SQS_QUEUE_NAME_PREFIX; taken off the queue name in eventSourceARN. */
  queueNamePrefix?: string;
  /**
   * Re-send records whose not-before is in the future (the default). Off for `<queue>-poison`:
   * what SQS gave up on is recorded at once, whatever its schedule said.
   */
  deferNotYetDue?: boolean;
  logger?: Logger;
}

const attribute = (record: SQSRecord, name: string) => record.messageAttributes?.[name]?.stringValue;

/** The text that was sent, undoing the adapter's wire encoding. */
export const sqsRecordText = (record: SQSRecord) => decodeBody(record.body, attribute(record, ENCODING_ATTRIBUTE));

/** `arn:aws:sqs:<region>:<account>:<prefix><queue>` -> `<queue>`, and the ARN rewritten to it. */
function withoutPrefix(arn: string, prefix: string): { queue: string; arn: string } {
  const colon = arn.lastIndexOf(':');
  const name = arn.slice(colon + 1);
  const queue = prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return { queue, arn: arn.slice(0, colon + 1) + queue };
}

export function withSqsEventPath(handler: QueueLambda, options: SqsEventPathOptions): QueueLambda {
  const prefix = options.queueNamePrefix ?? '';
  const defer = options.deferNotYetDue ?? true;
  return async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
    const due: SQSRecord[] = [];
    const failed: string[] = [];
    for (const record of event.Records) {
      if (record.eventSource !== 'aws:sqs') {
        due.push(record);
        continue;
      }
      const { queue, arn } = withoutPrefix(record.eventSourceARN, prefix);
      const text = sqsRecordText(record);
      // NaN (no attribute) compares false: an ordinary record is due.
      const remainingMs = Number(attribute(record, NOT_BEFORE_ATTRIBUTE)) - options.clock.now().getTime();
      if (defer && remainingMs > 0) {
        const delaySeconds = Math.min(Math.ceil(remainingMs / 1000), MAX_DELAY_SECONDS);
        try {
          await options.queue.send(queue, text, { delaySeconds });
          options.logger?.info({ messageId: record.messageId, queue, delaySeconds }, 'message not due yet; re-sent with the time left');
        } catch (error) {
          options.logger?.warn({ err: error, messageId: record.messageId, queue }, 'message not due yet and could not be re-sent; it will come back');
          failed.push(record.messageId);
        }
        continue;
      }
      due.push({ ...record, body: text, eventSourceARN: arn });
    }
    const batchItemFailures = failed.map((itemIdentifier) => ({ itemIdentifier }));
    if (due.length === 0) return { batchItemFailures };
    try {
      const result = await handler({ ...event, Records: due }, context);
      batchItemFailures.push(...(result?.batchItemFailures ?? []));
    } catch (error) {
      // Only the records the handler had: a deferred one is already re-sent and must be deleted.
      options.logger?.error({ err: error }, 'queue handler failed; its messages will be redelivered');
      batchItemFailures.push(...due.map((record) => ({ itemIdentifier: record.messageId })));
    }
    return { batchItemFailures };
  };
}
