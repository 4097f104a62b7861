/**
 * CloudEvents -> the Lambda events the handlers already take:
 *
 * - `google.cloud.pubsub.topic.v1.messagePublished` on a queue's topic -> an SQSEvent with one
 *   record (the message id, the exact text, its attributes as String message attributes, Pub/Sub's
 *   delivery attempt as the receive count).
 * - the same on a timer's topic (Cloud Scheduler publishes it) -> an EventBridge ScheduledEvent
 *   whose time is the publish time, which `isPastDue` compares with the clock as on AWS.
 * - `google.cloud.storage.object.v1.finalized` -> an S3Event with one record.
 *
 * Failures are signalled as Cloud Functions retries them: the function throws, the framework
 * answers 500, and Pub/Sub (or Eventarc) delivers the event again with backoff; after the
 * subscription's maximum delivery attempts Pub/Sub moves the message to the `<q>-poison` topic.
 * What is thrown carries no stack: the framework prints it to the log as it is.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { S3Event, ScheduledEvent, SQSEvent } from 'aws-lambda';
import {
  blobLocation,
  type AnyHandler,
  type BlobLambda,
  type BlobTrigger,
  type FunctionDef,
  type QueueLambda,
  type QueueTrigger,
  type TimerLambda,
  type TimerTrigger,
} from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import { s3RecordEvent, sqsRecordEvent } from '../lambda-shapes.ts';
import { hostSettings, type HostSettings } from '../azure/host-settings.ts';
import { gcpContext } from './context.ts';
import { PUBSUB_PUBLISHED, sourceName, STORAGE_FINALIZED, topicOfQueue, topicOfTimer } from './names.ts';

/** The data of a `messagePublished` CloudEvent. */
export interface PubsubMessageData {
  message: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
  /** Set by Pub/Sub when the subscription has a dead-letter policy (the generated deployment gives every job queue one). */
  deliveryAttempt?: number;
}

/** The data of a Cloud Storage object CloudEvent (the fields Portico reads). */
export interface StorageObjectData {
  bucket: string;
  name: string;
  size?: string | number;
  etag?: string;
  contentType?: string;
  generation?: string;
}

/** Thrown to have the platform deliver the event again; its text is the whole log line. */
export class DeliveryFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailed';
    this.stack = `${this.name}: ${message}`;
  }
}

const region = () => process.env.REGION_NAME ?? 'local';

function pubsubMessage(event: CloudEvent<unknown>): PubsubMessageData {
  const data = event.data as Partial<PubsubMessageData> | undefined;
  if (!data || typeof data !== 'object' || typeof data.message !== 'object' || data.message === null) {
    throw new DeliveryFailed(`CloudEvent ${event.id} from ${event.source} carries no Pub/Sub message.`);
  }
  return data as PubsubMessageData;
}

const messageText = (message: PubsubMessageData['message']) => Buffer.from(message.data ?? '', 'base64').toString('utf8');

/** Pub/Sub attributes are string pairs: SQS String message attributes, in the shape Lambda delivers them. */
function messageAttributes(attributes: Record<string, string> | undefined): SQSEvent['Records'][number]['messageAttributes'] {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).map(([name, value]) => [name, { dataType: 'String', stringValue: String(value), stringListValues: [], binaryListValues: [] }]),
  );
}

export function toSqsEvent(event: CloudEvent<unknown>, trigger: QueueTrigger): SQSEvent {
  const data = pubsubMessage(event);
  return sqsRecordEvent({
    messageId: data.message.messageId ?? event.id,
    receiptHandle: data.subscription ?? '',
    body: messageText(data.message),
    receiveCount: data.deliveryAttempt ?? 1,
    sentAt: Date.parse(data.message.publishTime ?? event.time ?? '') || Date.now(),
    senderId: 'gcp-pubsub',
    eventSource: 'gcp:pubsub',
    eventSourceARN: `gcp:pubsub:${trigger.queue}`,
    region: region(),
    messageAttributes: messageAttributes(data.message.attributes),
  });
}

export function toScheduledEvent(event: CloudEvent<unknown>, def: FunctionDef<TimerTrigger>): ScheduledEvent {
  const data = pubsubMessage(event);
  let detail: unknown = {};
  try {
    detail = JSON.parse(messageText(data.message) || '{}');
  } catch {
    // Cloud Scheduler's body is Portico's own `{}`; anything else is no detail.
  }
  return {
    version: '0',
    id: data.message.messageId ?? event.id,
    'detail-type': 'Scheduled Event',
    source: 'gcp.cloudscheduler',
    account: '',
    // When Cloud Scheduler published: the occurrence's time, as EventBridge's `time` is.
    time: new Date(data.message.publishTime ?? event.time ?? Date.now()).toISOString(),
    region: region(),
    resources: [`timer:${def.name}`],
    detail: typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? detail : {},
  };
}

