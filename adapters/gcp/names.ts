/**
 * What Google Cloud calls each part of the function table, shared by the adapter (adapters/gcp/),
 * `npm run start:gcp` and the generated deployment (gcp/deploy.sh), so the three cannot disagree.
 *
 * - Every table function is registered with the Functions Framework under its own name, which is
 *   its `--entry-point`. `portico` (every HTTP route, routed by the table) and `portico-events`
 *   (every CloudEvent, routed by its source) are the two targets `npm run start:gcp` serves.
 * - A queue `<q>` is the Pub/Sub topic `<q>`; Pub/Sub dead-letters to `<q>-poison` after
 *   host.json's maxDequeueCount deliveries, where the table's poison collector consumes it, as
 *   on Azure and AWS.
 * - A timer fires through Cloud Scheduler, which publishes to the topic `timer-<function>`.
 * - A blob container `<c>` is the Cloud Storage bucket `<prefix><c>`.
 */
import type { FunctionDef } from '../../kernel/functions.ts';
import { hostSettings, type HostSettings } from '../azure/host-settings.ts';

/** The Functions Framework target that serves every HTTP route of the table. */
export const HTTP_TARGET = 'portico';
/** The Functions Framework target that takes every CloudEvent and hands it to the function it is for. */
export const EVENTS_TARGET = 'portico-events';

/** The CloudEvent types Portico's triggers arrive as. */
export const PUBSUB_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
export const STORAGE_FINALIZED = 'google.cloud.storage.object.v1.finalized';

export const topicOfQueue = (queue: string) => queue;
export const topicOfTimer = (def: Pick<FunctionDef, 'name'>) => `timer-${def.name}`;

/** `//pubsub.googleapis.com/projects/<project>/topics/<topic>`, the source of a Pub/Sub CloudEvent. */
export const pubsubSource = (project: string, topic: string) => `//pubsub.googleapis.com/projects/${project}/topics/${topic}`;
/** `//storage.googleapis.com/projects/_/buckets/<bucket>`, the source of a Cloud Storage CloudEvent. */
export const storageSource = (bucket: string) => `//storage.googleapis.com/projects/_/buckets/${bucket}`;

/** The topic (or bucket) a CloudEvent source names: its last path segment. */
export const sourceName = (source: string) => source.slice(source.lastIndexOf('/') + 1);

/** The memory every function is deployed with (gcp/deploy.sh), and what its context reports. */
export const GCP_MEMORY_MB = 1024;

/** Cloud Run functions' ceilings: 60 minutes for HTTP, 9 minutes for event-driven functions. */
const HTTP_MAX_TIMEOUT_SECONDS = 3600;
const EVENT_MAX_TIMEOUT_SECONDS = 540;

/**
 * A function's timeout on Google Cloud, which is also the deadline its handler sees
 * (`getRemainingTimeInMillis`): HTTP gets Azure's HTTP limit (host.json), so a request has the
 * same budget on every cloud; the rest get host.json's functionTimeout.
 */
export function gcpTimeoutSeconds(def: FunctionDef, host: HostSettings = hostSettings()): number {
  if (def.trigger.kind === 'http') return Math.min(Math.ceil(host.httpTimeoutMs / 1000), HTTP_MAX_TIMEOUT_SECONDS);
  return Math.min(Math.ceil(host.functionTimeoutMs / 1000), EVENT_MAX_TIMEOUT_SECONDS);
}
