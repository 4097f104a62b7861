/**
 * The composition root: the one place that turns configuration into adapters. Everything is
 * built once per cold start and lazily, so a health check never pays for SDKs it does not use.
 */
import { randomUUID } from 'node:crypto';
import { lazyBlobStore, lazyDocumentStore, lazyMessageQueue, notConfigured } from '../adapters/lazy.ts';
import type { BlobStore, Clock, DocumentStore, IdSource, MessageQueue } from '../domain/ports.ts';
import { withSqsEventPath } from '../adapters/aws/sqs-events.ts';
import type { SqsMessageQueue } from '../adapters/aws/sqs-queue.ts';
import type { QueueLambda } from '../kernel/functions.ts';
import type { S3BlobStore } from '../adapters/aws/s3-blob-store.ts';
import { PAYLOAD_CONTAINER, type JobRuntimeDeps } from '../jobs/runtime-deps.ts';
import { getConfig, jobSettings, type Config } from './config.ts';
import { containers } from './containers.ts';
import { jobs } from './jobs.ts';
import { MemoryDocumentStore } from '../adapters/memory/documents.ts';
import { loadIdentitySettings } from '../handlers/identity/settings.ts';
import { loadRateLimits, RateLimiter, routeRateLimit } from '../middleware/rate-limit.ts';
import { loadWebhookSecrets } from '../middleware/webhooks.ts';
import { functions } from './functions.ts';
import { createAuth, loadAuthSettings, type Auth } from '../middleware/auth/index.ts';
import type { HttpPlatform } from '../middleware/http-stack.ts';
import { createLogger, type Logger } from '../middleware/logger.ts';
import type { LanguageModel } from '../domain/ai.ts';
import { createLanguageModel } from '../adapters/ai/language-model.ts';
import { loggingObserver, type ModelObserver } from '../adapters/ai/observed-model.ts';
import { loadAiSettings } from '../adapters/ai/settings.ts';
import { createTelemetry, type Telemetry } from '../adapters/telemetry/index.ts';
import { loadTelemetrySettings } from '../adapters/telemetry/settings.ts';
import { validateWardrobeSettings } from '../handlers/wardrobe/settings.ts';

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export const getLogger = once((): Logger => {
  const config = getConfig();
  return createLogger({ level: config.logLevel, pretty: config.logPretty });
});

/** Tokens, OIDC, API keys and the admin allowlist; no network I/O until an RS256 token arrives. */
export const getAuth = once((): Auth => createAuth(loadAuthSettings(), getLogger()));

/**
 * Where rate-limit counters and webhook ids live: Cosmos DB, shared by every instance. Without
 * Cosmos they fall back to this instance's memory (limits then hold per instance).
 */
const getSharedStateStore = once((): DocumentStore => (getConfig().cosmos ? getDocumentStore() : new MemoryDocumentStore()));

export const getHttpPlatform = once(
  (): HttpPlatform => ({
    logger: getLogger(),
    corsAllowedOrigins: getConfig().corsAllowedOrigins,
    maxBodyBytes: getConfig().maxBodyBytes,
    authenticate: getAuth().authenticate,
    rateLimits: { config: loadRateLimits(), limiter: new RateLimiter({ store: getSharedStateStore(), clock: systemClock }) },
    webhooks: { store: getSharedStateStore(), clock: systemClock },
  }),
);

/** Resolves when the dependency answers, rejects when it does not. */
export type DependencyCheck = (signal: AbortSignal) => Promise<void>;

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdSource = { next: () => randomUUID() };

const STORAGE_VARIABLES = 'AzureWebJobsStorage';
const COSMOS_VARIABLES = 'COSMOS_DB_ENDPOINT, COSMOS_DB_KEY';

export const getDocumentStore = once((): DocumentStore => {
  const cosmos = getConfig().cosmos;
  if (!cosmos) return lazyDocumentStore(notConfigured('Cosmos DB', COSMOS_VARIABLES));
  return lazyDocumentStore(async () => {
    const { CosmosDocumentStore } = await import('../adapters/cosmos/document-store.ts');
    const store = new CosmosDocumentStore(cosmos);
    await store.ensure(containers);
    return store;
  });
});

/**
 * The queue the configuration selects (QUEUE_PROVIDER), as a loader: the adapter module and its
 * SDK are imported on the first call, not when the composition root loads.
 */
export function messageQueueLoader(config: Config): () => Promise<MessageQueue> {
  const { queue, storageConnection } = config;
  if (queue.provider === 'sqs') {
    return async () => {
      const { SqsMessageQueue } = await import('../adapters/aws/sqs-queue.ts');
      return new SqsMessageQueue({
        region: queue.region,
        queueNamePrefix: queue.queueNamePrefix,
        ...(queue.endpoint ? { endpoint: queue.endpoint } : {}),
        ...(queue.queueUrlPrefix ? { queueUrlPrefix: queue.queueUrlPrefix } : {}),
      });
    };
  }
  if (!storageConnection) return notConfigured('Storage', STORAGE_VARIABLES);
  return async () => new (await import('../adapters/storage/message-queue.ts')).AzureMessageQueue(storageConnection);
}