/** Undefined when the object is outside the trigger's path: Eventarc filters on the bucket only. */
export function toS3Event(event: CloudEvent<unknown>, def: FunctionDef<BlobTrigger>): S3Event | undefined {
  const object = event.data as Partial<StorageObjectData> | undefined;
  if (!object || typeof object.name !== 'string') throw new DeliveryFailed(`CloudEvent ${event.id} from ${event.source} names no object.`);
  const { bucket, prefix, suffix } = blobLocation(def.trigger.path);
  if (!object.name.startsWith(prefix) || !object.name.endsWith(suffix)) return undefined;
  const time = event.time ?? new Date().toISOString();
  return s3RecordEvent({
    eventSource: 'gcp:storage',
    region: region(),
    time,
    requestId: event.id,
    principal: '',
    sourceIp: '',
    configurationId: def.name,
    // The table's container: the bucket's name carries the deployment's prefix.
    bucket,
    bucketArn: `gcp:storage:${object.bucket ?? bucket}`,
    name: object.name,
    size: Number(object.size ?? 0),
    eTag: String(object.etag ?? ''),
    sequencer: String(object.generation ?? Date.parse(time)),
  });
}

export interface GcpEventOptions {
  /** host.json's settings, read once by the caller (registration reads them for every function). */
  host?: HostSettings;
  /** The composition root's binder: the function's handler, built once on first use. */
  handlerOf(def: FunctionDef): Promise<AnyHandler>;
  logger?: Logger;
}

/** Runs one event-triggered function for one CloudEvent; throws to have it delivered again. */
async function deliver(def: FunctionDef, event: CloudEvent<unknown>, options: GcpEventOptions, host: HostSettings): Promise<void> {
  const context = gcpContext(def, host, event.id, { cloudEvent: event });
  const trigger = def.trigger;
  switch (trigger.kind) {
    case 'queue': {
      const handler = (await options.handlerOf(def)) as QueueLambda;
      const sqs = toSqsEvent(event, trigger);
      const result = await handler(sqs, context);
      const failed = result?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? [];
      if (failed.length > 0) throw new DeliveryFailed(`Queue message ${failed.join(', ')} on ${trigger.queue} failed; Pub/Sub will deliver it again or dead-letter it.`);
      return;
    }
    case 'timer': {
      const handler = (await options.handlerOf(def)) as TimerLambda;
      await handler(toScheduledEvent(event, def as FunctionDef<TimerTrigger>), context);
      return;
    }
    case 'blob': {
      const s3 = toS3Event(event, def as FunctionDef<BlobTrigger>);
      if (!s3) return;
      const handler = (await options.handlerOf(def)) as BlobLambda;
      await handler(s3, context);
      return;
    }
    case 'http':
      throw new DeliveryFailed(`${def.name} is an HTTP function; it takes no CloudEvents.`);
  }
}

/** The function a CloudEvent is for: a queue or timer by its Pub/Sub topic, a blob trigger by its bucket. */
export function functionForEvent(defs: readonly FunctionDef[], event: Pick<CloudEvent<unknown>, 'type' | 'source'>, bucketPrefix = ''): FunctionDef | undefined {
  const name = sourceName(event.source);
  if (event.type === PUBSUB_PUBLISHED) {
    return defs.find(
      (def) => (def.trigger.kind === 'queue' && topicOfQueue(def.trigger.queue) === name) || (def.trigger.kind === 'timer' && topicOfTimer(def) === name),
    );
  }
  if (event.type === STORAGE_FINALIZED) {
    return defs.find((def) => def.trigger.kind === 'blob' && `${bucketPrefix}${blobLocation(def.trigger.path).bucket}` === name);
  }
  return undefined;
}

/**
 * The Functions Framework CloudEvent function for `defs`: one (a deployed function, whose
 * trigger already chose its events) or every event-triggered function (`npm run start:gcp`).
 * An event no function takes is refused, so the platform keeps it and dead-letters it.
 */
export function gcpEventFunction(defs: readonly FunctionDef[], options: GcpEventOptions & { bucketPrefix?: string }) {
  const host = options.host ?? hostSettings();
  return async (event: CloudEvent<unknown>): Promise<void> => {
    const def = defs.length === 1 ? defs[0] : functionForEvent(defs, event, options.bucketPrefix);
    if (!def) throw new DeliveryFailed(`No function takes ${event.type} from ${event.source}.`);
    try {
      await deliver(def, event, options, host);
    } catch (error) {
      if (error instanceof DeliveryFailed) {
        options.logger?.warn({ function: def.name, eventId: event.id, reason: error.message }, 'event not handled; it will be delivered again');
        throw error;
      }
      options.logger?.error({ function: def.name, eventId: event.id, err: error }, 'event-triggered function failed; it will be delivered again');
      throw new DeliveryFailed(`${def.name} failed on event ${event.id}.`);
    }
  };
}
