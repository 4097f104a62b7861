/**
 * Queue and timer conformance: one table of cases each, one caller interface, and one caller per
 * runtime path: the Azure adapters with real `InvocationContext`s, and the AWS event paths (SQS
 * with ReportBatchItemFailures, EventBridge scheduled events) as Lambda invokes the handler.
 */
import azf from '@azure/functions';
import type { SQSBatchResponse, SQSEvent, ScheduledEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { defineFunction, type FunctionDef, type QueueLambda, type QueueTrigger, type TimerLambda, type TimerTrigger } from '../../kernel/functions.ts';
import { bindInline } from '../../adapters/local/invoke.ts';
import { lambdaContext, scheduledEvent, sqsEvent } from '../../adapters/aws/lambda-events.ts';
import { azureQueueHandler } from '../../adapters/azure/queue.ts';
import { azureTimerHandler } from '../../adapters/azure/timer.ts';
import { isPastDue } from '../../jobs/slots.ts';

/** What a queue handler saw on one delivery. */
export interface Delivery {
  messageId: string;
  body: string;
  receiveCount: number;
}

export const deliveries: Delivery[] = [];

/**
 * An inline queue function: `ok` succeeds; `fail-once` reports itself in batchItemFailures on its
 * first delivery; `throw-once` throws on its first delivery; `poison` always fails.
 */
export const conformanceQueue = defineFunction({
  name: 'conformance-queue',
  trigger: { kind: 'queue', queue: 'conformance-jobs' },
  load: async () => ({
    handler: async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        const receiveCount = Number(record.attributes.ApproximateReceiveCount);
        deliveries.push({ messageId: record.messageId, body: record.body, receiveCount });
        if (record.body === 'throw-once' && receiveCount === 1) throw new Error('transient failure (thrown)');
        if (record.body === 'poison' || (record.body === 'fail-once' && receiveCount === 1)) failures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures: failures };
    },
  }),
});

export interface QueueCase {
  name: string;
  body: string;
  /** How many deliveries it takes, and where the message ends. */
  attempts: number;
  outcome: 'deleted' | 'poison';
}

export const queueCases: QueueCase[] = [
  { name: 'success', body: 'ok', attempts: 1, outcome: 'deleted' },
  { name: 'a transient failure reported in batchItemFailures is retried', body: 'fail-once', attempts: 2, outcome: 'deleted' },
  { name: 'a transient failure thrown is retried', body: 'throw-once', attempts: 2, outcome: 'deleted' },
  { name: 'a poison message goes to the poison queue', body: 'poison', attempts: 5, outcome: 'poison' },
];

export interface QueueCaller {
  name: string;
  /** One delivery of the message; true when the platform would keep it (retry, then poison). */
  deliver(def: FunctionDef<QueueTrigger>, message: { id: string; body: string; receiveCount: number }): Promise<boolean>;
}

/** The Azure adapter: the host retries an invocation that throws, with dequeueCount raised. */
export const azureQueueCaller: QueueCaller = {
  name: 'azure',
  async deliver(def, message) {
    const invocation = new azf.InvocationContext({
      invocationId: randomUUID(),
      functionName: def.name,
      triggerMetadata: { id: message.id, dequeueCount: message.receiveCount, popReceipt: 'pop', insertionTime: new Date().toISOString(), queueTrigger: message.body },
    });
    try {
      await azureQueueHandler(def, () => bindInline(def) as Promise<QueueLambda>)(message.body, invocation);
      return false;
    } catch {
      return true;
    }
  },
};

/**
 * The SQS event path with ReportBatchItemFailures: a listed record is retried; a thrown error
 * fails the whole batch, so it is retried too. ApproximateReceiveCount counts the deliveries.
 */
export const sqsQueueCaller: QueueCaller = {
  name: 'sqs',
  async deliver(def, message) {
    const event = sqsEvent(def.trigger.queue, message.body);
    const record = event.Records[0]!;
    record.messageId = message.id;
    record.attributes.ApproximateReceiveCount = String(message.receiveCount);
    const handler = (await bindInline(def)) as QueueLambda;
    try {
      const result = await handler(event, lambdaContext(def, 30_000, event));
      return Boolean(result?.batchItemFailures?.some((failure) => failure.itemIdentifier === message.id));
    } catch {
      return true;
    }
  },
};

export const queueCallers: QueueCaller[] = [azureQueueCaller, sqsQueueCaller];

/** What a timer handler saw on one firing. */
export interface Firing {
  detailType: string;
  isPastDue: boolean;
}

export const firings: Firing[] = [];

/** An inline timer function recording each firing, as `oncePerSlot` reads it. */
export const conformanceTimer = defineFunction({
  name: 'conformance-timer',
  trigger: { kind: 'timer', schedule: '0 */5 * * * *' },
  load: async () => ({
    handler: async (event: ScheduledEvent) => {
      firings.push({ detailType: event['detail-type'], isPastDue: isPastDue(event, new Date()) });
    },
  }),
});

export interface TimerCase {
  name: string;
  /** How late the platform starts the firing after its scheduled time. */
  lateMs: number;
  isPastDue: boolean;
}

export const timerCases: TimerCase[] = [
  { name: 'a normal run', lateMs: 2_000, isPastDue: false },
  { name: 'a past-due run', lateMs: 10 * 60_000, isPastDue: true },
];

export interface TimerCaller {
  name: string;
  fire(def: FunctionDef<TimerTrigger>, firing: { scheduledAt: Date; late: boolean }): Promise<void>;
}

/** The Azure timer adapter: the host says whether the firing is past due. */
export const azureTimerCaller: TimerCaller = {
  name: 'azure',
  async fire(def, { scheduledAt, late }) {
    const timer = {
      isPastDue: late,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: scheduledAt.toISOString(), next: new Date(scheduledAt.getTime() + 300_000).toISOString(), lastUpdated: new Date().toISOString() },
    } as azf.Timer;
    await azureTimerHandler(def, () => bindInline(def) as Promise<TimerLambda>)(timer, new azf.InvocationContext({ invocationId: randomUUID(), functionName: def.name }));
  },
};

/** The EventBridge path: the event carries the occurrence's scheduled time, and nothing else about lateness. */
export const eventBridgeTimerCaller: TimerCaller = {
  name: 'eventbridge',
  async fire(def, { scheduledAt }) {
    const event = scheduledEvent(def.name, {}, scheduledAt);
    const handler = (await bindInline(def)) as TimerLambda;
    await handler(event, lambdaContext(def, 30_000, event));
  },
};

export const timerCallers: TimerCaller[] = [azureTimerCaller, eventBridgeTimerCaller];
