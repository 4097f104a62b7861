/**
 * CloudEvents -> the Lambda events the handlers take (adapters/gcp/events.ts), delivered over real
 * HTTP to the real Functions Framework, as Pub/Sub, Cloud Scheduler and Eventarc deliver them.
 * What the conformance suite does not cover: the exact SQS record, the timer's time and detail,
 * objects outside a trigger's path, refused events, the deadline, and what a failure logs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as functionsFramework from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Context, S3Event } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gcpEventFunction } from '../../adapters/gcp/events.ts';
import { cloudEventRunner, postCloudEvent, pubsubEvent, storageEvent, type CloudEventDelivery } from '../../adapters/gcp/local-events.ts';
import { gcpTimeoutSeconds, PUBSUB_PUBLISHED, pubsubSource, topicOfQueue, topicOfTimer } from '../../adapters/gcp/names.ts';
import { bindInline } from '../../adapters/local/invoke.ts';
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import { captureLogger } from '../support/platform.ts';
import { fixtureQueue, fixtureTimer, received, resetReceived } from '../support/fixture-functions.ts';

// A blob trigger with both a prefix and a suffix: Eventarc filters on the bucket only.
const photos: S3Event[] = [];
const photoContexts: Context[] = [];
const pngPhotos = defineFunction({
  name: 'fixture-png-photos',
  trigger: { kind: 'blob', path: 'uploads/photos/{name}.png' },
  load: async () => ({
    handler: async (event: S3Event, context: Context) => {
      photos.push(event);
      photoContexts.push(context);
    },
  }),
});

const table = [fixtureQueue, fixtureTimer, pngPhotos] as FunctionDef[];

/** POSTs a CloudEvent in binary mode and gives back the status and body, acknowledged or not. */
async function post(url: string, event: CloudEventDelivery): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': event.id, 'ce-type': event.type, 'ce-source': event.source, 'ce-time': event.time },
    body: JSON.stringify(event.data),
  });
  return { status: response.status, body: await response.text() };
}

