/** The MessageQueue contract against MemoryMessageQueue, on a fake clock: no test here sleeps. */
import { describe, it, expect } from '@jest/globals';
import { MemoryMessageQueue } from '../../adapters/memory/message-queue.ts';
import { describeMessageQueueContract } from './message-queue.contract.ts';

describeMessageQueueContract('MemoryMessageQueue', () => {
  let now = Date.now();
  return {
    queue: new MemoryMessageQueue({ clock: { now: () => new Date(now) } }),
    advance: async (ms) => {
      now += ms;
    },
    now: () => now,
  };
});

describe('MemoryMessageQueue: what the emulator cannot show in a test run', () => {
  it('expires a message 7 days after it becomes visible, like the Azure adapter', async () => {
    let now = Date.now();
    const mq = new MemoryMessageQueue({ clock: { now: () => new Date(now) } });
    const day = 24 * 3600 * 1000;
    await mq.send('expiry', 'plain');
    await mq.send('expiry', 'delayed', { delaySeconds: 24 * 3600 });
    now += 7 * day - 1;
    expect(await mq.count('expiry')).toBe(2);
    now += 1;
    expect(await mq.count('expiry')).toBe(1);
    now += day - 1;
    expect((await mq.receive('expiry', { max: 32, visibilitySeconds: 30 })).map((message) => message.text)).toEqual(['delayed']);
    now += 1;
    expect(await mq.count('expiry')).toBe(0);
  });

  it('delivers in order of visibility, then of sending', async () => {
    let now = Date.now();
    const mq = new MemoryMessageQueue({ clock: { now: () => new Date(now) } });
    await mq.send('order', 'late', { delaySeconds: 5 });
    await mq.send('order', 'first');
    await mq.send('order', 'second');
    now += 5000;
    const texts: string[] = [];
    for (let index = 0; index < 3; index++) texts.push(...(await mq.receive('order', { max: 1, visibilitySeconds: 30 })).map((message) => message.text));
    expect(texts).toEqual(['first', 'second', 'late']);
  });
});
