/**
 * Azure storage-queue trigger -> SQSEvent with one record. The host hands over one message per
 * invocation; a record in `batchItemFailures` (or a throw) fails the invocation, so the host
 * makes the message visible again and, after maxDequeueCount, moves it to `<queue>-poison`.
 */
import type { InvocationContext } from '@azure/functions';
import type { SQSEvent } from 'aws-lambda';
import type { FunctionDef, QueueLambda, QueueTrigger } from '../../kernel/functions.ts';
import { sqsRecordEvent } from '../lambda-shapes.ts';
import { lambdaContext } from './context.ts';
import { hostSettings } from './host-settings.ts';

export class QueueMessageFailed extends Error {
  readonly messageIds: string[];
  constructor(messageIds: string[]) {
    super(`Queue message ${messageIds.join(', ')} failed; the host will retry it or move it to the poison queue.`);
    this.name = 'QueueMessageFailed';
    this.messageIds = messageIds;
  }
}

/** The message text: the host parses JSON messages for us, so prefer the raw trigger text. */
function messageText(message: unknown, metadata: Record<string, unknown>): string {
  if (typeof metadata.queueTrigger === 'string') return metadata.queueTrigger;
  if (typeof message === 'string') return message;
  if (Buffer.isBuffer(message)) return message.toString('utf8');
  return JSON.stringify(message);
}

export function toSqsEvent(message: unknown, trigger: QueueTrigger, invocation: InvocationContext): SQSEvent {
  const metadata = (invocation.triggerMetadata ?? {}) as Record<string, unknown>;
  return sqsRecordEvent({
    messageId: String(metadata.id ?? invocation.invocationId),
    receiptHandle: String(metadata.popReceipt ?? ''),
    body: messageText(message, metadata),
    receiveCount: Number(metadata.dequeueCount ?? 1),
    sentAt: metadata.insertionTime ? new Date(metadata.insertionTime as string).getTime() : Date.now(),
    firstReceivedAt: Date.now(),
    senderId: 'azure-storage-queue',
    eventSource: 'azure:storagequeue',
    eventSourceARN: `azure:storagequeue:${trigger.queue}`,
    region: process.env.REGION_NAME ?? 'local',
  });
}

export function azureQueueHandler(def: FunctionDef<QueueTrigger>, handler: () => Promise<QueueLambda>) {
  const settings = hostSettings();
  return async (message: unknown, invocation: InvocationContext): Promise<void> => {
    const event = toSqsEvent(message, def.trigger, invocation);
    const context = lambdaContext(invocation, settings.functionTimeoutMs, { message, invocation });
    const result = await (await handler())(event, context);
    const failed = result?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? [];
    if (failed.length > 0) throw new QueueMessageFailed(failed);
  };
}
