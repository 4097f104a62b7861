/**
 * `npm start`: the whole function app on a laptop, with no configuration at all.
 * Without AzureWebJobsStorage it starts Azurite in memory and uses it.
 */
import type { BlobTrigger, FunctionDef, QueueTrigger, TimerTrigger } from '../../kernel/functions.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../app/config.ts';
import { checkSettings, localPortico } from '../../app/index.ts';
import { logPendingMigrations } from '../../app/migrations.ts';
import { hostSettings } from '../azure/host-settings.ts';
import { createDeadLetters } from '../../jobs/dead-letters.ts';
import { startAzurite, type Azurite } from './azurite.ts';
import { invokeBlobVersion, poisonIntoDeadLetters, startBlobWatchers } from './blob-watcher.ts';
import { type CosmosEmulator } from './cosmos-emulator.ts';
import { localDataDir, startLocalCosmos } from './data-dir.ts';
import { createInvoker } from './invoke.ts';
import { startQueuePollers } from './queue-poller.ts';
import { startScheduler } from './scheduler.ts';
import { createLocalHost, type LocalHost } from './server.ts';

/** A development JWT secret kept in the data folder, so local sign-ins survive a restart. */
function developmentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** What has been started so far, so a start that fails part-way stops it again. */
const started: { azurite?: Azurite; cosmos?: CosmosEmulator; host?: LocalHost } = {};

async function main(): Promise<void> {
  checkSettings(process.env, { localHost: true }); // every setting, before any emulator starts
  // Embedded emulators keep their data in .data/ (git-ignored), so it survives a restart.
  const dataDir = localDataDir();
  let azurite: Azurite | undefined;
  let cosmos: CosmosEmulator | undefined;
  if (!process.env.AzureWebJobsStorage) {
    mkdirSync(join(dataDir, 'azurite'), { recursive: true });
    azurite = started.azurite = await startAzurite({ location: join(dataDir, 'azurite') });
    process.env.AzureWebJobsStorage = azurite.connectionString;
  }
  if (!process.env.COSMOS_DB_ENDPOINT && !process.env.COSMOS_DB_KEY) {
    cosmos = started.cosmos = await startLocalCosmos(dataDir);
    process.env.COSMOS_DB_ENDPOINT = cosmos.endpoint;
    process.env.COSMOS_DB_KEY = cosmos.key;
  }
  if (!process.env.JWT_SECRET) {
    mkdirSync(dataDir, { recursive: true });
    process.env.JWT_SECRET = developmentSecret(join(dataDir, 'dev-jwt-secret'));
  }
  // A development API key (and its callback secret) for the X-API-Key routes, kept in .data/ like the JWT secret.
  let devApiKey: string | undefined;
  if (!process.env.API_KEYS) {
    devApiKey = developmentSecret(join(dataDir, 'dev-api-key'));
    process.env.API_KEYS = `local:${devApiKey}`;
    process.env.CAPABILITIES_WEBHOOK_SECRETS ??= `local:whsec_${Buffer.from(developmentSecret(join(dataDir, 'dev-webhook-secret')), 'base64url').toString('base64')}`;
  }
  // A development secret for the voice providers' callbacks (POST /api/webhooks/{source}), kept in
  // .data/ like the others and never logged; a deployment without one answers 503 on that route only.
  if (!process.env.VOICE_WEBHOOK_SECRETS) {
    mkdirSync(dataDir, { recursive: true });
    process.env.VOICE_WEBHOOK_SECRETS = `whsec_${Buffer.from(developmentSecret(join(dataDir, 'dev-voice-webhook-secret')), 'base64url').toString('base64')}`;
  }
  // The app is built now, on the environment the emulators completed.
  const app = localPortico();
  app.validate();
  const { config, functions } = app;
  await app.ports.documents.ensure(app.containers);
  const logger = app.ports.logger;
  await logPendingMigrations(app);
  const settings = hostSettings();
  const invoker = createInvoker(app.bind);

  const host = createLocalHost({ table: functions, port: config.port, logger, maxBodyBytes: config.maxBodyBytes, invoker });
  const url = await host.listen();
  started.host = host;
  const scheduler = startScheduler(
    functions.filter((def): def is FunctionDef<TimerTrigger> => def.trigger.kind === 'timer'),
    (def, timer) => invoker.timer(def, timer),
    logger,
  );
  const pollers = startQueuePollers(
    functions.filter((def): def is FunctionDef<QueueTrigger> => def.trigger.kind === 'queue'),
    (def, message) => invoker.queue(def, message),
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
    invokeBlobVersion(invoker),
    {
      connection: config.storageConnection!,
      scanIntervalMs: config.localBlobScanIntervalMs,
      maxAttempts: settings.queues.maxDequeueCount,
      onPoison: poisonIntoDeadLetters(createDeadLetters(platformDeps.jobRuntime, platformDeps.jobs)),
    },
    logger,
  );

  const routes = functions.map((def) =>
    def.trigger.kind === 'http' ? `  ${def.trigger.method.padEnd(7)} ${url}/api/${def.trigger.route}` : `  ${def.trigger.kind.padEnd(7)} ${def.name}`,
  );
  logger.info(
    {
      url,
      storage: azurite ? `embedded Azurite (pid ${azurite.pid}, blob ${azurite.blobPort}, queue ${azurite.queuePort}) in ${dataDir}` : 'AzureWebJobsStorage',
      cosmos: cosmos ? `embedded Cosmos emulator at ${cosmos.endpoint}, snapshot in ${dataDir}` : config.cosmos?.endpoint,
    },
    `Portico is listening on ${url}\n${routes.join('\n')}\n  run a non-HTTP function: POST ${url}/admin/functions/<name>` +
      // The key itself is a secret: it is never logged, only where to read it.
      (devApiKey ? `\n  X-API-Key for local use: the key in ${join(dataDir, 'dev-api-key')} (API_KEYS is unset)` : ''),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await Promise.allSettled([host.close(), scheduler.stop(), pollers.stop(), blobWatchers.stop()]);
    // What the last requests and jobs recorded reaches the exporter before the process ends.
    await Promise.allSettled([app.ports.metrics.flush(), azurite?.stop(), cosmos?.stop()]);
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch(async (error: unknown) => {
  // A configuration problem is the operator's to fix: say which variable, without a stack.
  console.error(error instanceof ConfigError ? error.message : `Portico failed to start: ${(error as Error).message}`);
  // Stop what did start, so a failed start leaves no emulator behind (Azurite's watchdog is the backstop).
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await Promise.allSettled([started.host?.close()]);
  await Promise.allSettled([started.azurite?.stop(), started.cosmos?.stop()]);
  process.exit(1);
});
