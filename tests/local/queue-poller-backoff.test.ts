/**
 * The local queue poller while Storage is down: it waits with an exponential backoff (capped)
 * instead of retrying a few times a second, keeps waiting when Storage is down from the start,
 * and starts over from the first step once a poll succeeds. Storage is real Azurite behind a TCP
 * proxy the test switches off and on; the poller's waits are recorded, not waited, and the proxy
 * only changes state inside a wait, so the sequence of waits is exact, whatever the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FunctionDef, QueueTrigger } from '../../kernel/functions.ts';
import { connectionString, startAzurite, type Azurite } from '../../adapters/local/azurite.ts';
import { failureBackoff, startQueuePollers } from '../../adapters/local/queue-poller.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureQueue } from '../support/fixture-functions.ts';

/** Forwards to `target` while up; while down, drops every connection, open ones included. */
async function switchableProxy(target: number) {
  let up = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    set(state: 'up' | 'down') {
      up = state === 'up';
      if (!up) for (const socket of open) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), open.forEach((socket) => socket.destroy()))),
  };
}

describe('failureBackoff', () => {
  it('doubles from the base to the cap, and a success starts it over', () => {
    const backoff = failureBackoff({ baseMs: 1000, capMs: 5000 });
    expect([backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed()]).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoff.failures).toBe(5);
    backoff.succeeded();
    expect(backoff.failures).toBe(0);
    expect(backoff.failed()).toBe(1000);
  });
});

describe('startQueuePollers while Storage is down', () => {
  let azurite: Azurite;
  let proxy: Awaited<ReturnType<typeof switchableProxy>>;

  beforeAll(async () => {
    azurite = await startAzurite();
    proxy = await switchableProxy(azurite.queuePort);
  }, 300_000);

  afterAll(async () => {
    await proxy?.close();
    await azurite?.stop();
  });

  it('backs off exponentially to its cap, warns once per wait, and starts over after a success', async () => {
    // Down from the start; up after the 5th failed poll; down again after 3 idle polls.
    const waits: number[] = [];
    const warnings: Array<{ retryInMs: number }> = [];
    const logger = createLogger({
      level: 'warn',
      pretty: false,
      destination: { write: (line: string) => void warnings.push(JSON.parse(line) as { retryInMs: number }) },
    });
    let stopped!: () => void;
    const done = new Promise<void>((resolve) => (stopped = resolve));
    const script: Record<number, () => void> = { 5: () => proxy.set('up'), 8: () => proxy.set('down'), 11: () => stopped() };
    proxy.set('down');
    const pollers = startQueuePollers(
      [fixtureQueue as FunctionDef<QueueTrigger>],
      async () => undefined,
      {
        // The queue endpoint is the proxy: Azurite is only reachable through it.
        connection: connectionString(azurite.blobPort, proxy.port),
        maxDequeueCount: 3,
        visibilityTimeoutSeconds: 1,
        batchSize: 4,
        maxPollIntervalMs: 200,
        retry: { baseMs: 1000, capMs: 8000 },
        sleep: async (ms) => {
          waits.push(ms);
          script[waits.length]?.();
          // Never actually waits; one turn of the event loop keeps the loop from spinning hot.
          await new Promise((resolve) => setImmediate(resolve));
          if (waits.length >= 11) await done;
        },
      },
      logger,
    );
    await done;
    await pollers.stop();
    expect(waits).toEqual([
      1000, 2000, 4000, 8000, 8000, // down from the start: doubling to the cap
      100, 200, 200, // up: an empty queue is polled at the idle interval
      1000, 2000, 4000, // down again: the backoff started over
    ]);
    // One warning per failed poll (each saying how long it waits), nothing else at warn.
    expect(warnings.map((entry) => entry.retryInMs)).toEqual([1000, 2000, 4000, 8000, 8000, 1000, 2000, 4000]);
  }, 300_000);
});
