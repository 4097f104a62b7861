/**
 * `npm start`: the whole function app on a laptop, with no configuration at all.
 * Without AzureWebJobsStorage it starts Azurite in memory and uses it.
 */
import type { FunctionDef, QueueTrigger, TimerTrigger } from '../../app/define.ts';
import { ConfigError, getConfig, loadConfig } from '../../app/config.ts';
import { getLogger } from '../../app/composition.ts';
import { functions } from '../../app/functions.ts';
import { hostSettings } from '../azure/host-settings.ts';
import { startAzurite, type Azurite } from './azurite.ts';
import { createInvoker } from './invoke.ts';
import { startQueuePollers } from './queue-poller.ts';
import { startScheduler } from './scheduler.ts';
import { createLocalHost } from './server.ts';

async function main(): Promise<void> {
  loadConfig(); // validate before starting anything
  let azurite: Azurite | undefined;
  if (!process.env.AzureWebJobsStorage) {
    azurite = await startAzurite();
    process.env.AzureWebJobsStorage = azurite.connectionString;
  }
  const config = getConfig();
  const logger = getLogger();
  const settings = hostSettings();
  const invoker = createInvoker();

  const host = createLocalHost({ table: functions, port: config.port, logger, maxBodyBytes: config.maxBodyBytes, invoker });
  const url = await host.listen();
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

  const routes = functions.map((def) =>
    def.trigger.kind === 'http' ? `  ${def.trigger.method.padEnd(7)} ${url}/api/${def.trigger.route}` : `  ${def.trigger.kind.padEnd(7)} ${def.name}`,
  );
  logger.info(
    { url, storage: azurite ? `embedded Azurite (blob ${azurite.blobPort}, queue ${azurite.queuePort})` : 'AzureWebJobsStorage' },
    `Portico is listening on ${url}\n${routes.join('\n')}\n  run a non-HTTP function: POST ${url}/admin/functions/<name>`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await Promise.allSettled([host.close(), scheduler.stop(), pollers.stop()]);
    await azurite?.stop();
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: say which variable, without a stack.
  console.error(error instanceof ConfigError ? error.message : `Portico failed to start: ${(error as Error).message}`);
  process.exit(1);
});
