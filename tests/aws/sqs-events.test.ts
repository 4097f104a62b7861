/**
 * The SQS event path on Lambda (adapters/aws/sqs-events.ts) against an in-memory SQS on a fake clock
 * (tests/support/aws-sqs.ts). `lambdaPoll` plays the event source mapping: it receives with the
 * SDK, builds the records as Lambda does (`aws:sqs`, lower-case message attribute keys, the
 * physical queue's ARN), invokes the function and deletes what it did not report as failed.
 * Messages are sent by the real SqsMessageQueue, so the attributes are the ones production writes.
 */
import { describe, expect, it } from '@jest/globals';
import { ReceiveMessageCommand, DeleteMessageCommand, SendMessageCommand, SQSServiceException } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { withSqsEventPath } from '../../adapters/aws/sqs-events.ts';
import { NOT_BEFORE_ATTRIBUTE, SqsMessageQueue } from '../../adapters/aws/sqs-queue.ts';
import type { QueueLambda } from '../../kernel/functions.ts';
import type { JobRecord } from '../../domain/jobs.ts';
import { jobsContainer } from '../../jobs/containers.ts';
import { createJobClient } from '../../jobs/job-client.ts';
import { defineJob, type JobSpec } from '../../kernel/jobs.ts';
import { createJobWorker } from '../../jobs/worker.ts';
import { FakeSqs, sqsQueueUrlPrefix } from '../support/aws-sqs.ts';
import { fastSettings } from '../support/jobs.ts';
import { captureLogger, lambdaContext } from '../support/platform.ts';

const PREFIX = 'portico-dev-';
const QUEUE = 'demo-jobs';
const SECOND = 1000;
const context = () => lambdaContext('jobs-demo-jobs', 60_000);

function setup() {
  const sqs = new FakeSqs();
  const clock = { now: () => new Date(sqs.now()) };
  const queue = new SqsMessageQueue({ client: sqs.client, clock, queueUrlPrefix: sqsQueueUrlPrefix, queueNamePrefix: PREFIX });
  return { sqs, clock, queue };
}

