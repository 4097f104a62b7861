/**
 * `npm start`: the whole function app on a laptop, with no configuration at all.
 * Without AzureWebJobsStorage it starts Azurite in memory and uses it.
 */
import { ConfigError } from '../../app/config.ts';
import { checkSettings, localPortico } from '../../app/index.ts';
import { logPendingMigrations } from '../../app/migrations.ts';
import { failedStart, prepareLocalEnvironment, startLocalTriggers, stopOnSignals, type Started } from './environment.ts';
import { createInvoker } from './invoke.ts';
import { createLocalHost, type LocalHost } from './server.ts';

/** What has been started so far, so a start that fails part-way stops it again. */
const started: Started & { host?: LocalHost } = {};

async function main(): Promise<void> {
  checkSettings(process.env, { localHost: true }); // every setting, before any emulator starts
  const { dataDir, azurite, cosmos, devApiKeyFile } = await prepareLocalEnvironment(started);
  // The app is built now, on the environment the emulators completed.
  const app = localPortico();
  app.validate();
  const { config, functions } = app;
  await app.ports.documents.ensure(app.containers);
  const logger = app.ports.logger;
  await logPendingMigrations(app);
  const invoker = createInvoker(app.bind);

  const host = createLocalHost({ table: functions, port: config.port, logger, maxBodyBytes: config.maxBodyBytes, invoker });
  const url = await host.listen();
  started.host = host;
  const triggers = startLocalTriggers(app, invoker);

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
      (devApiKeyFile ? `\n  X-API-Key for local use: the key in ${devApiKeyFile} (API_KEYS is unset)` : ''),
  );

  stopOnSignals(
    logger,
    () => Promise.allSettled([host.close(), triggers.stop()]),
    // What the last requests and jobs recorded reaches the exporter before the process ends.
    () => Promise.allSettled([app.ports.metrics.flush(), azurite?.stop(), cosmos?.stop()]),
  );
}

main().catch((error: unknown) =>
  failedStart(
    error,
    async () => {
      await Promise.allSettled([started.host?.close()]);
      await Promise.allSettled([started.azurite?.stop(), started.cosmos?.stop()]);
    },
    (candidate) => candidate instanceof ConfigError,
  ),
);