/** The blob store the configuration selects (BLOB_PROVIDER), as a loader like messageQueueLoader. */
export function blobStoreLoader(config: Config): () => Promise<BlobStore> {
  const { blobs, storageConnection } = config;
  if (blobs.provider === 's3') {
    return async () => {
      const { S3BlobStore } = await import('../adapters/aws/s3-blob-store.ts');
      return new S3BlobStore({
        region: blobs.region,
        bucketPrefix: blobs.bucketPrefix,
        forcePathStyle: blobs.forcePathStyle,
        ...(blobs.endpoint ? { endpoint: blobs.endpoint } : {}),
      });
    };
  }
  if (!storageConnection) return notConfigured('Storage', STORAGE_VARIABLES);
  return async () => new (await import('../adapters/storage/blob-store.ts')).AzureBlobStore(storageConnection);
}

export const getMessageQueue = once((): MessageQueue => lazyMessageQueue(messageQueueLoader(getConfig())));

export const getBlobStore = once((): BlobStore => lazyBlobStore(blobStoreLoader(getConfig())));

export const getJobRuntimeDeps = once(
  (): JobRuntimeDeps => ({
    documents: getDocumentStore(),
    queue: getMessageQueue(),
    blobs: getBlobStore(),
    clock: systemClock,
    ids: randomIds,
    logger: getLogger(),
    jobs,
    settings: (spec) => jobSettings(spec.settingsPrefix),
    leaseSeconds: getConfig().jobLeaseSeconds,
  }),
);

/**
 * Wraps a queue handler for Lambda's SQS events: decodes the SQS adapter's body encoding, re-sends
 * messages whose long delay has not run out (adapters/aws/sqs-events.ts), and gives handlers the
 * table's queue names. Azure and local records pass through untouched.
 */
export function withQueueEventPath(handler: QueueLambda, options: { deferNotYetDue?: boolean } = {}): QueueLambda {
  const { queue } = getConfig();
  return withSqsEventPath(handler, {
    queue: getMessageQueue(),
    clock: systemClock,
    logger: getLogger(),
    queueNamePrefix: queue.provider === 'sqs' ? queue.queueNamePrefix : '',
    ...options,
  });
}

/** Start-up validation of everything read from the environment, so a bad value stops the app. */
export function validateSettings(): void {
  getConfig();
  loadAuthSettings();
  loadIdentitySettings(process.env);
  for (const spec of jobs) jobSettings(spec.settingsPrefix);
  validateAiSettings();
  validateWardrobeSettings(process.env, loadAuthSettings().oidc);
  // Every route's limit and webhook secrets must exist, or the first request would find out.
  const limits = loadRateLimits();
  for (const def of functions) {
    if (def.trigger.kind !== 'http') continue;
    routeRateLimit(limits, def.trigger);
    if (def.trigger.webhook) loadWebhookSecrets(def.trigger.webhook.secretsVariable);
  }
}

/**
 * What health checks, from the configuration: Cosmos DB, and each queue/blob provider in use
 * (Azure Storage once, however many ports use it). Each check loads its SDK only when it runs.
 */
export function dependencyChecks(config: Config): Record<string, DependencyCheck> {
  const { storageConnection, cosmos, queue, blobs } = config;
  const checks: Record<string, DependencyCheck> = {};
  if (cosmos) {
    checks.cosmos = async (signal) => {
      const { pingCosmos } = await import('../adapters/cosmos/document-store.ts');
      await pingCosmos(cosmos.endpoint, cosmos.key, signal);
    };
  }
  if (storageConnection && (queue.provider === 'azure' || blobs.provider === 'azure')) {
    checks.storage = async (signal) => {
      const { pingQueueService } = await import('../adapters/storage/queue-service.ts');
      await pingQueueService(storageConnection, signal);
    };
  }
  if (queue.provider === 'sqs') {
    // The first job queue: it is in the stack, so a wrong prefix or missing permission shows here.
    const probe = jobs[0]?.queue;
    const load = once(messageQueueLoader(config)) as () => Promise<SqsMessageQueue>;
    if (probe) checks.sqs = async (signal) => (await load()).ping(probe, signal);
  }
  if (blobs.provider === 's3') {
    // Job payloads are the one container every deployment uses.
    const load = once(blobStoreLoader(config)) as () => Promise<S3BlobStore>;
    checks.s3 = async (signal) => (await load()).ping(PAYLOAD_CONTAINER, signal);
  }
  return checks;
}

export const getDependencyChecks = once((): Record<string, DependencyCheck> => dependencyChecks(getConfig()));

// ---------------------------------------------------------------- language model and AI telemetry

/** AI, tracing and Langfuse settings: a half-configured provider stops start-up. */
function validateAiSettings(): void {
  loadAiSettings();
  loadTelemetrySettings();
}

/** OTLP traces and Langfuse, when configured; their SDKs load on the first model call. */
export const getTelemetry = once((): Telemetry => createTelemetry(loadTelemetrySettings(), getLogger()));

function modelObservers(): ModelObserver[] {
  return [loggingObserver(getLogger()), ...getTelemetry().observers];
}

/**
 * Azure OpenAI, OpenAI or the offline provider, by configuration; the SDK is imported on the
 * first call. Every call is logged (never its text) and traced where tracing is configured.
 */
export const getLanguageModel = once((): LanguageModel => createLanguageModel(loadAiSettings(), modelObservers()));
