/**
 * Configuration -> ports: every adapter Portico builds, built once per cold start and lazily, so
 * a health check never pays for the OpenAI or Cosmos SDKs. Each getter of the returned catalog
 * builds its port on first read; the SDK itself loads on the port's first call (adapters/lazy.ts).
 */
import { randomUUID } from 'node:crypto';
import { lazyBlobStore, lazyDocumentStore, lazyMessageQueue, notConfigured } from '../adapters/lazy.ts';
import type { BlobStore, Clock, ContainerSpec, DocumentStore, IdSource, MessageQueue } from '../domain/ports.ts';
import type { EmailSender } from '../domain/email.ts';
import type { LanguageModel } from '../domain/ai.ts';
import type { Metrics } from '../domain/metrics.ts';
import type { BackgroundRemover, ImageProcessor } from '../domain/wardrobe/media.ts';
import type { PageFetcher } from '../domain/wardrobe/page-fetch.ts';
import type { FileFetcher, ObjectStoreSettings } from '../domain/capabilities/ports.ts';
import type { CapabilityPluginLoader } from '../domain/capabilities/ports.ts';
import type { WebhookPoster } from '../domain/webhooks.ts';
import type { SystemResources } from '../domain/health.ts';
import type { AudioProcessor } from '../domain/voice/audio.ts';
import type { VoiceProvider, VoiceProviderSettings } from '../domain/voice/provider.ts';
import { withSqsEventPath, type SqsEventPathOptions } from '../adapters/aws/sqs-events.ts';
import type { SqsMessageQueue } from '../adapters/aws/sqs-queue.ts';
import type { S3BlobStore } from '../adapters/aws/s3-blob-store.ts';
import { MemoryDocumentStore } from '../adapters/memory/documents.ts';
import { DevOutbox } from '../adapters/email/dev-outbox.ts';
import type { SafeFetchSettings } from '../adapters/http/safe-fetch.ts';
import type { DependencyCheck } from '../middleware/dependency-probe.ts';
import type { DiscoveryProviders, ProviderSettings } from '../domain/discovery/ports.ts';
import type { HttpSegmentationOptions } from '../adapters/segmentation/http-segmentation.ts';
import { createLanguageModel } from '../adapters/ai/language-model.ts';
import { loggingObserver, metricsObserver } from '../adapters/ai/observed-model.ts';
import { loadAiSettings } from '../adapters/ai/settings.ts';
import { createTelemetry } from '../adapters/telemetry/index.ts';
import { lazyMetrics } from '../adapters/telemetry/lazy-metrics.ts';
import { loadMetricsExport, loadTelemetrySettings } from '../adapters/telemetry/settings.ts';
import type { QueueLambda } from '../kernel/functions.ts';
import type { Env } from '../kernel/env.ts';
import { once } from '../kernel/once.ts';
import { createAuth, loadAuthSettings, revocationCheck, type Auth } from '../middleware/auth/index.ts';
import type { HttpPlatform } from '../middleware/http-stack.ts';
import { createLogger, type Logger } from '../middleware/logger.ts';
import { loadRateLimits, RateLimiter } from '../middleware/rate-limit.ts';
import { PAYLOAD_CONTAINER } from '../jobs/runtime-deps.ts';
import type { Config } from './config.ts';

export type { DependencyCheck };

