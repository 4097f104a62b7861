/** Queue, timer and blob mapping rules, with real InvocationContext objects. */
import { describe, expect, it } from '@jest/globals';
import azf from '@azure/functions';
import type { Context, S3Event, ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { azureBlobHandler } from '../../adapters/azure/blob.ts';
import { azureQueueHandler, QueueMessageFailed } from '../../adapters/azure/queue.ts';
import { azureTimerHandler } from '../../adapters/azure/timer.ts';
import { fixtureBlob, fixtureQueue, fixtureTimer } from '../support/fixture-functions.ts';

const queueInvocation = (metadata: Record<string, unknown>) =>
  new azf.InvocationContext({ invocationId: 'inv-q', functionName: fixtureQueue.name, triggerMetadata: metadata });

async function runQueue(message: unknown, metadata: Record<string, unknown>, result: SQSBatchResponse | void | Error) {
  let seen: { event: SQSEvent; context: Context } | undefined;
  const handler = async (event: SQSEvent, context: Context) => {
    seen = { event, context };
    if (result instanceof Error) throw result;
    return result;
  };
  const outcome = azureQueueHandler(fixtureQueue, async () => handler)(message, queueInvocation(metadata));
  return { outcome, seen: () => seen! };
}

describe('queue trigger -> SQSEvent', () => {
  const metadata = { id: 'msg-1', dequeueCount: 3, popReceipt: 'pr', insertionTime: '2026-11-22T10:00:00Z', queueTrigger: '{"b": 2, "a": 1}' };

  it('maps message id, dequeueCount and the exact message text', async () => {
    // The host hands JSON messages over already parsed; the body must still be the original text.
    const { outcome, seen } = await runQueue({ b: 2, a: 1 }, metadata, { batchItemFailures: [] });
    await expect(outcome).resolves.toBeUndefined();
    const record = seen().event.Records[0]!;
    expect(seen().event.Records).toHaveLength(1);
    expect(record).toMatchObject({
      messageId: 'msg-1',
      receiptHandle: 'pr',
      body: '{"b": 2, "a": 1}',
      attributes: { ApproximateReceiveCount: '3', SentTimestamp: String(Date.parse('2026-11-22T10:00:00Z')) },
      eventSourceARN: 'azure:storagequeue:fixture-jobs',
    });
    expect(record.md5OfBody).toBe(createHash('md5').update('{"b": 2, "a": 1}').digest('hex'));
  });

  it('falls back to the message itself when the host gives no trigger text', async () => {
    const { outcome, seen } = await runQueue('plain text', { id: 'm2', dequeueCount: 1 }, undefined);
    await outcome;
    expect(seen().event.Records[0]!.body).toBe('plain text');
    expect(seen().event.Records[0]!.attributes.ApproximateReceiveCount).toBe('1');
  });

  it('throws when the handler reports a batch item failure, so the host retries and poisons', async () => {
    const { outcome } = await runQueue('x', metadata, { batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    await expect(outcome).rejects.toBeInstanceOf(QueueMessageFailed);
    await expect(outcome).rejects.toThrow(/msg-1/);
  });

  it('lets a handler error fail the invocation', async () => {
    const { outcome } = await runQueue('x', metadata, new Error('boom'));
    await expect(outcome).rejects.toThrow('boom');
  });

  it('gives the handler the function timeout from host.json', async () => {
    const { outcome, seen } = await runQueue('x', metadata, undefined);
    await outcome;
    const remaining = seen().context.getRemainingTimeInMillis();
    expect(remaining).toBeGreaterThan(295_000);
    expect(remaining).toBeLessThanOrEqual(300_000);
  });
});

describe('timer trigger -> ScheduledEvent', () => {
  it.each([true, false])('passes isPastDue=%s through to the handler', async (isPastDue) => {
    let seen: ScheduledEvent<{ isPastDue: boolean; schedule: string; next?: string }> | undefined;
    const timer: azf.Timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '2026-11-22T09:59:58Z', next: '2026-11-22T10:00:02Z', lastUpdated: '2026-11-22T10:00:00Z' },
    };
    await azureTimerHandler(fixtureTimer, async () => async (event) => {
      seen = event as never;
    })(timer, new azf.InvocationContext({ invocationId: 'inv-t', functionName: fixtureTimer.name }));
    expect(seen).toMatchObject({
      'detail-type': 'Scheduled Event',
      id: 'inv-t',
      resources: ['timer:fixture-timer'],
      detail: { isPastDue, schedule: '*/2 * * * * *', next: '2026-11-22T10:00:02Z' },
    });
  });
});

describe('blob trigger -> S3Event', () => {
  it('maps container to bucket and blob name to an S3-encoded key', async () => {
    let seen: S3Event | undefined;
    const content = Buffer.from('hello');
    await azureBlobHandler(fixtureBlob, async () => async (event) => {
      seen = event;
    })(
      content,
      new azf.InvocationContext({
        invocationId: 'inv-b',
        functionName: fixtureBlob.name,
        triggerMetadata: { blobTrigger: 'uploads/photos/a b+c.png', properties: { length: 5, eTag: '"0x1"' } },
      }),
    );
    const s3 = seen!.Records[0]!.s3;
    expect(s3.bucket.name).toBe('uploads');
    expect(s3.object).toMatchObject({ key: 'photos/a+b%2Bc.png', size: 5, eTag: '"0x1"' });
    expect(decodeURIComponent(s3.object.key.replace(/\+/g, ' '))).toBe('photos/a b+c.png');
  });
});
