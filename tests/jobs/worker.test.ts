/** The job runtime on memory ports: every path a job can take, with a controlled clock. */
import { describe, expect, it } from '@jest/globals';
import type { JobRecord } from '../../domain/jobs.ts';
import { defineJob, PermanentJobError, type JobContext, type JobSpec } from '../../kernel/jobs.ts';
import { jobsContainer, deadLettersContainer } from '../../jobs/containers.ts';
import type { DeadLetterRecord } from '../../jobs/dead-letters.ts';
import { lazyDocumentStore } from '../../adapters/lazy.ts';
import { StoreUnavailableError } from '../../domain/errors.ts';
import { createJobWorker } from '../../jobs/worker.ts';
import { context, memoryRuntime, pump, sqsEvent } from '../support/jobs.ts';

interface Payload {
  n: number;
  blob?: string;
}

function job(run: (payload: Payload, ctx: JobContext) => Promise<void>) {
  return defineJob<Payload>({
    type: 'test.job',
    queue: 'test-jobs',
    payloadSchema: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer' }, blob: { type: 'string' } } },
    settingsPrefix: 'TEST_JOB',
    run,
  });
}

function setup(run: (payload: Payload, ctx: JobContext) => Promise<void>) {
  const spec = job(run);
  const harness = memoryRuntime([spec as unknown as JobSpec]);
  const { deps, runtime } = harness;
  const worker = (event: Parameters<typeof runtime.worker>[0]) => runtime.worker(event, context());
  const drain = () => pump(deps.queue, 'test-jobs', worker);
  const record = async (id: string) => deps.documents.repository<JobRecord>(jobsContainer).get(id, id);
  const letter = async (id: string) => deps.documents.repository<DeadLetterRecord>(deadLettersContainer).get(id, id);
  /** Reads messages and lets them become visible again straight away (the shortest visibility is 1 s). */
  const peek = async (queue: string) => {
    const messages = await deps.queue.receive(queue, { max: 32, visibilitySeconds: 1 });
    harness.clock.advance(1001);
    return messages;
  };
  return { ...harness, spec, worker, drain, record, letter, peek };
}