/** Every port a factory may ask for. Tests build this catalog from memory adapters instead. */
export interface Ports {
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  documents: DocumentStore;
  queue: MessageQueue;
  blobs: BlobStore;
  model: LanguageModel;
  /** Counters and histograms: this instance's view, and OTLP export when configured. */
  metrics: Metrics;
  auth: Auth;
  /** What the HTTP stack needs: logger, CORS, body limit, the authenticator, rate limits, webhook ids. */
  platform: HttpPlatform;
  /** SendGrid when configured, otherwise the development outbox. */
  email: EmailSender;
  /** The process-wide development outbox (GET /api/dev/outbox reads it). */
  devOutbox: DevOutbox;
  /** What the health route probes: Cosmos DB and each queue/blob provider in use. */
  dependencyChecks: Record<string, DependencyCheck>;
  /** This instance's CPU load, memory, disk free on the data folder and uptime, for the health report. */
  systemResources(): Promise<SystemResources>;
  /** Image decoding and encoding (sharp, loaded on first use). */
  images(options: { maxInputPixels: number }): ImageProcessor;
  /** Background removal by the configured segmentation endpoint. */
  segmentation(options: HttpSegmentationOptions): BackgroundRemover;
  /** Fetches public web pages with the SSRF policy. */
  pageFetcher(settings: SafeFetchSettings): PageFetcher;
  /** The SSRF-safe HTTP client: web pages, input files by URL, and signed webhook POSTs. */
  safeHttp(settings: SafeFetchSettings): PageFetcher & FileFetcher & WebhookPoster;
  /** Capability plugin modules by name (adapters/capabilities/plugins/<name>.ts, imported on first use), and which packages they need are missing here. */
  capabilityPlugins: CapabilityPluginLoader;
  /** The blob store for capability outputs: an S3-compatible one (R2) when configured, else the platform's. */
  objectStore(settings: ObjectStoreSettings | undefined): BlobStore;
  /** The discovery providers the settings select: the offline sample set, or the live ones with keys (loaded on first use). */
  discoveryProviders(settings: ProviderSettings): Promise<DiscoveryProviders>;
  /** Audio inspection and conversion (ffprobe and ffmpeg, loaded on first use). */
  audio: AudioProcessor;
  /** The voice provider the settings select, one per settings for the process (the offline one keeps its trainings' state); loaded on first call. */
  voiceProvider(settings: VoiceProviderSettings): VoiceProvider;
  /** On Lambda, SQS records pass this first (long delays, body encoding, stage prefix); elsewhere it is a no-op. */
  queueEventPath(handler: QueueLambda, options?: Pick<SqsEventPathOptions, 'deferNotYetDue'>): QueueLambda;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdSource = { next: () => randomUUID() };

const STORAGE_VARIABLES = 'AzureWebJobsStorage';
const COSMOS_VARIABLES = 'COSMOS_DB_ENDPOINT, COSMOS_DB_KEY';

/** The queue the configuration selects (QUEUE_PROVIDER), as a loader: the adapter and its SDK load on the first call. */
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

/**
 * What health checks, from the configuration: Cosmos DB, and each queue/blob provider in use
 * (Azure Storage once, however many ports use it). Each check loads its SDK only when it runs.
 * `probeQueue` is a queue that exists in every deployment (the first job queue).
 */
export function dependencyChecks(config: Config, probeQueue: string | undefined): Record<string, DependencyCheck> {
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
  if (queue.provider === 'sqs' && probeQueue) {
    // A job queue is in the stack, so a wrong prefix or missing permission shows here.
    const load = once(messageQueueLoader(config)) as () => Promise<SqsMessageQueue>;
    checks.sqs = async (signal) => (await load()).ping(probeQueue, signal);
  }
  if (blobs.provider === 's3') {
    // Job payloads are the one container every deployment uses.
    const load = once(blobStoreLoader(config)) as () => Promise<S3BlobStore>;
    checks.s3 = async (signal) => (await load()).ping(PAYLOAD_CONTAINER, signal);
  }
  return checks;
}

export interface PortOptions {
  config: Config;
  env: Env;
  /** The local host (AppOptions.localHost): LOCAL_DEV_AUTH is allowed. */
  localHost?: boolean;
  /** Every container of every service: the document store creates them on first use. */
  containers: readonly ContainerSpec[];
  probeQueue: string | undefined;
  /** SENDGRID_KEY and EMAIL_FROM (identity's settings), when e-mail is configured. */
  sendgrid: () => { apiKey: string; from: string } | undefined;
}

/** Defines `name` on `target` as a getter that builds the value once, on first read (unless it was given). */
function lazily<T extends object, K extends keyof T>(target: T, name: K, build: () => T[K]): void {
  if (Object.hasOwn(target, name)) return;
  const get = once(build);
  Object.defineProperty(target, name, { get, enumerable: true, configurable: true });
}

/**
 * The real ports, from configuration; nothing is built until a factory reads it. `given` ports
 * (memory adapters in tests) take the place of the real ones, and every other port uses them.
 */
export function createPorts(options: PortOptions, given: Partial<Ports> = {}): Ports {
  const { config, env } = options;
  const ports = { ...given } as Ports;
  lazily(ports, 'logger', () => createLogger({ level: config.logLevel, pretty: config.logPretty }));
  lazily(ports, 'clock', () => systemClock);
  lazily(ports, 'ids', () => randomIds);
  lazily(ports, 'documents', () => {
    const cosmos = config.cosmos;
    if (!cosmos) return lazyDocumentStore(notConfigured('Cosmos DB', COSMOS_VARIABLES));
    return lazyDocumentStore(async () => {
      const { CosmosDocumentStore } = await import('../adapters/cosmos/document-store.ts');
      const store = new CosmosDocumentStore(cosmos);
      await store.ensure(options.containers);
      return store;
    });
  });
  lazily(ports, 'queue', () => lazyMessageQueue(messageQueueLoader(config)));
  lazily(ports, 'blobs', () => lazyBlobStore(blobStoreLoader(config)));
  // No network I/O until an RS256 token arrives.
  // Erased accounts' tokens are refused (one point read per Portico token), where there is a store to ask.
  const hasStore = Object.hasOwn(given, 'documents') || Boolean(config.cosmos);
  lazily(ports, 'auth', () => createAuth(loadAuthSettings(env, { localHost: options.localHost }), ports.logger, hasStore ? (userId, issuedAt) => revocationCheck(ports.documents)(userId, issuedAt) : undefined));
  lazily(ports, 'model', () => {
    // OTLP traces and Langfuse, when configured; their SDKs load on the first model call.
    const telemetry = createTelemetry(loadTelemetrySettings(env), ports.logger);
    return createLanguageModel(loadAiSettings(env), [loggingObserver(ports.logger), metricsObserver(ports.metrics), ...telemetry.observers]);
  });
  lazily(ports, 'metrics', () => {
    const exporting = loadMetricsExport(env);
    const warn = (message: string) => ports.logger.warn({ backEnd: 'opentelemetry-metrics' }, message);
    return lazyMetrics(async () => (await import('../adapters/telemetry/metrics.ts')).startMetrics(exporting, warn), () => warn('metrics failed to start; nothing is recorded'));
  });
  lazily(ports, 'platform', () => {
    // Rate-limit counters and webhook ids live in Cosmos DB, shared by every instance; without
    // Cosmos, in this instance's memory (limits then hold per instance), on the same clock as the
    // limiter, or counters would expire by one clock while counted by another.
    const shared = config.cosmos ? ports.documents : new MemoryDocumentStore(ports.clock);
    return {
      logger: ports.logger,
      metrics: ports.metrics,
      corsAllowedOrigins: config.corsAllowedOrigins,
      maxBodyBytes: config.maxBodyBytes,
      authenticate: ports.auth.authenticate,
      rateLimits: { config: loadRateLimits(env), limiter: new RateLimiter({ store: shared, clock: ports.clock }) },
      webhooks: { store: shared, clock: ports.clock, env },
    };
  });
  lazily(ports, 'devOutbox', () => new DevOutbox({ logger: ports.logger }));
  lazily(ports, 'email', () => {
    const sendgrid = options.sendgrid();
    if (!sendgrid) {
      ports.logger.warn('SENDGRID_KEY is not set: e-mail goes to the in-memory development outbox, and nobody receives it');
      return ports.devOutbox;
    }
    return lazyEmailSender(async () => new (await import('../adapters/email/sendgrid.ts')).SendGridEmailSender({ ...sendgrid, logger: ports.logger }));
  });
  lazily(ports, 'dependencyChecks', () => dependencyChecks(config, options.probeQueue));
  ports.systemResources ??= async () => (await import('../adapters/system/resources.ts')).readSystemResources();
  ports.images ??= (imageOptions) => lazyImages(async () => new (await import('../adapters/images/sharp-images.ts')).SharpImages(imageOptions));
  ports.segmentation ??= (segmentationOptions) => ({
    removeBackground: async (...args) => new (await import('../adapters/segmentation/http-segmentation.ts')).HttpSegmentation(segmentationOptions).removeBackground(...args),
  });
  ports.safeHttp ??= (settings) => {
    const load = once(async () => (await import('../adapters/http/safe-fetch.ts')).createSafeFetcher(settings));
    return {
      fetchPage: async (...args) => (await load()).fetchPage(...args),
      fetchFile: async (...args) => (await load()).fetchFile(...args),
      post: async (...args) => (await load()).post(...args),
    };
  };
  ports.pageFetcher ??= (settings) => ports.safeHttp(settings);
  ports.capabilityPlugins ??= {
    load: async (name) => (await import('../adapters/capabilities/load-plugin.ts')).loadPlugin(name),
    missingPackages: async (names) => (await import('../adapters/capabilities/load-plugin.ts')).missingPackages(names),
  };
  ports.objectStore ??= (settings) => {
    if (!settings) return ports.blobs;
    return lazyBlobStore(
      once(async () => {
        const { S3BlobStore } = await import('../adapters/aws/s3-blob-store.ts');
        const { endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } = settings;
        return new S3BlobStore({ endpoint, region, forcePathStyle, ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}) });
      }),
    );
  };
  ports.discoveryProviders ??= async (settings) => (await import('../adapters/discovery/providers.ts')).createProviders(settings);
  ports.audio ??= lazyAudio(async () => (await import('../adapters/voice/audio.ts')).createAudioProcessor());
  const providers = new Map<string, VoiceProvider>();
  ports.voiceProvider ??= (settings) => {
    const key = JSON.stringify(settings);
    let provider = providers.get(key);
    if (!provider) {
      provider = lazyVoiceProvider(settings.provider, async () => {
        if (settings.provider === 'azure-speech') {
          const { AzureSpeechVoiceProvider } = await import('../adapters/voice/azure-speech.ts');
          return new AzureSpeechVoiceProvider({ ...settings, audio: ports.audio });
        }
        if (settings.provider === 'openai') {
          const { OpenAITtsVoiceProvider } = await import('../adapters/voice/openai-tts.ts');
          return new OpenAITtsVoiceProvider({ ...settings, audio: ports.audio });
        }
        const { OfflineVoiceProvider } = await import('../adapters/voice/offline.ts');
        return new OfflineVoiceProvider({ trainingTicks: settings.offlineTrainingTicks, audio: ports.audio });
      });
      providers.set(key, provider);
    }
    return provider;
  };
  ports.queueEventPath ??= (handler, pathOptions = {}) =>
    withSqsEventPath(handler, {
      queue: ports.queue,
      clock: ports.clock,
      logger: ports.logger,
      queueNamePrefix: config.queue.provider === 'sqs' ? config.queue.queueNamePrefix : '',
      ...pathOptions,
    });
  return ports;
}

