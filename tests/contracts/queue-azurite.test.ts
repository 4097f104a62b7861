/**
 * The MessageQueue contract against AzureMessageQueue on embedded Azurite, plus what only the
 * real service shows: the wire format the Functions host expects, the message lifetime, the
 * queue cache recovering, and an unreachable service as a StoreUnavailableError.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { QueueClient } from '@azure/storage-queue';
import { startAzurite, connectionString, freePort, type Azurite } from '../../adapters/local/azurite.ts';
import { AzureMessageQueue } from '../../adapters/storage/message-queue.ts';
import { StoreUnavailableError } from '../../domain/errors.ts';
import { describeMessageQueueContract } from './message-queue.contract.ts';

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
}, 300_000);

afterAll(async () => {
  await azurite?.stop();
});

describeMessageQueueContract('AzureMessageQueue on Azurite', () => ({
  queue: new AzureMessageQueue(azurite.connectionString),
  advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
}));

describe('AzureMessageQueue on Azurite: what only the real service shows', () => {
  let mq: AzureMessageQueue;
  const raw = (queue: string) => new QueueClient(azurite.connectionString, queue);

  beforeAll(() => {
    mq = new AzureMessageQueue(azurite.connectionString);
  });

  it('puts base64 of the UTF-8 text on the wire, as the Functions host reads it', async () => {
    const text = JSON.stringify({ type: 'job', note: 'ünïcode 😀' });
    await mq.send('wire-out', text);
    const [peeked] = (await raw('wire-out').peekMessages()).peekedMessageItems;
    expect(peeked!.messageText).toBe(Buffer.from(text, 'utf8').toString('base64'));
    expect(Buffer.from(peeked!.messageText, 'base64').toString('utf8')).toBe(text);
  });

  it('decodes a base64 message written by another producer (the Functions host, the poller)', async () => {
    const text = '{"from":"elsewhere","é":true}';
    await mq.ensure('wire-in');
    const sent = await raw('wire-in').sendMessage(Buffer.from(text, 'utf8').toString('base64'));
    const [message] = await mq.receive('wire-in', { max: 1, visibilitySeconds: 30 });
    expect(message).toMatchObject({ id: sent.messageId, text, dequeueCount: 1 });
  });

  it('gives a delayed message its full 7-day lifetime from when it becomes visible', async () => {
    const week = 7 * 24 * 3600 * 1000;
    await mq.send('lifetime', 'now');
    await mq.send('lifetime', 'delayed', { delaySeconds: 1 });
    // Peek sees only visible messages: wait (bounded) for the delayed one to show.
    const deadline = Date.now() + 4000;
    let peeked = (await raw('lifetime').peekMessages({ numberOfMessages: 32 })).peekedMessageItems;
    while (peeked.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      peeked = (await raw('lifetime').peekMessages({ numberOfMessages: 32 })).peekedMessageItems;
    }
    const lifetime = (text: string) => {
      const message = peeked.find((item) => Buffer.from(item.messageText, 'base64').toString('utf8') === text)!;
      return message.expiresOn.getTime() - message.insertedOn.getTime();
    };
    expect(lifetime('now')).toBe(week);
    expect(lifetime('delayed')).toBe(week + 1000);
  });

  it('recreates a queue deleted behind its back (the existence cache is not trusted blindly)', async () => {
    await mq.send('cache-reset', 'before');
    await raw('cache-reset').delete();
    const { id } = await mq.send('cache-reset', 'after');
    const [message] = await mq.receive('cache-reset', { max: 32, visibilitySeconds: 30 });
    expect(message).toMatchObject({ id, text: 'after' });
  });

  it('maps a refused connection to StoreUnavailableError', async () => {
    const closed = new AzureMessageQueue(connectionString(await freePort(), await freePort()));
    await expect(closed.send('any-queue', 'x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(closed.receive('any-queue', { max: 1, visibilitySeconds: 30 })).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    await expect(closed.count('any-queue')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