describe('the job worker', () => {
  it('runs a job once and records it completed, pollable by id', async () => {
    const seen: number[] = [];
    const { runtime, drain, record, spec } = setup(async (payload) => void seen.push(payload.n));
    const jobId = await runtime.client.enqueue(spec, { n: 7 });
    expect((await runtime.client.status(jobId)).status).toBe('queued');
    expect(await drain()).toBe(1);
    expect(seen).toEqual([7]);
    expect(await record(jobId)).toMatchObject({ status: 'completed', attempt: 1, completedAt: expect.any(String) });
    expect((await runtime.client.status(jobId)).status).toBe('completed');
  });

  it('refuses an invalid payload at enqueue time with the failing field', async () => {
    const { runtime, deps, spec } = setup(async () => undefined);
    await expect(runtime.client.enqueue(spec, { n: 'x' } as never)).rejects.toMatchObject({ status: 400, code: 'invalid_payload' });
    await expect(runtime.client.enqueue({ ...spec, type: 'nope' }, { n: 1 })).rejects.toMatchObject({ code: 'unknown_job_type' });
    expect(await deps.queue.count('test-jobs')).toBe(0);
  });

  it('an explicit job id makes enqueueing idempotent', async () => {
    const seen: number[] = [];
    const { runtime, drain, spec } = setup(async (payload) => void seen.push(payload.n));
    await runtime.client.enqueue(spec, { n: 1 }, { jobId: 'same' });
    await runtime.client.enqueue(spec, { n: 1 }, { jobId: 'same' });
    await drain();
    expect(seen).toEqual([1]);
  });

  it('retries a failed attempt with backoff, by re-enqueueing with a delay', async () => {
    let calls = 0;
    const { runtime, drain, record, clock, spec } = setup(async () => {
      calls++;
      if (calls === 1) throw new Error('flaky upstream');
    });
    const jobId = await runtime.client.enqueue(spec, { n: 1 });
    await drain();
    expect(calls).toBe(1);
    expect(await record(jobId)).toMatchObject({ status: 'retrying', attempt: 2, lastError: 'Error: flaky upstream' });
    // random() = 0.5 and base 2 s: the retry waits 1 s before it becomes visible.
    clock.advance(900);
    expect(await drain()).toBe(0);
    clock.advance(200);
    expect(await drain()).toBe(1);
    expect(calls).toBe(2);
    expect(await record(jobId)).toMatchObject({ status: 'completed', attempt: 2 });
  });

  it("hands the enqueuing request's traceparent to every attempt, and logs under its trace id", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const seen: (string | undefined)[] = [];
    const { runtime, drain, clock, logs, spec } = setup(async (_payload, ctx) => {
      seen.push(ctx.traceparent);
      ctx.log.info('working');
      if (seen.length === 1) throw new Error('flaky upstream');
    });
    await runtime.client.enqueue(spec, { n: 1 }, { traceparent });
    await runtime.client.enqueue(spec, { n: 2 });
    await drain();
    clock.advance(1100);
    await drain();
    expect(seen).toEqual([traceparent, undefined, traceparent]);
    const working = logs().filter((line) => line.msg === 'working');
    expect(working.map((line) => line.correlationId)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', undefined, '4bf92f3577b34da6a3ce929d0e0e4736']);
  });

  it('dead-letters after the last attempt: a record with attempts and last error, and a queue message', async () => {
    const { runtime, deps, drain, record, letter, clock, spec } = setup(async () => {
      throw new Error('always down, password=hunter2');
    });
    const jobId = await runtime.client.enqueue(spec, { n: 1 });
    for (let i = 0; i < 5; i++) {
      await drain();
      clock.advance(120_000);
    }
    expect(await record(jobId)).toMatchObject({ status: 'dead-lettered' });
    const dead = await letter(jobId);
    expect(dead).toMatchObject({ reason: 'max_attempts', attempts: 3, type: 'test.job', queue: 'test-jobs', envelope: { jobId, payload: { n: 1 } } });
    expect(dead!.lastError).toContain('always down');
    expect(dead!.lastError).not.toContain('hunter2');
    const [message] = await deps.queue.receive('test-jobs-deadletter', { max: 1, visibilitySeconds: 1 });
    expect(JSON.parse(message!.text)).toMatchObject({ jobId, reason: 'max_attempts', attempts: 3 });
  });

  it('dead-letters at once on a permanent failure', async () => {
    let calls = 0;
    const { runtime, drain, letter, spec } = setup(async () => {
      calls++;
      throw new PermanentJobError('the account is closed');
    });
    const jobId = await runtime.client.enqueue(spec, { n: 1 });
    await drain();
    expect(calls).toBe(1);
    expect(await letter(jobId)).toMatchObject({ reason: 'permanent_failure', attempts: 1 });
  });

  it.each([
    ['not JSON at all', 'unparseable'],
    [JSON.stringify({ type: 'test.job', attempt: 1, enqueuedAt: 'x', payload: {} }), 'unparseable'],
    [JSON.stringify({ type: 'who.knows', jobId: 'j1', attempt: 1, enqueuedAt: 'x', payload: {} }), 'unknown_type'],
    [JSON.stringify({ type: 'test.job', jobId: 'j2', attempt: 1, enqueuedAt: 'x', payload: { n: 'one' } }), 'invalid_payload'],
  ])('dead-letters a bad message straight away with its reason: %s', async (text, reason) => {
    let calls = 0;
    const { deps, drain, logs } = setup(async () => void calls++);
    await deps.queue.send('test-jobs', text);
    await drain();
    expect(calls).toBe(0);
    const letters = await deps.documents.repository<DeadLetterRecord>(deadLettersContainer).query({ limit: 10 });
    expect(letters.items).toHaveLength(1);
    expect(letters.items[0]).toMatchObject({ reason, queue: 'test-jobs', lastError: expect.any(String) });
    expect(await deps.queue.count('test-jobs')).toBe(0);
    expect(logs().some((line) => line.msg === 'job dead-lettered')).toBe(true);
  });

  it('a duplicate delivery of a finished job does nothing', async () => {
    const seen: number[] = [];
    const { runtime, deps, drain, peek, spec } = setup(async (payload) => void seen.push(payload.n));
    await runtime.client.enqueue(spec, { n: 1 }, { jobId: 'dup' });
    const [original] = await peek('test-jobs');
    await drain();
    await deps.queue.send('test-jobs', original!.text); // the queue delivers it again
    await drain();
    expect(seen).toEqual([1]);
  });

  it('a stale attempt that was superseded by a retry is skipped', async () => {
    let calls = 0;
    const { runtime, deps, drain, clock, peek, spec } = setup(async () => {
      calls++;
      if (calls === 1) throw new Error('first attempt fails');
    });
    await runtime.client.enqueue(spec, { n: 1 }, { jobId: 'stale' });
    const [first] = await peek('test-jobs');
    await drain(); // attempt 1 fails, attempt 2 is queued with a delay
    await deps.queue.send('test-jobs', first!.text); // attempt 1 delivered again
    await drain();
    expect(calls).toBe(1);
    clock.advance(5000);
    await drain();
    expect(calls).toBe(2);
  });

  it("defers a delivery while another worker holds the lease, and takes over once it runs out", async () => {
    let calls = 0;
    const { runtime, deps, drain, clock, record, spec } = setup(async () => void calls++);
    const jobId = await runtime.client.enqueue(spec, { n: 1 });
    // A worker took the job and crashed: its lease stands for 30 s, its message comes back.
    const records = deps.documents.repository<JobRecord>(jobsContainer);
    const current = (await records.get(jobId, jobId))!;
    const { etag, ...rest } = current;
    await records.replace({ ...rest, status: 'running', leaseUntil: clock.now().getTime() + 30_000 }, etag);
    await drain();
    expect(calls).toBe(0);
    expect(await deps.queue.count('test-jobs')).toBe(1); // re-sent with a delay
    clock.advance(31_000);
    await drain();
    expect(calls).toBe(1);
    expect(await record(jobId)).toMatchObject({ status: 'completed' });
  });

  it('carries a large payload through a blob and back', async () => {
    let received = '';
    const { runtime, drain, peek, spec } = setup(async (payload) => void (received = payload.blob ?? ''));
    const big = 'x'.repeat(100 * 1024);
    await runtime.client.enqueue(spec, { n: 1, blob: big });
    const [message] = await peek('test-jobs');
    expect(message!.text.length).toBeLessThan(1024);
    expect(JSON.parse(message!.text).payloadRef).toEqual({ container: 'job-payloads', name: expect.stringMatching(/\.json$/) });
    await drain();
    expect(received).toBe(big);
  });

  it('once(): an effect runs once per job and key across redeliveries', async () => {
    let effects = 0;
    let calls = 0;
    const { runtime, drain, clock, spec } = setup(async (_payload, ctx) => {
      calls++;
      const receipt = await ctx.once('charge', async () => {
        effects++;
        return { receipt: 'r-1' };
      });
      expect(receipt).toEqual({ receipt: 'r-1' });
      if (calls === 1) throw new Error('crash after the effect');
    });
    await runtime.client.enqueue(spec, { n: 1 });
    await drain();
    clock.advance(10_000);
    await drain();
    expect(calls).toBe(2);
    expect(effects).toBe(1);
  });

  it('reports infrastructure failures as batch item failures so the message is redelivered', async () => {
    const { deps, runtime, peek, spec } = setup(async () => undefined);
    await runtime.client.enqueue(spec, { n: 1 }, { jobId: 'infra' });
    const [message] = await peek('test-jobs');
    // The document store is down: nothing can be recorded, so the message must come back.
    const down = lazyDocumentStore(() => Promise.reject(new StoreUnavailableError(5)));
    const result = await createJobWorker({ ...deps, documents: down }).worker(sqsEvent('test-jobs', [message!]), context());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: message!.id }]);
  });
});

