/**
 * The MessageQueue contract against SqsMessageQueue, its SDK client answered by an in-memory SQS
 * (tests/support/aws-sqs.ts, through aws-sdk-client-mock) on a fake clock, plus what is SQS's
 * own: delays past 900 s, batches of 10, the body on the wire, queue lookup and errors.
 *
 * One contract case holds only as far as the fake: SQS documents that a delete with a superseded
 * receipt "succeeds, but the message might not be deleted", while the contract wants
 * StaleReceiptError. The contract runs with the fake answering ReceiptHandleIsInvalid (which the
 * adapter maps); the documented behaviour is pinned below.
 */
import { describe, it, expect } from '@jest/globals';
import { ChangeMessageVisibilityCommand, CreateQueueCommand, GetQueueUrlCommand, QueueDoesNotExist, ReceiptHandleIsInvalid, ReceiveMessageCommand, RequestThrottled, SendMessageCommand, SQSServiceException } from '@aws-sdk/client-sqs';
import { freePort } from '../../adapters/local/azurite.ts';
import { ENCODING_ATTRIBUTE, NOT_BEFORE_ATTRIBUTE, SQS_RETENTION_SECONDS, SqsMessageQueue, StaleReceiptError } from '../../adapters/aws/sqs-queue.ts';
import { StoreUnavailableError } from '../../domain/errors.ts';
import { connectionRefused, FakeSqs, sqsQueueUrlPrefix, type FakeSqsOptions } from '../support/aws-sqs.ts';
import { describeMessageQueueContract } from './message-queue.contract.ts';
import { rejection, useStaticAwsCredentials } from '../support/assertions.ts';

function setup(options: FakeSqsOptions & { queueUrlPrefix?: string; queueNamePrefix?: string } = {}) {
  const sqs = new FakeSqs(options);
  const mq = new SqsMessageQueue({
    client: sqs.client,
    clock: { now: () => new Date(sqs.now()) },
    ...(options.queueUrlPrefix ? { queueUrlPrefix: options.queueUrlPrefix } : {}),
    ...(options.queueNamePrefix ? { queueNamePrefix: options.queueNamePrefix } : {}),
  });
  return { sqs, mq };
}

describeMessageQueueContract('SqsMessageQueue on an in-memory SQS (aws-sdk-client-mock)', () => {
  const { sqs, mq } = setup();
  return { queue: mq, advance: async (ms) => sqs.advance(ms), now: () => sqs.now() };
});

const SECOND = 1000;
const LONG = 30;

describe('SqsMessageQueue: delays longer than SQS allows (900 s)', () => {
  it('honours a 2,000 s delay: DelaySeconds 900 plus portico-not-before, then re-hidden until due', async () => {
    const { sqs, mq } = setup();
    const start = sqs.now();
    const { id } = await mq.send('later', 'in 2000 s', { delaySeconds: 2000 });

    const [sent] = sqs.mock.commandCalls(SendMessageCommand);
    expect(sent!.args[0].input).toMatchObject({
      DelaySeconds: 900,
      MessageAttributes: { [NOT_BEFORE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(start + 2000 * SECOND) } },
    });

    sqs.advance(899 * SECOND);
    expect(await mq.receive('later', { max: 10, visibilitySeconds: LONG })).toEqual([]);
    expect(sqs.mock.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);

    // SQS shows it at 900 s; the adapter hides it again for the 1,100 s left.
    sqs.advance(1 * SECOND);
    expect(await mq.receive('later', { max: 10, visibilitySeconds: LONG })).toEqual([]);
    const hides = sqs.mock.commandCalls(ChangeMessageVisibilityCommand);
    expect(hides.map((call) => call.args[0].input.VisibilityTimeout)).toEqual([1100]);
    expect(await mq.count('later')).toBe(1);

    sqs.advance(1099 * SECOND);
    expect(await mq.receive('later', { max: 10, visibilitySeconds: LONG })).toEqual([]);
    sqs.advance(1 * SECOND);
    const [message] = await mq.receive('later', { max: 10, visibilitySeconds: LONG });
    // The hop was a receive to SQS: ApproximateReceiveCount, so dequeueCount, counts it.
    expect(message).toMatchObject({ id, text: 'in 2000 s', dequeueCount: 2 });
    expect(message!.insertedAt.getTime()).toBe(start);
    await mq.delete('later', message!);
    expect(await mq.count('later')).toBe(0);
  });

  it('honours a 3-day delay across several 12-hour hops, polled every 10 minutes', async () => {
    const { sqs, mq } = setup();
    const start = sqs.now();
    const delay = 3 * 24 * 3600;
    await mq.send('days', 'in 3 days', { delaySeconds: delay });
    let deliveredAt: number | undefined;
    while (deliveredAt === undefined && sqs.now() - start < (delay + 3600) * SECOND) {
      sqs.advance(600 * SECOND);
      if ((await mq.receive('days', { max: 10, visibilitySeconds: LONG })).length > 0) deliveredAt = sqs.now();
    }
    expect(deliveredAt).toBeDefined();
    expect(deliveredAt!).toBeGreaterThanOrEqual(start + delay * SECOND);
    expect(deliveredAt!).toBeLessThan(start + (delay + 600) * SECOND);
    const hides = sqs.mock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.VisibilityTimeout!);
    // 900 s of SQS delay, then hops of at most 12 h (SQS's visibility ceiling) until due.
    expect(hides.length).toBe(Math.ceil((delay - 900) / 43_200));
    expect(Math.max(...hides)).toBeLessThanOrEqual(43_200);
  });

  it('sends a delay of up to 900 s as plain DelaySeconds, with no attribute', async () => {
    const { sqs, mq } = setup();
    await mq.send('short', 'x', { delaySeconds: 900 });
    await mq.send('short', 'y');
    const inputs = sqs.mock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({ DelaySeconds: 900 });
    expect(inputs[0]!.MessageAttributes).toBeUndefined();
    expect(inputs[1]!.DelaySeconds).toBeUndefined();
  });
});

