/**
 * What every local host (`npm start`, `npm run start:gcp`) starts around the function table: the
 * embedded emulators and development secrets on a machine with no configuration, and the
 * stand-ins for the platform's triggers (timers, queue pollers, blob watchers).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PorticoApp } from '../../app/app.ts';
import { hostSettings } from '../azure/host-settings.ts';
import { createDeadLetters } from '../../jobs/dead-letters.ts';
import type { BlobTrigger, FunctionDef, QueueTrigger, TimerTrigger } from '../../kernel/functions.ts';
import { startAzurite, type Azurite } from './azurite.ts';
import { invokeBlobVersion, poisonIntoDeadLetters, startBlobWatchers } from './blob-watcher.ts';
import type { CosmosEmulator } from './cosmos-emulator.ts';
import { localDataDir, startLocalCosmos } from './data-dir.ts';
import type { Invoker } from './invoke.ts';
import { startQueuePollers } from './queue-poller.ts';
import { startScheduler } from './scheduler.ts';

/** A development secret kept in the data folder, so local sign-ins survive a restart. */
function developmentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** What has been started so far, so a start that fails part-way can stop it again. */
export interface Started {
  azurite?: Azurite;
  cosmos?: CosmosEmulator;
}

export interface LocalEnvironment {
  dataDir: string;
  azurite?: Azurite;
  cosmos?: CosmosEmulator;
  /** Set when API_KEYS was unset and a development key was made (its file, never the key, is logged). */
  devApiKeyFile?: string;
}

/**
 * Completes `process.env` for a laptop: Azurite and the Cosmos emulator when no storage or
 * database is configured (their data in .data/, git-ignored, so it survives a restart), and
 * development secrets for what needs one. Records each emulator in `started` as it starts.
 */
export async function prepareLocalEnvironment(started: Started): Promise<LocalEnvironment> {
  const env = process.env;
  const dataDir = localDataDir();
  mkdirSync(dataDir, { recursive: true });
  const prepared: LocalEnvironment = { dataDir };
  if (!env.AzureWebJobsStorage) {
    mkdirSync(join(dataDir, 'azurite'), { recursive: true });
    prepared.azurite = started.azurite = await startAzurite({ location: join(dataDir, 'azurite') });
    env.AzureWebJobsStorage = prepared.azurite.connectionString;
  }
  if (!env.COSMOS_DB_ENDPOINT && !env.COSMOS_DB_KEY) {
    prepared.cosmos = started.cosmos = await startLocalCosmos(dataDir);
    env.COSMOS_DB_ENDPOINT = prepared.cosmos.endpoint;
    env.COSMOS_DB_KEY = prepared.cosmos.key;
  }
  env.JWT_SECRET ||= developmentSecret(join(dataDir, 'dev-jwt-secret'));
  // A development API key (and its callback secret) for the X-API-Key routes.
  if (!env.API_KEYS) {
    prepared.devApiKeyFile = join(dataDir, 'dev-api-key');
    env.API_KEYS = `local:${developmentSecret(prepared.devApiKeyFile)}`;
    env.CAPABILITIES_WEBHOOK_SECRETS ??= `local:whsec_${Buffer.from(developmentSecret(join(dataDir, 'dev-webhook-secret')), 'base64url').toString('base64')}`;
  }
  // The voice providers' callbacks (POST /api/webhooks/{source}); a deployment without one answers 503 on that route only.
  env.VOICE_WEBHOOK_SECRETS ||= `whsec_${Buffer.from(developmentSecret(join(dataDir, 'dev-voice-webhook-secret')), 'base64url').toString('base64')}`;
  return prepared;
}

/** How the local trigger stand-ins reach a function: through the Azure adapter, or as CloudEvents. */
export type TriggerRunner = Pick<Invoker, 'queue' | 'timer' | 'blob'>;

/** Fires the timers, polls the queues and watches the blob containers of the table, as the platform would. */
export function startLocalTriggers(app: PorticoApp, runner: TriggerRunner) {
  const { config, functions } = app;
  const logger = app.ports.logger;
  const settings = hostSettings();
  const scheduler = startScheduler(
    functions.filter((def): def is FunctionDef<TimerTrigger> => def.trigger.kind === 'timer'),
    (def, timer) => runner.timer(def, timer),
    logger,
  );
  const pollers = startQueuePollers(
    functions.filter((def): def is FunctionDef<QueueTrigger> => def.trigger.kind === 'queue'),
    (def, message) => runner.queue(def, message),
    {
      connection: config.storageConnection!,
      maxDequeueCount: settings.queues.maxDequeueCount,
      visibilityTimeoutSeconds: Math.round(settings.queues.visibilityTimeoutMs / 1000),
      batchSize: settings.queues.batchSize,
      maxPollIntervalMs: settings.queues.maxPollingIntervalMs,
    },
    logger,
  );
  const platformDeps = app.depsOf(undefined);
  const blobWatchers = startBlobWatchers(
    functions.filter((def): def is FunctionDef<BlobTrigger> => def.trigger.kind === 'blob'),
    invokeBlobVersion(runner),
    {
      connection: config.storageConnection!,
      scanIntervalMs: config.localBlobScanIntervalMs,
      maxAttempts: settings.queues.maxDequeueCount,
      onPoison: poisonIntoDeadLetters(createDeadLetters(platformDeps.jobRuntime, platformDeps.jobs)),
    },
    logger,
  );
  return {
    stop: async () => {
      await Promise.allSettled([scheduler.stop(), pollers.stop(), blobWatchers.stop()]);
    },
  };
}

/** Stops on SIGINT/SIGTERM: `close` first (hosts, triggers), then `release` (exporters, emulators). */
export function stopOnSignals(logger: PorticoApp['ports']['logger'], close: () => Promise<unknown>, release: () => Promise<unknown>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await close();
    await release();
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** A start that failed: say why without a stack, stop what did start, exit 1. */
export async function failedStart(error: unknown, stop: () => Promise<unknown>, isConfigError: (error: unknown) => boolean): Promise<never> {
  console.error(isConfigError(error) ? (error as Error).message : `Portico failed to start: ${(error as Error).message}`);
  // Azurite's watchdog is the backstop if this takes too long.
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await stop();
  process.exit(1);
}
