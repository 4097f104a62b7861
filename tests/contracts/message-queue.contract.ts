/**
 * The MessageQueue contract (domain/ports.ts), with Azure Storage queue semantics: one suite, run
 * against every implementation by the queue-*.test.ts runners. Time moves through env.advance, so
 * the memory queue jumps its clock where the emulator really waits; every wait is bounded.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import type { MessageQueue, ReceivedMessage } from '../../domain/ports.ts';
import { PayloadTooLargeError } from '../../domain/errors.ts';
import { StaleReceiptError } from '../../adapters/queue-errors.ts';
import { rejection } from '../support/assertions.ts';

export interface QueueContractEnv {
  queue: MessageQueue;
  /** Lets `ms` pass: a fake clock jumps, a real service is waited for. */
  advance(ms: number): Promise<void>;
  /** The queue's notion of now, in epoch ms. */
  now(): number;
}

const LIMIT = 48 * 1024;
const LONG = 30;


export function describeMessageQueueContract(label: string, setup: () => Promise<QueueContractEnv> | QueueContractEnv): void {
  describe(`MessageQueue contract: ${label}`, () => {
    let env: QueueContractEnv;
    let mq: MessageQueue;
    const run = Math.random().toString(36).slice(2, 8);
    let counter = 0;
    /** A fresh queue per test, so tests never see each other's messages. */
    const fresh = async () => {
      const name = `contract-${run}-${++counter}`;
      await mq.ensure(name);
      return name;
    };

    /** Receives until `probe` accepts what arrived, advancing time in 100 ms steps up to `limitMs`. */
    async function eventually<T>(what: string, limitMs: number, probe: () => Promise<T | undefined>): Promise<T> {
      for (let waited = 0; ; waited += 100) {
        const value = await probe();
        if (value !== undefined) return value;
        if (waited >= limitMs) throw new Error(`gave up after ${limitMs} ms waiting for ${what}`);
        await env.advance(100);
      }
    }

    const receiveOne = (queue: string, visibilitySeconds = LONG) => async () =>
      (await mq.receive(queue, { max: 1, visibilitySeconds }))[0];

    beforeAll(async () => {
      env = await setup();
      mq = env.queue;
    });

    it('round-trips text exactly (unicode, JSON, whitespace, markup, empty), then deletes it', async () => {
      const q = await fresh();
      const texts = [
        'plain',
        JSON.stringify({ type: 'job', jobId: 'j-1', payload: { name: 'Zoë', emoji: '😀🎉', quote: '"\\', nested: [1, null, true] } }),
        'line one\nline two\r\n\ttabbed',
        '漢字 עברית العربية',
        '  leading and trailing  ',
        '<xml attr="1">&amp; ]]></xml>',
        '',
      ];
      const before = env.now();
      const ids = new Map<string, string>();
      for (const text of texts) ids.set((await mq.send(q, text)).id, text);
      const after = env.now();

      const received = await mq.receive(q, { max: 32, visibilitySeconds: LONG });
      expect(received).toHaveLength(texts.length);
      for (const message of received) {
        expect(ids.get(message.id)).toBe(message.text);
        expect(message.dequeueCount).toBe(1);
        expect(typeof message.receipt).toBe('string');
        expect(message.receipt.length).toBeGreaterThan(0);
        expect(message.insertedAt).toBeInstanceOf(Date);
        // The service reports whole seconds.
        expect(message.insertedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(message.insertedAt.getTime()).toBeLessThanOrEqual(after + 1000);
      }
      expect(new Set(received.map((message) => message.text))).toEqual(new Set(texts));

      for (const message of received) await mq.delete(q, message);
      expect(await mq.count(q)).toBe(0);
      expect(await mq.receive(q, { max: 32, visibilitySeconds: LONG })).toEqual([]);
    });

    it('keeps a message invisible for delaySeconds, then delivers it', async () => {
      const q = await fresh();
      const { id } = await mq.send(q, 'later', { delaySeconds: 2 });
      expect(await mq.receive(q, { max: 32, visibilitySeconds: LONG })).toEqual([]);
      await env.advance(1000);
      expect(await mq.receive(q, { max: 32, visibilitySeconds: LONG })).toEqual([]);
      expect(await mq.count(q)).toBe(1);
      const message = await eventually('the delayed message', 4000, receiveOne(q));
      expect(message).toMatchObject({ id, text: 'later', dequeueCount: 1 });
    });

    it('hides a received message for visibilitySeconds, then redelivers it with dequeueCount 2 and a new receipt', async () => {
      const q = await fresh();
      const { id } = await mq.send(q, 'work');
      const first = (await mq.receive(q, { max: 32, visibilitySeconds: 1 }))[0]!;
      expect(first).toMatchObject({ id, dequeueCount: 1 });
      expect(await mq.receive(q, { max: 32, visibilitySeconds: LONG })).toEqual([]);
      const second = await eventually('the redelivery', 4000, receiveOne(q));
      expect(second).toMatchObject({ id, text: 'work', dequeueCount: 2 });
      expect(second.receipt).not.toBe(first.receipt);
      await mq.delete(q, second);
      expect(await mq.count(q)).toBe(0);
    });

    it('refuses a delete with a receipt superseded by a later receive: StaleReceiptError, message kept', async () => {
      const q = await fresh();
      await mq.send(q, 'contended');
      const first = (await mq.receive(q, { max: 1, visibilitySeconds: 1 }))[0]!;
      const second = await eventually('the redelivery', 4000, receiveOne(q));

      const error: unknown = await mq.delete(q, first).then(() => undefined, (reason: unknown) => reason);
      expect(error).toBeInstanceOf(StaleReceiptError);
      expect(error).toMatchObject({ status: 409, code: 'stale_receipt', messageId: first.id });
      expect(await mq.count(q)).toBe(1);

      await mq.delete(q, second);
      expect(await mq.count(q)).toBe(0);
    });

    it('deletes with the latest receipt even after its visibility timeout ran out, if nobody received it since', async () => {
      const q = await fresh();
      await mq.send(q, 'slow worker');
      const message = (await mq.receive(q, { max: 1, visibilitySeconds: 1 }))[0]!;
      await env.advance(1500);
      await mq.delete(q, message);
      expect(await mq.count(q)).toBe(0);
    });

    it('treats deleting a message that is already gone, or in a missing queue, as done', async () => {
      const q = await fresh();
      await mq.send(q, 'once');
      const message = (await mq.receive(q, { max: 1, visibilitySeconds: LONG }))[0]!;
      await mq.delete(q, message);
      await expect(mq.delete(q, message)).resolves.toBeUndefined();
      await expect(mq.delete(`missing-${run}`, message)).resolves.toBeUndefined();
    });

    it('counts messages, visible, received or delayed, until deleted', async () => {
      const q = await fresh();
      expect(await mq.count(q)).toBe(0);
      await mq.send(q, 'one');
      await mq.send(q, 'two');
      await mq.send(q, 'delayed', { delaySeconds: 60 });
      expect(await mq.count(q)).toBe(3);
      const [message] = await mq.receive(q, { max: 1, visibilitySeconds: LONG });
      expect(await mq.count(q)).toBe(3);
      await mq.delete(q, message!);
      expect(await mq.count(q)).toBe(2);
    });

    it('receives at most max messages, and every message exactly once across receives', async () => {
      const q = await fresh();
      const sent = new Set<string>();
      for (let index = 0; index < 40; index++) sent.add((await mq.send(q, `m${index}`)).id);
      const first = await mq.receive(q, { max: 32, visibilitySeconds: LONG });
      expect(first.length).toBeGreaterThan(0);
      expect(first.length).toBeLessThanOrEqual(32);
      const seen: ReceivedMessage[] = [...first];
      for (let round = 0; round < 10 && seen.length < 40; round++) seen.push(...(await mq.receive(q, { max: 32, visibilitySeconds: LONG })));
      expect(seen.map((message) => message.id).sort()).toEqual([...sent].sort());
      expect(await mq.receive(q, { max: 32, visibilitySeconds: LONG })).toEqual([]);
    });

    it('accepts exactly 48 KiB of UTF-8 and refuses one byte more with PayloadTooLargeError, counting bytes not characters', async () => {
      const q = await fresh();
      const ascii = 'a'.repeat(LIMIT);
      const twoByte = 'é'.repeat(LIMIT / 2);
      await mq.send(q, ascii);
      await mq.send(q, twoByte);

      for (const tooBig of [`${ascii}a`, `${twoByte}a`]) {
        const error: unknown = await mq.send(q, tooBig).then(() => undefined, (reason: unknown) => reason);
        expect(error).toBeInstanceOf(PayloadTooLargeError);
        expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
      }
      expect(await mq.count(q)).toBe(2);

      const received = await mq.receive(q, { max: 32, visibilitySeconds: LONG });
      expect(new Set(received.map((message) => message.text))).toEqual(new Set([ascii, twoByte]));
    });

    it('refuses text UTF-8 cannot carry intact (a lone surrogate) with 400 invalid_message', async () => {
      const q = await fresh();
      expect(await rejection(mq.send(q, 'half a pair: \ud83d'))).toEqual({ status: 400, code: 'invalid_message' });
      expect(await mq.count(q)).toBe(0);
    });

    it('accepts a delay of 0 and of 7 days, and refuses more than 7 days or a negative delay with 400 invalid_delay', async () => {
      const q = await fresh();
      await mq.send(q, 'now', { delaySeconds: 0 });
      await mq.send(q, 'in a week', { delaySeconds: 7 * 24 * 3600 });
      for (const delaySeconds of [7 * 24 * 3600 + 1, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(await rejection(mq.send(q, 'never', { delaySeconds }))).toEqual({ status: 400, code: 'invalid_delay' });
      }
      expect(await mq.count(q)).toBe(2);
      expect((await mq.receive(q, { max: 32, visibilitySeconds: LONG })).map((message) => message.text)).toEqual(['now']);
    });

    it.each([
      [{ max: 0, visibilitySeconds: 30 }],
      [{ max: 33, visibilitySeconds: 30 }],
      [{ max: 1.5, visibilitySeconds: 30 }],
      [{ max: 1, visibilitySeconds: 0 }],
      [{ max: 1, visibilitySeconds: 7 * 24 * 3600 + 1 }],
      [{ max: 1, visibilitySeconds: Number.NaN }],
    ])('refuses receive options %p with 400 invalid_option', async (options) => {
      const q = await fresh();
      expect(await rejection(mq.receive(q, options))).toEqual({ status: 400, code: 'invalid_option' });
    });

    it.each([['too short', 'ab'], ['too long', 'q'.repeat(64)], ['upper case', 'Jobs'], ['a double hyphen', 'a--b'], ['a trailing hyphen', 'jobs-'], ['an underscore', 'job_s'], ['empty', '']])(
      'refuses a queue name that is %s, in every operation, with 400 invalid_name',
      async (_why, bad) => {
        const expected = { status: 400, code: 'invalid_name' };
        expect(await rejection(mq.ensure(bad))).toEqual(expected);
        expect(await rejection(mq.send(bad, 'x'))).toEqual(expected);
        expect(await rejection(mq.receive(bad, { max: 1, visibilitySeconds: 30 }))).toEqual(expected);
        expect(await rejection(mq.delete(bad, { id: 'x', receipt: 'y' }))).toEqual(expected);
        expect(await rejection(mq.count(bad))).toEqual(expected);
      },
    );

    it('sees a missing queue as empty, and creates it on the first send', async () => {
      const q = `lazy-${run}`;
      expect(await mq.receive(q, { max: 32, visibilitySeconds: LONG })).toEqual([]);
      expect(await mq.count(q)).toBe(0);
      const { id } = await mq.send(q, 'first');
      expect(await mq.count(q)).toBe(1);
      expect((await mq.receive(q, { max: 32, visibilitySeconds: LONG })).map((message) => message.id)).toEqual([id]);
    });

    it('ensures idempotently, without touching messages already there', async () => {
      const q = await fresh();
      await mq.send(q, 'kept');
      await mq.ensure(q);
      await mq.ensure(q);
      expect(await mq.count(q)).toBe(1);
      await mq.ensure(`q-${'x'.repeat(61)}`); // 63 characters, the longest name
      await mq.ensure('abc');
    });
  });
}