describe('SqsMessageQueue: receiving in batches of 10', () => {
  it('asks for at most 10 per ReceiveMessage, in several calls when more are wanted', async () => {
    const { sqs, mq } = setup();
    for (let index = 0; index < 25; index++) await mq.send('many', `m${index}`);
    const received = await mq.receive('many', { max: 25, visibilitySeconds: LONG });
    expect(received).toHaveLength(25);
    expect(new Set(received.map((message) => message.id)).size).toBe(25);
    const calls = sqs.mock.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.MaxNumberOfMessages)).toEqual([10, 10, 5]);
    expect(calls[0]).toMatchObject({
      VisibilityTimeout: LONG,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      MessageAttributeNames: ['All'],
    });
  });

  it('stops at the first short batch', async () => {
    const { sqs, mq } = setup();
    for (let index = 0; index < 3; index++) await mq.send('few', `m${index}`);
    expect(await mq.receive('few', { max: 32, visibilitySeconds: LONG })).toHaveLength(3);
    expect(sqs.mock.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages)).toEqual([10]);
  });

  it('keeps what earlier batches received when a later batch fails (they are already hidden)', async () => {
    const { sqs, mq } = setup();
    for (let index = 0; index < 15; index++) await mq.send('partial', `m${index}`);
    sqs.failNext('ReceiveMessage', new RequestThrottled({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }), 1);
    expect(await mq.receive('partial', { max: 15, visibilitySeconds: LONG })).toHaveLength(10);
    expect(await mq.receive('partial', { max: 15, visibilitySeconds: LONG })).toHaveLength(5);
  });

  it('caps a visibility timeout over 12 hours at 12 hours, SQS’s ceiling', async () => {
    const { sqs, mq } = setup();
    await mq.send('hidden', 'x');
    await mq.receive('hidden', { max: 1, visibilitySeconds: 24 * 3600 });
    expect(sqs.mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.VisibilityTimeout).toBe(43_200);
  });
});

describe('SqsMessageQueue: the body on the wire', () => {
  it('sends the text raw, as a Lambda SQS event body carries it', async () => {
    const { sqs, mq } = setup();
    const text = JSON.stringify({ type: 'job', jobId: 'j-1', payload: { name: 'Zoë 😀', note: 'line\nbreak' } });
    await mq.send('wire', text);
    const [input] = sqs.mock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(input!.MessageBody).toBe(text);
    expect(input!.MessageAttributes).toBeUndefined();
    expect(sqs.stored('wire')[0]!.body).toBe(text);
  });

  it('flags what SQS cannot carry raw: an empty text, and characters outside its set, and round-trips both', async () => {
    const { sqs, mq } = setup();
    const awkward = 'bell \u0007, form feed \u000c, U+FFFF \uffff';
    await mq.send('awkward', '');
    await mq.send('awkward', awkward);
    const [empty, encoded] = sqs.stored('awkward');
    expect(empty!.body.length).toBeGreaterThan(0);
    expect(empty!.attributes?.[ENCODING_ATTRIBUTE]?.StringValue).toBe('empty');
    expect(encoded!.attributes?.[ENCODING_ATTRIBUTE]?.StringValue).toBe('base64');
    expect(Buffer.from(encoded!.body, 'base64').toString('utf8')).toBe(awkward);
    const texts = (await mq.receive('awkward', { max: 10, visibilitySeconds: LONG })).map((message) => message.text);
    expect(texts.sort()).toEqual(['', awkward].sort());
  });
});

