/** The admin operations over HTTP, through the real `bind` and HTTP stack, on memory ports. */
import { describe, expect, it } from '@jest/globals';
import type { Factory } from '../../app/app.ts';
import type { JobRecord } from '../../domain/jobs.ts';
import operations from '../../handlers/operations/index.ts';
import { deleteDeadLetter, listDeadLetters, purgeDeadLetters, replayDeadLetter } from '../../handlers/operations/dead-letters.routes.ts';
import { getJob } from '../../handlers/operations/job-status.routes.ts';
import { jobsContainer } from '../../jobs/containers.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { defineJob, type JobSpec } from '../../kernel/jobs.ts';
import { defineService } from '../../kernel/services.ts';
import type { HttpPlatform } from '../../middleware/http-stack.ts';
import { testApp } from '../support/app.ts';
import { context, memoryRuntime, pump } from '../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform, type EventInit } from '../support/platform.ts';

const admin = testPlatform({ authenticate: async () => ({ userId: 'ops', qualifiedId: 'portico|ops', issuer: 'portico', via: 'token' as const, roles: ['admin'], isAdmin: true }) });
const spec = defineJob<{ n: number }>({
  type: 'ops.job',
  queue: 'ops-jobs',
  payloadSchema: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer' } } },
  settingsPrefix: 'OPS_JOB',
  run: async (payload) => {
    if (payload.n < 0) throw new Error('negative');
  },
});

/** The job belongs to no real service: a manifest of its own puts it in the app's job list (replay needs its spec). */
const opsJobs = defineService({ name: 'ops-test', summary: 'The job the operations tests dead-letter.', functions: [], jobs: [spec] });

/** What `bind` passes (Deps) fits every factory the operations table names: checked when this file compiles. */
export const factories: Factory[] = [listDeadLetters, replayDeadLetter, deleteDeadLetter, purgeDeadLetters, getJob];

type Harness = ReturnType<typeof memoryRuntime>;

/** The operations routes as `bind` builds them from the function table, on the job harness's stores. */
async function routes({ deps }: Harness, platform: HttpPlatform) {
  const t = testApp({
    services: [operations, opsJobs],
    ports: { platform, documents: deps.documents, queue: deps.queue, blobs: deps.blobs, clock: deps.clock, ids: deps.ids, logger: deps.logger },
  });
  const route = (name: string) => t.handler<HttpLambda>(name);
  return {
    list: await route('admin-dead-letters-list'),
    replay: await route('admin-dead-letters-replay'),
    remove: await route('admin-dead-letters-delete'),
    purge: await route('admin-dead-letters-purge'),
    status: await route('admin-job-status'),
  };
}

async function setup() {
  const harness = memoryRuntime([spec as unknown as JobSpec]);
  const { runtime, deps, clock } = harness;
  const drain = () => pump(deps.queue, 'ops-jobs', (event) => runtime.worker(event, context()));
  const failing = await runtime.client.enqueue(spec, { n: -1 }, { jobId: 'bad-1' });
  for (let i = 0; i < 4; i++) {
    await drain();
    clock.advance(120_000);
  }
  return { ...harness, drain, failing, http: await routes(harness, admin) };
}

/** Calls a handler as API Gateway would, with the route's path parameters. */
const call = async (handler: HttpLambda, init: EventInit, pathParameters?: Record<string, string>) => {
  const result = await handler({ ...httpEvent(init), ...(pathParameters ? { pathParameters } : {}) }, lambdaContext());
  return { statusCode: result.statusCode, json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : undefined };
};

describe('dead-letter operations', () => {
  it('lists dead letters a page at a time', async () => {
    const { http } = await setup();
    const page = await call(http.list, { method: 'GET', path: '/api/admin/dead-letters', query: 'limit=10' });
    expect(page.statusCode).toBe(200);
    expect(page.json!.items).toEqual([expect.objectContaining({ id: 'bad-1', reason: 'max_attempts', attempts: 3, type: 'ops.job' })]);
  });

  it('validates the query string', async () => {
    const { http } = await setup();
    const page = await call(http.list, { method: 'GET', path: '/api/admin/dead-letters', query: 'limit=500&x=1' });
    expect(page.statusCode).toBe(400);
    expect(page.json!.code).toBe('validation_failed');
  });

  it('replays one: 202, the job is queued again with attempt 1', async () => {
    const { http, deps } = await setup();
    const unknown = await call(http.replay, { method: 'POST', path: '/api/admin/dead-letters/nope/replay' }, { id: 'nope' });
    expect(unknown.statusCode).toBe(404);
    const ok = await call(http.replay, { method: 'POST', path: '/api/admin/dead-letters/bad-1/replay' }, { id: 'bad-1' });
    expect(ok.statusCode).toBe(202);
    expect(ok.json).toEqual({ jobId: 'bad-1' });
    expect(await deps.documents.repository<JobRecord>(jobsContainer).get('bad-1', 'bad-1')).toMatchObject({ status: 'queued', attempt: 1 });
    expect(await deps.queue.count('ops-jobs')).toBe(1);
  });

  it('deletes one (204, then 404) and purges many', async () => {
    const { http, runtime } = await setup();
    const remove = (id: string) => call(http.remove, { method: 'DELETE', path: `/api/admin/dead-letters/${encodeURIComponent(id)}` }, { id });
    expect((await remove('bad-1')).statusCode).toBe(204);
    expect((await remove('bad-1')).statusCode).toBe(404);
    expect((await remove('a/b')).statusCode).toBe(400);
    await runtime.client.enqueue(spec, { n: -1 }, { jobId: 'bad-2' });
    const purge = await call(http.purge, { method: 'POST', path: '/api/admin/dead-letters/purge', headers: { 'content-type': 'application/json' }, body: '{"type":"ops.job","max":5}' });
    expect(purge.statusCode).toBe(200);
    // bad-2 is only queued, not dead-lettered: nothing of that type is left to purge.
    expect(purge.json).toEqual({ purged: 0, more: false });
  });

  it('answers 401 without an identity provider: the routes are admin-only', async () => {
    const harness = await setup();
    const anonymous = await routes(harness, testPlatform());
    const page = await call(anonymous.list, { method: 'GET', path: '/api/admin/dead-letters' });
    expect(page.statusCode).toBe(401);
  });
});

describe('job status', () => {
  it("shows a job's status and 404s an unknown one", async () => {
    const { http } = await setup();
    const found = await call(http.status, { method: 'GET', path: '/api/admin/jobs/bad-1' }, { id: 'bad-1' });
    expect(found.statusCode).toBe(200);
    expect(found.json).toMatchObject({ id: 'bad-1', status: 'dead-lettered', attempt: 3, lastError: 'Error: negative' });
    const missing = await call(http.status, { method: 'GET', path: '/api/admin/jobs/nope' }, { id: 'nope' });
    expect(missing.statusCode).toBe(404);
  });
});
