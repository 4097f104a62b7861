/**
 * `npm run start:gcp`'s stand-ins for Pub/Sub, Cloud Scheduler and Eventarc: the local timers,
 * queue pollers and blob watchers deliver each firing, message or new blob as the CloudEvent
 * Google Cloud would send, over HTTP (binary content mode) to the Functions Framework's
 * `portico-events` target. A response other than 2xx is a failed delivery, which the poller
 * retries and, after maxDequeueCount, moves to `<queue>-poison`, as Pub/Sub's dead-letter policy does.
 */
import type { Timer } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { blobLocation, type BlobTrigger, type FunctionDef, type QueueTrigger, type TimerTrigger } from '../../kernel/functions.ts';
import type { TriggerRunner } from '../local/environment.ts';
import type { QueueDelivery } from '../local/invoke.ts';
import type { PubsubMessageData, StorageObjectData } from './events.ts';
import { PUBSUB_PUBLISHED, pubsubSource, STORAGE_FINALIZED, storageSource, topicOfQueue, topicOfTimer } from './names.ts';

const PROJECT = 'local';

export interface CloudEventDelivery {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  data: unknown;
}

/** POSTs one CloudEvent in binary content mode; throws unless the function acknowledged it. */
export async function postCloudEvent(url: string, event: CloudEventDelivery): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-type': event.type,
      'ce-source': event.source,
      'ce-time': event.time,
      ...(event.subject ? { 'ce-subject': event.subject } : {}),
    },
    body: JSON.stringify(event.data),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${event.type} ${event.id} from ${event.source} was not acknowledged (${response.status}).`);
}

/** A Pub/Sub `messagePublished` CloudEvent carrying `text`. */
export function pubsubEvent(topic: string, text: string, options: { messageId?: string; publishTime?: Date; deliveryAttempt?: number } = {}): CloudEventDelivery {
  const messageId = options.messageId ?? randomUUID();
  const publishTime = (options.publishTime ?? new Date()).toISOString();
  const data: PubsubMessageData = {
    message: { data: Buffer.from(text, 'utf8').toString('base64'), messageId, publishTime },
    subscription: `projects/${PROJECT}/subscriptions/${topic}`,
    ...(options.deliveryAttempt ? { deliveryAttempt: options.deliveryAttempt } : {}),
  };
  return { id: messageId, type: PUBSUB_PUBLISHED, source: pubsubSource(PROJECT, topic), time: publishTime, data };
}

/** A Cloud Storage `finalized` CloudEvent for `container/name`. */
export function storageEvent(container: string, name: string, properties: { size?: number; eTag?: string; contentType?: string } = {}): CloudEventDelivery {
  const time = new Date().toISOString();
  const data: StorageObjectData = {
    bucket: container,
    name,
    size: String(properties.size ?? 0),
    ...(properties.eTag ? { etag: properties.eTag } : {}),
    ...(properties.contentType ? { contentType: properties.contentType } : {}),
  };
  return { id: randomUUID(), type: STORAGE_FINALIZED, source: storageSource(container), subject: `objects/${name}`, time, data };
}

/** The local trigger stand-ins' runner: each delivery is a CloudEvent to `eventsUrl`. */
export function cloudEventRunner(eventsUrl: string): TriggerRunner {
  return {
    queue: (def: FunctionDef<QueueTrigger>, message: QueueDelivery) =>
      postCloudEvent(
        eventsUrl,
        pubsubEvent(topicOfQueue(def.trigger.queue), message.text, { messageId: message.id, publishTime: message.insertionTime, deliveryAttempt: message.dequeueCount }),
      ),
    // Cloud Scheduler publishes Portico's `{}` when the occurrence is due.
    timer: (def: FunctionDef<TimerTrigger>, _timer: Timer) => postCloudEvent(eventsUrl, pubsubEvent(topicOfTimer(def), '{}')),
    blob: (def: FunctionDef<BlobTrigger>, path: string, content: Buffer, properties: { eTag?: string; contentType?: string } = {}) => {
      const slash = path.indexOf('/');
      const container = slash < 0 ? blobLocation(def.trigger.path).bucket : path.slice(0, slash);
      return postCloudEvent(eventsUrl, storageEvent(container, path.slice(slash + 1), { size: content.length, ...properties }));
    },
  };
}