describe('SqsMessageQueue: queues by name', () => {
  it('creates a missing queue once, with 14 days of retention so a 7-day delay still has 7 days of life', async () => {
    const { sqs, mq } = setup();
    await mq.ensure('made');
    await mq.ensure('made');
    await mq.send('made', 'x');
    expect(sqs.mock.commandCalls(GetQueueUrlCommand)).toHaveLength(1);
    const creates = sqs.mock.commandCalls(CreateQueueCommand).map((call) => call.args[0].input);
    expect(creates).toEqual([{ QueueName: 'made', Attributes: { MessageRetentionPeriod: String(SQS_RETENTION_SECONDS) } }]);
    expect(SQS_RETENTION_SECONDS).toBe(14 * 24 * 3600);
  });

  it('uses a queue declared elsewhere with other attributes as it is (no CreateQueue, which would fail)', async () => {
    const { sqs, mq } = setup();
    sqs.createQueue({ QueueName: 'declared', Attributes: { VisibilityTimeout: '174' } });
    await mq.ensure('declared');
    await mq.send('declared', 'x');
    expect(sqs.mock.commandCalls(GetQueueUrlCommand)).toHaveLength(1);
    expect(sqs.mock.commandCalls(CreateQueueCommand)).toHaveLength(0);
    expect(sqs.queueAttributes('declared')).toEqual({ VisibilityTimeout: '174' });
  });

  it('survives losing the race to create a queue (QueueNameExists)', async () => {
    const { sqs, mq } = setup();
    sqs.failNext('GetQueueUrl', new QueueDoesNotExist({ message: 'gone', $metadata: { httpStatusCode: 400 } }));
    sqs.createQueue({ QueueName: 'raced', Attributes: { VisibilityTimeout: '60' } });
    await expect(mq.ensure('raced')).resolves.toBeUndefined();
    expect(sqs.mock.commandCalls(CreateQueueCommand).map((call) => call.args[0].input.QueueName)).toEqual(['raced']);
    expect(sqs.mock.commandCalls(GetQueueUrlCommand)).toHaveLength(2);
    expect(await mq.count('raced')).toBe(0);
  });

  it('recreates a queue deleted behind its back on the next send (the URL cache is not trusted blindly)', async () => {
    const { sqs, mq } = setup();
    await mq.send('reset', 'before');
    sqs.dropQueue('reset');
    expect(await mq.count('reset')).toBe(0);
    const { id } = await mq.send('reset', 'after');
    expect((await mq.receive('reset', { max: 10, visibilitySeconds: LONG })).map((message) => [message.id, message.text])).toEqual([[id, 'after']]);
  });

  it('with queueUrlPrefix, receives, deletes and counts without looking the queue up', async () => {
    const { sqs, mq } = setup({ queueUrlPrefix: sqsQueueUrlPrefix });
    sqs.createQueue({ QueueName: 'prefixed' });
    const other = new SqsMessageQueue({ client: sqs.client, queueUrlPrefix: sqsQueueUrlPrefix });
    await other.send('prefixed', 'x'); // a send ensures the queue: one lookup
    sqs.mock.resetHistory();
    const [message] = await mq.receive('prefixed', { max: 1, visibilitySeconds: LONG });
    await mq.delete('prefixed', message!);
    expect(await mq.count('prefixed')).toBe(0);
    expect(sqs.mock.commandCalls(GetQueueUrlCommand)).toHaveLength(0);
  });
});

