/**
 * The shared outgoing webhook, through the real SSRF-safe client to a receiver on this machine,
 * inside a job on the job runtime (memory ports): signed as Standard Webhooks, a 500 retried with
 * backoff until delivered with the same webhook-id, a receiver that never recovers dead-lettered
 * with the reason, and a name resolving to a private address refused and never retried.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSafeFetcher, type Resolver } from '../../adapters/http/safe-fetch.ts';
import type { JobRecord } from '../../domain/jobs.ts';
import { parseWebhookHeaders } from '../../domain/webhooks.ts';
import { deadLettersContainer, jobsContainer } from '../../jobs/containers.ts';
import type { DeadLetterRecord } from '../../jobs/dead-letters.ts';
import { deliverWebhook, signedDelivery, throwUnlessDelivered } from '../../jobs/outgoing-webhooks.ts';
import { defineJob, PermanentJobError, type JobSpec } from '../../kernel/jobs.ts';
import { parseWebhookSecret, verifyWebhookSignature } from '../../middleware/webhooks.ts';
import { context, memoryRuntime, pump } from '../support/jobs.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const loopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
const privateAddress: Resolver = async () => [{ address: '10.0.0.5', family: 4 }];

let receiver: Server;
let port: number;
/** What the receiver answers, in turn; the last one repeats. */
let answers: number[] = [204];
const received: { headers: IncomingMessage['headers']; body: Buffer }[] = [];

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(answers.length > 1 ? answers.shift()! : answers[0]!).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

interface Notify {
  url: string;
  event: string;
}

/** A service's job as a service would write it: one event, one webhook, delivered by the shared module. */
function setUp(resolve: Resolver) {
  const http = createSafeFetcher({ timeoutMs: 2000, maxBytes: 1024, maxRedirects: 0, allowLoopback: true }, { resolve });
  const spec = defineJob<Notify>({
    type: 'test.notify',
    queue: 'notify-jobs',
    payloadSchema: { type: 'object', required: ['url', 'event'], additionalProperties: false, properties: { url: { type: 'string' }, event: { type: 'string' } } },
    settingsPrefix: 'TEST_NOTIFY',
    run: async ({ url, event }, job) => {
      const attempt = await deliverWebhook(http, { url, secret: SECRET, id: `msg_${job.jobId}`, type: event, data: { voice_id: 'v1' } }, { now: harness.clock.now(), signal: job.signal });
      throwUnlessDelivered(attempt, 'The notification');
    },
  });
  const harness = memoryRuntime([spec as unknown as JobSpec]);
  const { deps, runtime, clock } = harness;
  const drain = () => pump(deps.queue, 'notify-jobs', (event) => runtime.worker(event, context()));
  const record = (id: string) => deps.documents.repository<JobRecord>(jobsContainer).get(id, id);
  const letter = (id: string) => deps.documents.repository<DeadLetterRecord>(deadLettersContainer).get(id, id);
  return { spec, runtime, clock, drain, record, letter };
}

