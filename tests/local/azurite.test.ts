/**
 * Embedded Azurite (adapters/local/azurite.ts): it starts on free loopback ports with a working
 * connection string, and stop() really stops it without holding the caller's event loop.
 */
import { describe, it, expect, afterAll } from '@jest/globals';
import { QueueServiceClient } from '@azure/storage-queue';
import { connect } from 'node:net';
import { freePort, startAzurite, type Azurite } from '../../adapters/local/azurite.ts';

const timeouts = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

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
  }, 40_000);

  it('stop() stops the emulator and leaves no timer holding the event loop', async () => {
    const emulator = azurite!;
    azurite = undefined;
    const before = timeouts();
    await emulator.stop();
    expect(await refused(emulator.queuePort)).toBe(true);
    expect(await refused(emulator.blobPort)).toBe(true);
    // A left-over `setTimeout(…, 5000)` keeps a process (and Jest) alive for 5 s after stop().
    expect(timeouts()).toBeLessThanOrEqual(before);
  });
});
