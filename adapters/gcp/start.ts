/**
 * `npm run start:gcp`: the function app served through Google's Functions Framework, on the same
 * embedded emulators and development secrets as `npm start`. Every HTTP route is served by the
 * `portico` target on PORT; every event-triggered function by the `portico-events` target on
 * PORT + 1 (an ephemeral port when PORT is 0), which takes CloudEvents as Google Cloud sends them.
 * The local timers, queue pollers and blob watchers deliver to it as Cloud Scheduler, Pub/Sub
 * and Eventarc would (local-events.ts). Both answer to loopback only, behind `npm start`'s door.
 */
import * as functionsFramework from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../app/config.ts';
import { checkSettings, localPortico } from '../../app/index.ts';
import { logPendingMigrations } from '../../app/migrations.ts';
import { problemResponse, toAppError } from '../../middleware/problem-errors.ts';
import { checkDoor } from '../local/door.ts';
import { failedStart, prepareLocalEnvironment, startLocalTriggers, stopOnSignals, type Started } from '../local/environment.ts';
import { cloudEventRunner } from './local-events.ts';
import { EVENTS_TARGET, HTTP_TARGET } from './names.ts';
import { registerGcpFunctions } from './register.ts';

const started: Started & { servers: Server[] } = { servers: [] };

/**
 * One Functions Framework server for `target`, listening on `port` on the loopback interface,
 * behind the local host's door (adapters/local/door.ts): a loopback Host only, and no
 * cross-origin or preflight-free bodies on the development paths, checked before the framework
 * reads anything.
 */
async function serve(target: string, port: number): Promise<{ server: Server; url: string }> {
  const server = getTestServer(target);
  started.servers.push(server);
  const framework = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      checkDoor(req, path);
    } catch (error) {
      const problem = problemResponse(toAppError(error), randomUUID(), path);
      res.writeHead(problem.statusCode ?? 403, problem.headers as Record<string, string>).end(problem.body);
      return;
    }
    for (const listener of framework) listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // An open event stream would hold the server open; its handler stops when the socket goes.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}

async function main(): Promise<void> {
  checkSettings(process.env, { localHost: true });
  const { dataDir, azurite, cosmos, devApiKeyFile } = await prepareLocalEnvironment(started);
  const app = localPortico();
  app.validate();
  await app.ports.documents.ensure(app.containers);
  const logger = app.ports.logger;
  await logPendingMigrations(app);
  registerGcpFunctions(functionsFramework, { functions: app.functions, bind: app.bind, logger }, { includeLocalOnly: true });

  const http = await serve(HTTP_TARGET, app.config.port);
  const events = await serve(EVENTS_TARGET, app.config.port === 0 ? 0 : app.config.port + 1);
  const triggers = startLocalTriggers(app, cloudEventRunner(events.url));

  logger.info(
    {
      url: http.url,
      events: events.url,
      storage: azurite ? `embedded Azurite (pid ${azurite.pid}, blob ${azurite.blobPort}, queue ${azurite.queuePort}) in ${dataDir}` : 'AzureWebJobsStorage',
      cosmos: cosmos ? `embedded Cosmos emulator at ${cosmos.endpoint}, snapshot in ${dataDir}` : app.config.cosmos?.endpoint,
    },
    `Portico (Functions Framework) is listening on ${http.url}/api/...\n` +
      `  CloudEvents for the event-triggered functions: POST ${events.url}/ (Pub/Sub messagePublished, Cloud Storage finalized)` +
      (devApiKeyFile ? `\n  X-API-Key for local use: the key in ${devApiKeyFile} (API_KEYS is unset)` : ''),
  );

  stopOnSignals(
    logger,
    () => Promise.allSettled([close(http.server), close(events.server), triggers.stop()]),
    () => Promise.allSettled([app.ports.metrics.flush(), azurite?.stop(), cosmos?.stop()]),
  );
}

main().catch((error: unknown) =>
  failedStart(
    error,
    async () => {
      await Promise.allSettled(started.servers.map(close));
      await Promise.allSettled([started.azurite?.stop(), started.cosmos?.stop()]);
    },
    (candidate) => candidate instanceof ConfigError,
  ),
);