describe('poison messages and operations', () => {
  it('turns a message the host poisoned into a dead letter', async () => {
    const { runtime, deps, letter, peek, spec } = setup(async () => undefined);
    await runtime.client.enqueue(spec, { n: 1 }, { jobId: 'poisoned' });
    const [message] = await peek('test-jobs');
    await deps.queue.send('test-jobs-poison', message!.text);
    await pump(deps.queue, 'test-jobs-poison', (event) => runtime.poison(event));
    expect(await letter('poisoned')).toMatchObject({ reason: 'poisoned', queue: 'test-jobs', type: 'test.job' });
  });

  it('replays a dead letter with a fresh attempt count, then it can complete', async () => {
    let fail = true;
    const { runtime, drain, letter, record, clock, spec } = setup(async () => {
      if (fail) throw new Error('down');
    });
    const jobId = await runtime.client.enqueue(spec, { n: 1 });
    for (let i = 0; i < 4; i++) {
      await drain();
      clock.advance(120_000);
    }
    expect(await letter(jobId)).toBeDefined();
    fail = false;
    await runtime.deadLetters.replay(jobId);
    expect(await letter(jobId)).toBeUndefined();
    expect(await record(jobId)).toMatchObject({ status: 'queued', attempt: 1 });
    await drain();
    expect(await record(jobId)).toMatchObject({ status: 'completed', attempt: 1 });
  });

  it('lists, purges one and purges many', async () => {
    const { deps, runtime, drain } = setup(async () => undefined);
    for (let i = 0; i < 5; i++) await deps.queue.send('test-jobs', `garbage ${i}`);
    await drain();
    const page = await runtime.deadLetters.list({ limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.continuation).toBeDefined();
    const rest = await runtime.deadLetters.list({ limit: 3, continuation: page.continuation! });
    expect(new Set([...page.items, ...rest.items].map((item) => item.id)).size).toBe(5);
    expect(await runtime.deadLetters.purge(page.items[0]!.id)).toBe(true);
    expect(await runtime.deadLetters.purge(page.items[0]!.id)).toBe(false);
    await expect(runtime.deadLetters.replay(page.items[1]!.id)).rejects.toMatchObject({ status: 409, code: 'not_replayable' });
    expect(await runtime.deadLetters.purgeMany({ max: 10 })).toEqual({ purged: 4, more: false });
  });
});