/** One poll of the event source mapping on `<prefix><queue>`: batch size 1, ReportBatchItemFailures. */
async function lambdaPoll(sqs: FakeSqs, queue: string, handler: QueueLambda): Promise<{ record: SQSRecord; result: SQSBatchResponse } | undefined> {
  const name = PREFIX + queue;
  const url = sqsQueueUrlPrefix + name;
  const { Messages = [] } = await sqs.client.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 60, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
  );
  const [message] = Messages;
  if (!message) return undefined;
  const record: SQSRecord = {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body!,
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? '0',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: message.Attributes?.SentTimestamp ?? '0',
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([key, value]) => [key, { stringValue: value.StringValue, dataType: value.DataType ?? 'String' }]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-1:123456789012:${name}`,
    awsRegion: 'eu-west-1',
  };
  const result = (await handler({ Records: [record] }, context())) ?? { batchItemFailures: [] };
  if (!result.batchItemFailures.some((failure) => failure.itemIdentifier === record.messageId)) {
    await sqs.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: record.receiptHandle }));
  }
  return { record, result };
}

/** A handler that records the events it gets and answers success. */
function recorder() {
  const events: SQSEvent[] = [];
  const handler: QueueLambda = async (event) => {
    events.push(event);
    return { batchItemFailures: [] };
  };
  return { events, handler };
}

describe('the SQS event path: long delays', () => {
  it('runs a job enqueued 3 days ahead exactly once, when due, with every SQS message received only once', async () => {
    const { sqs, clock, queue } = setup();
    const { logger } = captureLogger();
    const runs: number[] = [];
    const spec = defineJob<{ n: number }>({
      type: 'demo.later',
      queue: QUEUE,
      payloadSchema: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'number' } } },
      settingsPrefix: 'DEMO_JOB',
      run: async () => void runs.push(sqs.now()),
    });
    const deps = {
      documents: new MemoryDocumentStore(clock),
      queue,
      blobs: new MemoryBlobStore({ clock }),
      clock,
      ids: { next: () => 'job-1' },
      logger,
      jobs: [spec] as JobSpec[],
      settings: () => fastSettings,
      leaseSeconds: 30,
    };
    const handler = withSqsEventPath(createJobWorker(deps).worker, { queue, clock, queueNamePrefix: PREFIX, logger });
    const start = sqs.now();
    const delaySeconds = 3 * 24 * 3600;
    await createJobClient(deps).enqueue(spec, { n: 1 }, { delaySeconds });

    // The event source mapping polls all the time; here, every minute for 3 days and half an hour
    // (less than the completed record's hour of life, so its status can be read afterwards).
    const receiveCounts: number[] = [];
    let hops = 0;
    while (sqs.now() - start < (delaySeconds + 1800) * SECOND) {
      sqs.advance(60 * SECOND);
      const polled = await lambdaPoll(sqs, QUEUE, handler);
      if (!polled) continue;
      receiveCounts.push(Number(polled.record.attributes.ApproximateReceiveCount));
      expect(polled.result.batchItemFailures).toEqual([]);
      if (polled.record.messageAttributes[NOT_BEFORE_ATTRIBUTE]) hops++;
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]! - start).toBeGreaterThanOrEqual(delaySeconds * SECOND);
    expect(runs[0]! - start).toBeLessThan((delaySeconds + 120) * SECOND);
    // 900 s per SQS delay: one hop per 15 minutes until the last 15, each a fresh message.
    expect(hops).toBe(delaySeconds / 900 - 1);
    expect(new Set(receiveCounts)).toEqual(new Set([1]));
    expect(sqs.stored(PREFIX + QUEUE)).toEqual([]);
    const record = await deps.documents.repository<JobRecord>(jobsContainer).get('job-1', 'job-1');
    expect(record?.status).toBe('completed');
  });

  it('re-sends a record not yet due with the time left, and reports it as a success so Lambda deletes it', async () => {
    const { sqs, queue, clock } = setup();
    const inner = recorder();
    const handler = withSqsEventPath(inner.handler, { queue, clock, queueNamePrefix: PREFIX });
    await queue.send(QUEUE, 'later', { delaySeconds: 2000 });
    sqs.advance(900 * SECOND);
    const polled = await lambdaPoll(sqs, QUEUE, handler);
    expect(polled?.result).toEqual({ batchItemFailures: [] });
    expect(inner.events).toEqual([]);
    const [resent] = sqs.mock.commandCalls(SendMessageCommand).slice(1).map((call) => call.args[0].input);
    // 1,100 s left: 900 s of SQS delay, plus a new not-before at the same instant.
    expect(resent).toMatchObject({ QueueUrl: sqsQueueUrlPrefix + PREFIX + QUEUE, MessageBody: 'later', DelaySeconds: 900 });
    expect(Number(resent!.MessageAttributes?.[NOT_BEFORE_ATTRIBUTE]?.StringValue)).toBe(sqs.now() + 1100 * SECOND);
    expect(sqs.stored(PREFIX + QUEUE)).toHaveLength(1);
    // When the remainder fits in SQS's own delay, the re-sent message carries no not-before.
    sqs.advance(900 * SECOND);
    await lambdaPoll(sqs, QUEUE, handler);
    const last = sqs.mock.commandCalls(SendMessageCommand).at(-1)!.args[0].input;
    expect(last.DelaySeconds).toBe(200);
    expect(last.MessageAttributes?.[NOT_BEFORE_ATTRIBUTE]).toBeUndefined();
    sqs.advance(200 * SECOND);
    await lambdaPoll(sqs, QUEUE, handler);
    expect(inner.events.map((event) => event.Records[0]!.body)).toEqual(['later']);
  });

  it('reports a record it could not re-send as failed, so the original comes back and is tried again', async () => {
    const { sqs, queue, clock } = setup();
    const inner = recorder();
    const handler = withSqsEventPath(inner.handler, { queue, clock, queueNamePrefix: PREFIX });
    await queue.send(QUEUE, 'later', { delaySeconds: 1000 });
    sqs.advance(900 * SECOND);
    sqs.failNext('SendMessage', new SQSServiceException({ name: 'InternalError', $fault: 'server', message: 'boom', $metadata: { httpStatusCode: 500 } }));
    const failed = await lambdaPoll(sqs, QUEUE, handler);
    expect(failed?.result.batchItemFailures).toEqual([{ itemIdentifier: failed!.record.messageId }]);
    sqs.advance(60 * SECOND);
    const retried = await lambdaPoll(sqs, QUEUE, handler);
    expect(retried?.record.messageId).toBe(failed!.record.messageId);
    expect(retried?.record.attributes.ApproximateReceiveCount).toBe('2');
    expect(retried?.result.batchItemFailures).toEqual([]);
    expect(inner.events).toEqual([]);
  });

  it('with deferNotYetDue off (the poison collector), hands a not-yet-due record over at once', async () => {
    const { sqs, queue, clock } = setup();
    const inner = recorder();
    await queue.send(QUEUE, 'give up on me', { delaySeconds: 5000 });
    sqs.advance(900 * SECOND);
    await lambdaPoll(sqs, QUEUE, withSqsEventPath(inner.handler, { queue, clock, queueNamePrefix: PREFIX, deferNotYetDue: false }));
    expect(inner.events.map((event) => event.Records[0]!.body)).toEqual(['give up on me']);
  });
});

describe('the SQS event path: bodies, names and failures', () => {
  it.each([
    ['an empty text', ''],
    ['control characters', 'a\u0001b\u001fc'],
    ['U+FFFE', 'x\uFFFEy'],
    ['plain JSON', '{"a":1}'],
  ])('gives the handler the exact text sent, for %s', async (_what, text) => {
    const { sqs, queue, clock } = setup();
    const inner = recorder();
    await queue.send(QUEUE, text);
    await lambdaPoll(sqs, QUEUE, withSqsEventPath(inner.handler, { queue, clock, queueNamePrefix: PREFIX }));
    expect(inner.events[0]!.Records[0]!.body).toBe(text);
  });

  it('gives the handler the table’s queue name: dead letters go to `<prefix><queue>-deadletter`, not a doubly prefixed one', async () => {
    const { sqs, queue, clock } = setup();
    const { logger } = captureLogger();
    const deps = {
      documents: new MemoryDocumentStore(clock),
      queue,
      blobs: new MemoryBlobStore({ clock }),
      clock,
      ids: { next: () => 'id' },
      logger,
      jobs: [],
      settings: () => fastSettings,
      leaseSeconds: 30,
    };
    const inner = recorder();
    await queue.send(QUEUE, 'not an envelope');
    const polled = await lambdaPoll(sqs, QUEUE, withSqsEventPath(async (event, ctx) => {
      await inner.handler(event, ctx);
      return createJobWorker(deps).worker(event, ctx);
    }, { queue, clock, queueNamePrefix: PREFIX }));
    expect(polled?.result.batchItemFailures).toEqual([]);
    expect(inner.events[0]!.Records[0]!.eventSourceARN).toBe(`arn:aws:sqs:eu-west-1:123456789012:${QUEUE}`);
    expect(sqs.stored(`${PREFIX}${QUEUE}-deadletter`)).toHaveLength(1);
  });

  it('passes records from other sources (the Azure adapter) through untouched', async () => {
    const { queue, clock } = setup();
    const inner = recorder();
    const record = {
      messageId: 'm', receiptHandle: 'r', body: 'as is', md5OfBody: '', awsRegion: 'local',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'azure-storage-queue', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: { [NOT_BEFORE_ATTRIBUTE]: { stringValue: String(Date.now() + 3_600_000), dataType: 'Number' } },
      eventSource: 'azure:storagequeue', eventSourceARN: `azure:storagequeue:${PREFIX}${QUEUE}`,
    } as SQSRecord;
    await withSqsEventPath(inner.handler, { queue, clock, queueNamePrefix: PREFIX })({ Records: [record] }, context());
    expect(inner.events[0]!.Records[0]).toBe(record);
  });

  it('keeps the handler’s own batch item failures, and fails only the records it had when it throws', async () => {
    const { sqs, queue, clock } = setup();
    await queue.send(QUEUE, 'due');
    await queue.send(QUEUE, 'later', { delaySeconds: 2000 });
    sqs.advance(900 * SECOND);
    const url = sqsQueueUrlPrefix + PREFIX + QUEUE;
    const { Messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    const records = Messages.map((message) => ({
      messageId: message.MessageId!, receiptHandle: message.ReceiptHandle!, body: message.Body!, md5OfBody: '', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, { stringValue: v.StringValue, dataType: v.DataType! }])),
      eventSource: 'aws:sqs', eventSourceARN: `arn:aws:sqs:eu-west-1:123456789012:${PREFIX}${QUEUE}`,
    })) as SQSRecord[];
    const due = records.find((record) => record.body === 'due')!;
    expect(records).toHaveLength(2);

    const failing = withSqsEventPath(async (event) => ({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }), { queue, clock, queueNamePrefix: PREFIX });
    expect(await failing({ Records: records }, context())).toEqual({ batchItemFailures: [{ itemIdentifier: due.messageId }] });
    const throwing = withSqsEventPath(async () => {
      throw new Error('crash');
    }, { queue, clock, queueNamePrefix: PREFIX });
    expect(await throwing({ Records: records }, context())).toEqual({ batchItemFailures: [{ itemIdentifier: due.messageId }] });
  });
});
