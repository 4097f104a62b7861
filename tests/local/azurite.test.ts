/**
 * Embedded Azurite (adapters/local/azurite.ts): it starts on free loopback ports with a working
 * connection string, and stop() really stops it without holding the caller's event loop.
 */
import { describe, it, expect, afterAll } from '@jest/globals';
import { QueueServiceClient } from '@azure/storage-queue';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { connect } from 'node:net';
import { freePort, startAzurite, type Azurite } from '../../adapters/local/azurite.ts';

/**
 * The timers `run` creates itself (and what it calls), and no one else's: counting the process's
 * timers before and after also counted Jest's and the SDK's, which come and go with the load.
 */
async function timersCreatedBy(run: () => Promise<void>): Promise<NodeJS.Timeout[]> {
  const scope = new AsyncLocalStorage<true>();
  const created: NodeJS.Timeout[] = [];
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'Timeout' && scope.getStore()) created.push(resource as NodeJS.Timeout);
    },
  }).enable();
  try {
    await scope.run(true, run);
  } finally {
    hook.disable();
  }
  return created;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

describe('embedded Azurite', () => {
  let azurite: Azurite | undefined;

  afterAll(async () => {
    await azurite?.stop();
  });

  it('freePort returns a bindable loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
    expect(await refused(port)).toBe(true);
  });

  it('starts on loopback with a connection string the real SDK can use', async () => {
    azurite = await startAzurite();
    expect(azurite.connectionString).toContain(`QueueEndpoint=http://127.0.0.1:${azurite.queuePort}/devstoreaccount1`);
    expect(azurite.connectionString).toContain(`BlobEndpoint=http://127.0.0.1:${azurite.blobPort}/devstoreaccount1`);
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } });
    const queue = service.getQueueClient('azurite-smoke');
    await queue.create();
    await queue.sendMessage('hello');
    const { receivedMessageItems } = await queue.receiveMessages();
    expect(receivedMessageItems.map((message) => message.messageText)).toEqual(['hello']);
  }, 300_000);

  it('stop() stops the emulator and leaves no timer holding the event loop', async () => {
    const emulator = azurite!;
    azurite = undefined;
    const timers = await timersCreatedBy(() => emulator.stop());
    expect(await refused(emulator.queuePort)).toBe(true);
    expect(await refused(emulator.blobPort)).toBe(true);
    // stop() arms a SIGKILL fallback; a ref'd one would keep a process (and Jest) alive for 5 s after stop().
    expect(timers.length).toBeGreaterThan(0);
    expect(timers.filter((timer) => timer.hasRef())).toEqual([]);
  });
});