function lazyEmailSender(load: () => Promise<EmailSender>): EmailSender {
  const sender = once(load);
  return { send: async (message) => (await sender()).send(message) };
}

function lazyAudio(load: () => Promise<AudioProcessor>): AudioProcessor {
  const audio = once(load);
  return {
    inspect: async (...args) => (await audio()).inspect(...args),
    encode: async (...args) => (await audio()).encode(...args),
  };
}

function lazyVoiceProvider(name: VoiceProvider['name'], load: () => Promise<VoiceProvider>): VoiceProvider {
  const provider = once(load);
  return {
    name,
    createVoice: async (...args) => (await provider()).createVoice(...args),
    trainingStatus: async (...args) => (await provider()).trainingStatus(...args),
    deleteVoice: async (...args) => (await provider()).deleteVoice(...args),
    synthesize: async (...args) => (await provider()).synthesize(...args),
  };
}

/** sharp is a native module: load it only in the functions that decode images. */
function lazyImages(load: () => Promise<ImageProcessor>): ImageProcessor {
  const images = once(load);
  return {
    inspect: async (bytes) => (await images()).inspect(bytes),
    toWebp: async (bytes, options) => (await images()).toWebp(bytes, options),
    toPng: async (bytes, options) => (await images()).toPng(bytes, options),
    pixels: async (bytes, options) => (await images()).pixels(bytes, options),
  };
}
