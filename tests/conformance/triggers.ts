/**
 * Queue, timer and blob conformance: one table of cases each, one caller interface, and one
 * caller per runtime path: the Azure adapters with real `InvocationContext`s; the AWS event paths
 * (SQS with ReportBatchItemFailures, EventBridge scheduled events, S3 notifications) as Lambda
 * invokes the handler; and Google's Functions Framework taking the CloudEvents Pub/Sub, Cloud
 * Scheduler (through Pub/Sub) and Cloud Storage send, over HTTP.
 */
import azf from '@azure/functions';
import type { S3Event, SQSBatchResponse, SQSEvent, ScheduledEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blobLocation,
  defineFunction,
  type BlobLambda,
  type BlobTrigger,
  type FunctionDef,
  type QueueLambda,
  type QueueTrigger,
  type TimerLambda,
  type TimerTrigger,
} from '../../kernel/functions.ts';
import { bindInline } from '../../adapters/local/invoke.ts';
import { lambdaContext, s3Event, scheduledEvent, sqsEvent } from '../../adapters/aws/lambda-events.ts';
import { azureBlobHandler } from '../../adapters/azure/blob.ts';
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

/**
 * One Functions Framework server per event-triggered function, as each is deployed on Google
 * Cloud: the function registered under its name (its entry point) and served by the framework's
 * own Express server, which answers 500 when the function throws (Pub/Sub then redelivers).
 */
const gcpServers = new Map<string, Promise<string>>();
async function gcpEndpoint(def: FunctionDef): Promise<string> {
  if (!gcpServers.has(def.name)) {
    gcpServers.set(
      def.name,
      (async () => {
        const functionsFramework = await import('@google-cloud/functions-framework');
        const { getTestServer } = await import('@google-cloud/functions-framework/testing');
        const { gcpEventFunction } = await import('../../adapters/gcp/events.ts');
        functionsFramework.cloudEvent(def.name, gcpEventFunction([def], { handlerOf: bindInline }));
        const server: Server = getTestServer(def.name);
        openServers.push(server);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      })(),
    );
  }
  return gcpServers.get(def.name)!;
}
const openServers: Server[] = [];

/** Closes the Functions Framework servers the GCP callers opened. */
export async function stopGcpServers(): Promise<void> {
  await Promise.all(openServers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  gcpServers.clear();
}

/** Pub/Sub with a dead-letter policy: a delivery not acknowledged (non-2xx) comes back with deliveryAttempt raised. */
export const pubsubQueueCaller: QueueCaller = {
  name: 'pubsub',
  async deliver(def, message) {
    const { postCloudEvent, pubsubEvent } = await import('../../adapters/gcp/local-events.ts');
    const { topicOfQueue } = await import('../../adapters/gcp/names.ts');
    try {
      await postCloudEvent(await gcpEndpoint(def), pubsubEvent(topicOfQueue(def.trigger.queue), message.body, { messageId: message.id, deliveryAttempt: message.receiveCount }));
      return false;
    } catch {
      return true;
    }
  },
};

export const queueCallers: QueueCaller[] = [azureQueueCaller, sqsQueueCaller, pubsubQueueCaller];

/** Cloud Scheduler publishing to the timer's topic when the occurrence is due: the publish time is the occurrence's. */
export const cloudSchedulerTimerCaller: TimerCaller = {
  name: 'cloud-scheduler',
  async fire(def, { scheduledAt }) {
    const { postCloudEvent, pubsubEvent } = await import('../../adapters/gcp/local-events.ts');
    const { topicOfTimer } = await import('../../adapters/gcp/names.ts');
    await postCloudEvent(await gcpEndpoint(def), pubsubEvent(topicOfTimer(def), '{}', { publishTime: scheduledAt }));
  },
};

export const timerCallers: TimerCaller[] = [azureTimerCaller, eventBridgeTimerCaller, cloudSchedulerTimerCaller];

/** What a blob handler saw: the container and the blob's name (the S3 key, decoded). */
export interface BlobSighting {
  container: string;
  name: string;
  size: number;
}

export const blobSightings: BlobSighting[] = [];

/** An inline blob function recording each new blob. */
export const conformanceBlob = defineFunction({
  name: 'conformance-blob',
  trigger: { kind: 'blob', path: 'conformance-uploads/{name}' },
  load: async () => ({
    handler: async (event: S3Event) => {
      for (const record of event.Records) {
        blobSightings.push({
          container: record.s3.bucket.name,
          name: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
          size: record.s3.object.size,
        });
      }
    },
  }),
});

export interface BlobCase {
  name: string;
  blob: string;
  bytes: number;
}

export const blobCases: BlobCase[] = [
  { name: 'a plain name', blob: 'sample.wav', bytes: 3 },
  { name: 'a name with spaces, a plus, unicode and a folder', blob: 'in/my take+1 é.wav', bytes: 1024 },
];

export interface BlobCaller {
  name: string;
  created(def: FunctionDef<BlobTrigger>, blob: { container: string; name: string; bytes: Buffer }): Promise<void>;
}

/** The Azure blob trigger: the host hands over the content and the blob's path. */
export const azureBlobCaller: BlobCaller = {
  name: 'azure',
  async created(def, blob) {
    const invocation = new azf.InvocationContext({
      invocationId: randomUUID(),
      functionName: def.name,
      triggerMetadata: { blobTrigger: `${blob.container}/${blob.name}`, properties: { length: blob.bytes.length } },
    });
    await azureBlobHandler(def, () => bindInline(def) as Promise<BlobLambda>)(blob.bytes, invocation);
  },
};

/** An S3 ObjectCreated notification, key form-encoded as S3 sends it. */
export const s3BlobCaller: BlobCaller = {
  name: 's3',
  async created(def, blob) {
    const event = s3Event(def.name, blob.container, blob.name);
    event.Records[0]!.s3.object.size = blob.bytes.length;
    const handler = (await bindInline(def)) as BlobLambda;
    await handler(event, lambdaContext(def, 30_000, event));
  },
};

/** Eventarc's Cloud Storage `finalized` CloudEvent for the bucket (the container under the deployment's prefix). */
export const gcsBlobCaller: BlobCaller = {
  name: 'gcs',
  async created(def, blob) {
    const { postCloudEvent, storageEvent } = await import('../../adapters/gcp/local-events.ts');
    await postCloudEvent(await gcpEndpoint(def), storageEvent(`acme-portico-${blob.container}`, blob.name, { size: blob.bytes.length }));
  },
};

export const blobCallers: BlobCaller[] = [azureBlobCaller, s3BlobCaller, gcsBlobCaller];

/** The container of a blob trigger. */
export const containerOf = (def: FunctionDef<BlobTrigger>) => blobLocation(def.trigger.path).bucket;