describe('outgoing webhooks', () => {
  it('signs the body {type, timestamp, data} with Standard Webhooks headers a receiver verifies', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    const { body, headers } = signedDelivery({ url: 'https://example.test/hook', secret: SECRET, id: 'msg_1', type: 'voice.ready', data: { voice_id: 'v1' } }, now);
    expect(JSON.parse(body)).toEqual({ type: 'voice.ready', timestamp: now.toISOString(), data: { voice_id: 'v1' } });
    const parsed = parseWebhookHeaders(headers);
    expect(parsed).toMatchObject({ id: 'msg_1', timestamp: String(now.getTime() / 1000) });
    expect(verifyWebhookSignature([parseWebhookSecret(SECRET)], parsed, Buffer.from(body))).toBe(true);
    expect(verifyWebhookSignature([parseWebhookSecret('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')], parsed, Buffer.from(body))).toBe(false);
  });

  it('retries a receiver answering 500 with backoff, then delivers once, with the same webhook-id each time', async () => {
    answers = [500, 204];
    received.length = 0;
    const { spec, runtime, clock, drain, record } = setUp(loopback);
    const jobId = await runtime.client.enqueue(spec, { url: `http://hooks.example.test:${port}/voice`, event: 'voice.ready' });
    await drain();
    expect(received).toHaveLength(1);
    expect(await record(jobId)).toMatchObject({ status: 'retrying', attempt: 2, lastError: expect.stringContaining('The notification receiver answered 500.') });
    // The retry waits its backoff: nothing is sent before it is due.
    await drain();
    expect(received).toHaveLength(1);
    clock.advance(10 * 60_000);
    await drain();
    expect(received).toHaveLength(2);
    expect(await record(jobId)).toMatchObject({ status: 'completed' });
    const ids = received.map((delivery) => parseWebhookHeaders(delivery.headers as Record<string, string>).id);
    expect(ids).toEqual([`msg_${jobId}`, `msg_${jobId}`]);
    for (const delivery of received) {
      expect(verifyWebhookSignature([parseWebhookSecret(SECRET)], parseWebhookHeaders(delivery.headers as Record<string, string>), delivery.body)).toBe(true);
    }
  });

  it('dead-letters a receiver that never recovers, with the reason', async () => {
    answers = [503];
    received.length = 0;
    const { spec, runtime, clock, drain, record, letter } = setUp(loopback);
    const jobId = await runtime.client.enqueue(spec, { url: `http://hooks.example.test:${port}/down`, event: 'voice.failed' });
    for (let round = 0; round < 5; round++) {
      await drain();
      clock.advance(10 * 60_000);
    }
    expect(received).toHaveLength(3); // fastSettings: three attempts
    expect(await record(jobId)).toMatchObject({ status: 'dead-lettered' });
    expect(await letter(jobId)).toMatchObject({ reason: 'max_attempts', attempts: 3, lastError: expect.stringContaining('The notification receiver answered 503.') });
  });

  it('refuses a name resolving to a private address: nothing sent, never retried, dead-lettered as permanent', async () => {
    answers = [204];
    received.length = 0;
    const { spec, runtime, clock, drain, letter } = setUp(privateAddress);
    const jobId = await runtime.client.enqueue(spec, { url: `http://rebinding.example.test:${port}/hook`, event: 'voice.ready' });
    await drain();
    clock.advance(10 * 60_000);
    await drain();
    expect(received).toHaveLength(0);
    expect(await letter(jobId)).toMatchObject({ reason: 'permanent_failure', attempts: 1, lastError: expect.stringContaining('private address') });
  });

  it('reports each outcome without throwing, and throwUnlessDelivered maps it for the runtime', async () => {
    answers = [204];
    const http = createSafeFetcher({ timeoutMs: 2000, maxBytes: 1024, maxRedirects: 0, allowLoopback: true }, { resolve: loopback });
    const webhook = { secret: SECRET, id: 'msg_x', type: 't', data: {} };
    const now = new Date();
    expect(await deliverWebhook(http, { ...webhook, url: `http://hooks.example.test:${port}/` }, { now })).toEqual({ outcome: 'delivered', status: 204 });
    const refused = await deliverWebhook(http, { ...webhook, url: 'http://10.1.2.3/' }, { now });
    expect(refused).toMatchObject({ outcome: 'refused' });
    expect(() => throwUnlessDelivered(refused)).toThrow(PermanentJobError);
    // Nothing listens on port 1: a network failure, retried.
    const unreachable = await deliverWebhook(http, { ...webhook, url: 'http://hooks.example.test:1/' }, { now });
    expect(unreachable).toMatchObject({ outcome: 'failed' });
    expect(unreachable).not.toHaveProperty('status');
    expect(() => throwUnlessDelivered(unreachable)).toThrow(/^The webhook could not be delivered: /);
    expect(() => throwUnlessDelivered({ outcome: 'failed', status: 500, reason: 'x' })).not.toThrow(PermanentJobError);
  });
});
