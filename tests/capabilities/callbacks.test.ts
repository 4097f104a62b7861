/**
 * The callback job on its own, against a receiver on this machine and the real SSRF-safe client:
 * what is signed and sent, that a non-2xx answer is retried and the last attempt recorded as
 * failed, and that a host name resolving to a private address is refused at delivery and never
 * retried (the DNS answer is the test's, through the client's resolver).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSafeFetcher, type Resolver } from '../../adapters/http/safe-fetch.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { parseWebhookHeaders } from '../../domain/webhooks.ts';
import { createRun } from '../../handlers/capabilities/callback.job.ts';
import { loadCapabilitiesSettings } from '../../handlers/capabilities/settings.ts';
import { capabilityJobsContainer, type CapabilityJobDoc } from '../../handlers/capabilities/store.ts';
import { PermanentJobError, type JobContext } from '../../kernel/jobs.ts';
import { createLogger } from '../../middleware/logger.ts';
import { parseWebhookSecret, verifyWebhookSignature } from '../../middleware/webhooks.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2026-12-05T10:00:00Z');
const logger = createLogger({ level: 'silent', pretty: false });

let receiver: Server;
let port: number;
let answer = 204;
const received: { url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

/** The job with its deps; `resolve` plays DNS for the callback's host name. */
function setUp(resolve: Resolver, maxAttempts = 3) {
  const documents = new MemoryDocumentStore();
  const settings = loadCapabilitiesSettings({ CAPABILITIES_WEBHOOK_SECRETS: `site-a:${SECRET}`, CAPABILITIES_ALLOW_LOOPBACK_URLS: 'true' });
  // Loopback is allowed for the receiver; the private-address case is refused by class, not by this switch.
  const http = createSafeFetcher(settings.fetch, { resolve });
  const run = createRun({
    settings,
    documents,
    clock: { now: () => NOW },
    metrics: new MemoryMetrics(),
    logger,
    model: undefined as never,
    safeHttp: () => http,
    capabilityPlugins: { load: async () => { throw new Error('not used'); }, missingPackages: async () => [] },
    objectStore: () => undefined as never,
    segmentation: () => undefined as never,
    jobs: { enqueue: async () => 'unused' },
    jobRuntime: { settings: () => ({ retry: { maxAttempts, baseBackoffSeconds: 1, maxBackoffSeconds: 1, jitterSeconds: 0 }, dedupeTtlSeconds: 60, completedTtlSeconds: 60 }) },
  });
  const jobs = documents.repository<CapabilityJobDoc>(capabilityJobsContainer);
  const context = (attempt: number): JobContext => ({ jobId: 'job-1-callback', attempt, log: logger, signal: new AbortController().signal, once: (_key, effect) => effect() });
  const submit = (callbackUrl: string) =>
    jobs.create({
      id: 'job-1', owner: 'site-a', plugin: 'image-compress', status: 'succeeded', attempts: 1, callbackUrl, callback: { status: 'pending', attempts: 0 },
      result: { output_url: 'https://cdn.example.test/uploads/x_compressed.webp' }, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), completedAt: NOW.toISOString(),
    });
  return { run, jobs, context, submit };
}

const loopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

describe('the capability callback job', () => {
  it('POSTs the outcome as a Standard Webhooks delivery signed with the key\'s secret, once', async () => {
    answer = 204;
    received.length = 0;
    const { run, jobs, context, submit } = setUp(loopback);
    await submit(`http://hooks.example.test:${port}/capabilities?site=a`);
    await run({ jobId: 'job-1' }, context(1));
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.url).toBe('/capabilities?site=a');
    const headers = parseWebhookHeaders(delivery!.headers as Record<string, string>);
    expect(headers).toMatchObject({ id: 'msg_job-1', timestamp: String(NOW.getTime() / 1000) });
    expect(verifyWebhookSignature([parseWebhookSecret(SECRET)], headers, delivery!.body)).toBe(true);
    expect(JSON.parse(delivery!.body.toString())).toEqual({
      type: 'capability.job.succeeded',
      timestamp: NOW.toISOString(),
      data: { job_id: 'job-1', plugin: 'image-compress', status: 'succeeded', result: { output_url: 'https://cdn.example.test/uploads/x_compressed.webp' }, completed_at: NOW.toISOString() },
    });
    expect((await jobs.get('job-1', 'job-1'))?.callback).toEqual({ status: 'delivered', attempts: 1, lastStatus: 204 });
    // A duplicate delivery of the job sends nothing more.
    await run({ jobId: 'job-1' }, context(1));
    expect(received).toHaveLength(1);
  });

  it('retries a receiver that answers 500 (a plain error, so the runtime backs off), and records the last attempt as failed', async () => {
    answer = 500;
    received.length = 0;
    const { run, jobs, context, submit } = setUp(loopback, 2);
    await submit(`http://hooks.example.test:${port}/down`);
    const first = run({ jobId: 'job-1' }, context(1));
    await expect(first).rejects.toThrow('The callback receiver answered 500.');
    await expect(first).rejects.not.toBeInstanceOf(PermanentJobError);
    expect((await jobs.get('job-1', 'job-1'))?.callback).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    await expect(run({ jobId: 'job-1' }, context(2))).rejects.toThrow('500');
    expect((await jobs.get('job-1', 'job-1'))?.callback).toMatchObject({ status: 'failed', attempts: 2 });
    expect(received).toHaveLength(2);
  });

  it('refuses a host name that resolves to a private address at delivery, never retried, nothing sent', async () => {
    answer = 204;
    received.length = 0;
    const { run, jobs, context, submit } = setUp(async () => [{ address: '10.0.0.5', family: 4 }]);
    await submit(`http://rebinding.example.test:${port}/hook`);
    await expect(run({ jobId: 'job-1' }, context(1))).rejects.toBeInstanceOf(PermanentJobError);
    expect((await jobs.get('job-1', 'job-1'))?.callback).toMatchObject({ status: 'failed', lastError: expect.stringContaining('private address') });
    expect(received).toHaveLength(0);
  });
});