describe('SqsMessageQueue: receipts and errors', () => {
  it('maps ReceiptHandleIsInvalid (a malformed or expired receipt) to StaleReceiptError', async () => {
    const { mq } = setup();
    await mq.send('receipts', 'x');
    const error: unknown = await mq.delete('receipts', { id: 'm-1', receipt: 'not a receipt' }).then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(StaleReceiptError);
    expect(error).toMatchObject({ status: 409, code: 'stale_receipt', messageId: 'm-1' });
  });

  it('as SQS documents it, a superseded receipt deletes nothing and raises nothing: the message comes back', async () => {
    const { sqs, mq } = setup({ staleReceipts: 'documented' });
    await mq.send('documented', 'x');
    const first = (await mq.receive('documented', { max: 1, visibilitySeconds: 1 }))[0]!;
    sqs.advance(1 * SECOND);
    const second = (await mq.receive('documented', { max: 1, visibilitySeconds: 1 }))[0]!;
    await expect(mq.delete('documented', first)).resolves.toBeUndefined();
    expect(await mq.count('documented')).toBe(1);
    await mq.delete('documented', second);
    expect(await mq.count('documented')).toBe(0);
  });

  it.each([
    ['RequestThrottled', () => new RequestThrottled({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })],
    ['a 503', () => new SQSServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'busy', $metadata: { httpStatusCode: 503 } })],
    ['a refused connection', connectionRefused],
  ])('maps %s to StoreUnavailableError on send, receive and count', async (_what, failure) => {
    const { sqs, mq } = setup();
    await mq.ensure('busy');
    sqs.failNext('SendMessage', failure());
    sqs.failNext('ReceiveMessage', failure());
    sqs.failNext('GetQueueAttributes', failure());
    await expect(mq.send('busy', 'x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(mq.receive('busy', { max: 1, visibilitySeconds: LONG })).rejects.toMatchObject({ status: 503, code: 'unavailable', headers: { 'retry-after': '1' } });
    await expect(mq.count('busy')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('passes any other error through unchanged', async () => {
    const { sqs, mq } = setup();
    const denied = new SQSServiceException({ name: 'AccessDenied', $fault: 'client', message: 'no', $metadata: { httpStatusCode: 403 } });
    sqs.failNext('GetQueueUrl', denied);
    await expect(mq.ensure('denied')).rejects.toBe(denied);
  });

  it('ignores a failed re-hide: the message reappears and hops again', async () => {
    const { sqs, mq } = setup();
    await mq.send('rehide', 'x', { delaySeconds: 1000 });
    sqs.advance(900 * SECOND);
    sqs.failNext('ChangeMessageVisibility', new ReceiptHandleIsInvalid({ message: 'no', $metadata: { httpStatusCode: 400 } }));
    expect(await mq.receive('rehide', { max: 1, visibilitySeconds: 5 })).toEqual([]);
    sqs.advance(5 * SECOND);
    expect(await mq.receive('rehide', { max: 1, visibilitySeconds: 5 })).toEqual([]);
    expect(sqs.mock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input.VisibilityTimeout)).toEqual([100, 95]);
    sqs.advance(95 * SECOND);
    expect((await mq.receive('rehide', { max: 1, visibilitySeconds: 5 })).map((message) => message.text)).toEqual(['x']);
  });
});

describe('SqsMessageQueue with its own client (real SDK, no service)', () => {
  useStaticAwsCredentials();

  it('builds its client on first use, and maps a refused connection to StoreUnavailableError', async () => {
    const mq = new SqsMessageQueue({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${await freePort()}` });
    await expect(mq.send('any-queue', 'x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(mq.count('any-queue')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });
});

describe('SqsMessageQueue: stage-prefixed queue names', () => {
  it('keeps the table’s names for callers and uses `<prefix><name>` on SQS, with or without a URL prefix', async () => {
    for (const queueUrlPrefix of [undefined, sqsQueueUrlPrefix]) {
      const { sqs, mq } = setup({ queueNamePrefix: 'portico-prod-', ...(queueUrlPrefix ? { queueUrlPrefix } : {}) });
      await mq.send('system-jobs', 'hello');
      expect(sqs.stored('portico-prod-system-jobs').map((m) => m.body)).toEqual(['hello']);
      expect(sqs.stored('system-jobs')).toEqual([]);
      const [message] = await mq.receive('system-jobs', { max: 1, visibilitySeconds: LONG });
      expect(message?.text).toBe('hello');
      await mq.delete('system-jobs', message!);
      expect(await mq.count('system-jobs')).toBe(0);
      const urls = sqs.mock.commandCalls(SendMessageCommand).map((call) => call.args[0].input.QueueUrl);
      expect(urls).toEqual([`${sqsQueueUrlPrefix}portico-prod-system-jobs`]);
      expect(sqs.mock.commandCalls(CreateQueueCommand).map((call) => call.args[0].input.QueueName)).toEqual(['portico-prod-system-jobs']);
    }
  });

  it('refuses, with 400 invalid_name, a name longer than SQS’s 80 characters once prefixed', async () => {
    const { sqs, mq } = setup({ queueNamePrefix: 'p'.repeat(20) });
    const fits = 'q'.repeat(60);
    await mq.send(fits, 'ok');
    expect(await rejection(mq.send(`${fits}q`, 'too long'))).toEqual({ status: 400, code: 'invalid_name' });
    expect(sqs.stored(`${'p'.repeat(20)}${fits}`)).toHaveLength(1);
  });
});

describe('SqsMessageQueue: health ping', () => {
  it('answers for an existing queue, and rejects a missing one without creating it', async () => {
    const { sqs, mq } = setup({ queueUrlPrefix: sqsQueueUrlPrefix, queueNamePrefix: 'portico-dev-' });
    await mq.ensure('there');
    await expect(mq.ping('there')).resolves.toBeUndefined();
    await expect(mq.ping('missing')).rejects.toBeInstanceOf(QueueDoesNotExist);
    expect(sqs.mock.commandCalls(CreateQueueCommand).map((call) => call.args[0].input.QueueName)).toEqual(['portico-dev-there']);
  });
});