describe('CloudEvents through the Functions Framework to the GCP event adapter', () => {
  const { logger } = captureLogger();
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  const env = process.env.NODE_ENV;

  beforeAll(async () => {
    // As Cloud Run runs it: the framework's crash answer carries no error text.
    process.env.NODE_ENV = 'production';
    // Each function as deployed (its own target), and the `portico-events` router over all of them.
    const targets: Record<string, FunctionDef[]> = {
      [fixtureQueue.name]: [fixtureQueue],
      [fixtureTimer.name]: [fixtureTimer],
      [pngPhotos.name]: [pngPhotos],
      router: table,
    };
    for (const [name, defs] of Object.entries(targets)) {
      functionsFramework.cloudEvent(`gcp-test-${name}`, gcpEventFunction(defs, { handlerOf: bindInline, logger, bucketPrefix: 'acme-' }));
      const server = getTestServer(`gcp-test-${name}`);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    }
  });
  afterAll(async () => {
    process.env.NODE_ENV = env;
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });
  beforeEach(() => {
    resetReceived();
    photos.length = 0;
    photoContexts.length = 0;
  });
  afterEach(() => void jest.restoreAllMocks());

  describe('Pub/Sub messagePublished on a queue topic -> SQSEvent', () => {
    it('maps the message, its attributes and the delivery attempt to the SQS record exactly', async () => {
      const text = '{"b": 2, "a": "é"}';
      const event: CloudEventDelivery = {
        id: 'ce-1',
        type: PUBSUB_PUBLISHED,
        source: pubsubSource('acme', topicOfQueue('fixture-jobs')),
        time: '2026-12-06T10:00:01.000Z',
        data: {
          message: {
            data: Buffer.from(text).toString('base64'),
            attributes: { origin: 'checkout', 'trace-id': 't-1' },
            messageId: 'm-77',
            publishTime: '2026-12-06T10:00:00.250Z',
          },
          subscription: 'projects/acme/subscriptions/fixture-jobs',
          deliveryAttempt: 4,
        },
      };
      await postCloudEvent(urls[fixtureQueue.name]!, event);
      expect(received.queue).toHaveLength(1);
      const sent = String(Date.parse('2026-12-06T10:00:00.250Z'));
      expect(received.queue[0]).toEqual({
        Records: [
          {
            messageId: 'm-77',
            receiptHandle: 'projects/acme/subscriptions/fixture-jobs',
            body: text,
            attributes: { ApproximateReceiveCount: '4', SentTimestamp: sent, SenderId: 'gcp-pubsub', ApproximateFirstReceiveTimestamp: sent },
            messageAttributes: {
              origin: { dataType: 'String', stringValue: 'checkout', stringListValues: [], binaryListValues: [] },
              'trace-id': { dataType: 'String', stringValue: 't-1', stringListValues: [], binaryListValues: [] },
            },
            md5OfBody: createHash('md5').update(text).digest('hex'),
            eventSource: 'gcp:pubsub',
            eventSourceARN: 'gcp:pubsub:fixture-jobs',
            awsRegion: process.env.FUNCTION_REGION ?? process.env.REGION_NAME ?? 'local',
          },
        ],
      });
    });

    it('takes the same event in structured content mode (application/cloudevents+json)', async () => {
      const event = pubsubEvent('fixture-jobs', 'structured', { messageId: 'm-s', deliveryAttempt: 2 });
      const response = await fetch(urls[fixtureQueue.name]!, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: event.id, type: event.type, source: event.source, time: event.time, data: event.data }),
      });
      await response.arrayBuffer();
      expect(response.ok).toBe(true);
      expect(received.queue[0]!.Records[0]).toMatchObject({ messageId: 'm-s', body: 'structured', attributes: { ApproximateReceiveCount: '2' } });
    });

    it('counts a first delivery (no deliveryAttempt: no dead-letter policy) as receive count 1', async () => {
      await postCloudEvent(urls[fixtureQueue.name]!, pubsubEvent('fixture-jobs', 'hello', { messageId: 'm-1' }));
      expect(received.queue[0]!.Records[0]).toMatchObject({ messageId: 'm-1', body: 'hello', attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {} });
    });

    it('gives the handler the event function timeout as its deadline', async () => {
      const at = Date.parse('2026-12-06T12:00:00Z');
      const clock = jest.spyOn(Date, 'now').mockReturnValue(at);
      await postCloudEvent(urls[fixtureQueue.name]!, pubsubEvent('fixture-jobs', 'hello'));
      const context = received.contexts[0]!;
      const timeout = gcpTimeoutSeconds(fixtureQueue) * 1000;
      expect(timeout).toBeGreaterThan(0);
      expect(context.getRemainingTimeInMillis()).toBe(timeout);
      clock.mockReturnValue(at + 2_000);
      expect(context.getRemainingTimeInMillis()).toBe(timeout - 2_000);
      expect(context.functionName).toBe('fixture-queue');
    });

    it('refuses an event that carries no Pub/Sub message (non-2xx), running nothing', async () => {
      const event: CloudEventDelivery = { id: 'ce-empty', type: PUBSUB_PUBLISHED, source: pubsubSource('acme', 'fixture-jobs'), time: new Date().toISOString(), data: { subscription: 's' } };
      jest.spyOn(console, 'error').mockImplementation(() => {});
      const answer = await post(urls[fixtureQueue.name]!, event);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(received.queue).toEqual([]);
    });

    it.each([
      ['throws', 'please throw'],
      ['reports the message as a batch item failure', 'please fail'],
    ])('a handler that %s: 500 (Pub/Sub redelivers), and the framework logs one line with no stack', async (_how, text) => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
      const answer = await post(urls[fixtureQueue.name]!, pubsubEvent('fixture-jobs', text, { messageId: 'm-bad' }));
      expect(answer.status).toBe(500);
      expect(answer.body).not.toContain('fixture handler threw');
      expect(received.queue).toHaveLength(1);
      expect(errors).toHaveBeenCalledTimes(1);
      const line = String(errors.mock.calls[0]![0]);
      expect(line).toMatch(/^DeliveryFailed: /);
      expect(line).not.toContain('\n');
      expect(line).not.toMatch(/\bat .+:\d+:\d+/);
    });
  });

  describe('Cloud Scheduler through Pub/Sub -> ScheduledEvent', () => {
    it("takes the time from the publish time and the detail from the message's JSON body", async () => {
      const publishTime = new Date('2026-12-06T09:30:00.000Z');
      await postCloudEvent(urls[fixtureTimer.name]!, pubsubEvent(topicOfTimer(fixtureTimer), '{"reason":"nightly","n":3}', { messageId: 'sched-1', publishTime }));
      expect(received.timer).toHaveLength(1);
      expect(received.timer[0]).toMatchObject({
        id: 'sched-1',
        'detail-type': 'Scheduled Event',
        source: 'gcp.cloudscheduler',
        time: '2026-12-06T09:30:00.000Z',
        resources: ['timer:fixture-timer'],
        detail: { reason: 'nightly', n: 3 },
      });
    });

    it('gives an empty detail when the body is not a JSON object', async () => {
      await postCloudEvent(urls[fixtureTimer.name]!, pubsubEvent(topicOfTimer(fixtureTimer), 'not json'));
      await postCloudEvent(urls[fixtureTimer.name]!, pubsubEvent(topicOfTimer(fixtureTimer), '[1,2]'));
      expect(received.timer.map((event) => event.detail)).toEqual([{}, {}]);
    });
  });

  describe('Cloud Storage finalized -> S3Event', () => {
    it('runs the handler for an object inside the trigger path, with an S3-encoded key', async () => {
      await postCloudEvent(urls[pngPhotos.name]!, storageEvent('acme-uploads', 'photos/a b+c.png', { size: 5, eTag: 'e1' }));
      expect(photos).toHaveLength(1);
      expect(photos[0]!.Records[0]!.s3).toMatchObject({ bucket: { name: 'uploads' }, object: { key: 'photos/a+b%2Bc.png', size: 5, eTag: 'e1' } });
      expect(photoContexts[0]!.functionName).toBe('fixture-png-photos');
    });

    it.each(['other/a.png', 'photos/a.jpg', 'photos.png'])('acknowledges %s (outside prefix or suffix) without running the handler', async (name) => {
      const answer = await post(urls[pngPhotos.name]!, storageEvent('acme-uploads', name));
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(300);
      expect(photos).toEqual([]);
    });
  });

  describe('the portico-events router', () => {
    it('hands each event to the function its topic or bucket names', async () => {
      await postCloudEvent(urls.router!, pubsubEvent(topicOfQueue('fixture-jobs'), 'to the queue'));
      await postCloudEvent(urls.router!, pubsubEvent(topicOfTimer(fixtureTimer), '{}'));
      await postCloudEvent(urls.router!, storageEvent('acme-uploads', 'photos/x.png'));
      expect(received.queue.map((event) => event.Records[0]!.body)).toEqual(['to the queue']);
      expect(received.timer).toHaveLength(1);
      expect(photos).toHaveLength(1);
    });

    it.each<[string, CloudEventDelivery]>([
      ['a topic no function reads', pubsubEvent('nobody-reads-this', 'x')],
      ['a bucket no trigger watches', storageEvent('acme-elsewhere', 'photos/x.png')],
      ['a bucket without the deployment prefix', storageEvent('uploads', 'photos/x.png')],
      ['an event type Portico does not take', { ...pubsubEvent('fixture-jobs', 'x'), type: 'google.cloud.firestore.document.v1.written' }],
    ])('refuses %s (non-2xx) and runs nothing', async (_name, event) => {
      jest.spyOn(console, 'error').mockImplementation(() => {});
      const answer = await post(urls.router!, event);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(received.queue).toEqual([]);
      expect(received.timer).toEqual([]);
      expect(photos).toEqual([]);
    });
  });

  // npm run start:gcp's stand-ins for Pub/Sub, Cloud Scheduler and Eventarc, against the router
  // (with no bucket prefix, as start:gcp registers it).
  describe('start:gcp trigger stand-ins (cloudEventRunner) delivering to portico-events', () => {
    let runner: ReturnType<typeof cloudEventRunner>;
    beforeAll(async () => {
      functionsFramework.cloudEvent('gcp-test-local-router', gcpEventFunction(table, { handlerOf: bindInline, logger }));
      const server = getTestServer('gcp-test-local-router');
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      runner = cloudEventRunner(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    });

    it("a queue message arrives with its id, exact text, insertion time and the poller's dequeue count", async () => {
      const insertionTime = new Date('2026-12-06T08:00:00.000Z');
      await runner.queue(fixtureQueue as never, { id: 'q-1', text: '{"b": 2, "a": 1}', dequeueCount: 3, insertionTime });
      expect(received.queue[0]!.Records[0]).toMatchObject({
        messageId: 'q-1',
        body: '{"b": 2, "a": 1}',
        attributes: { ApproximateReceiveCount: '3', SentTimestamp: String(insertionTime.getTime()) },
      });
    });

    it('a failed message rejects the delivery, so the poller retries it and, in the end, poisons it', async () => {
      jest.spyOn(console, 'error').mockImplementation(() => {});
      await expect(runner.queue(fixtureQueue as never, { id: 'q-2', text: 'please fail', dequeueCount: 1 })).rejects.toThrow(/not acknowledged \(500\)/);
    });

    it('a timer firing and a new blob reach their functions', async () => {
      await runner.timer(fixtureTimer as never, { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } });
      await runner.blob(pngPhotos as never, 'uploads/photos/new.png', Buffer.from('12345'), { eTag: '"0x9"', contentType: 'image/png' });
      expect(received.timer).toHaveLength(1);
      expect(received.timer[0]!.detail).toEqual({});
      expect(photos[0]!.Records[0]!.s3).toMatchObject({ bucket: { name: 'uploads' }, object: { key: 'photos/new.png', size: 5, eTag: '"0x9"' } });
    });
  });
});
