/** The hourly purge: the timer fans out one job per container, once per slot; the job sweeps. */
import { describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import type { TimerLambda } from '../../kernel/functions.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { services } from '../../app/services.ts';
import { purgeExpired } from '../../handlers/system/functions.ts';
import { purgeExpiredJob } from '../../handlers/system/jobs.ts';
import { createRun } from '../../handlers/system/purge.job.ts';
import { purgeExpired as purgeTimer } from '../../handlers/system/purge.timer.ts';
import { jobsContainer } from '../../jobs/containers.ts';
import { testApp } from '../support/app.ts';
import { captureLogger, lambdaContext } from '../support/platform.ts';
import { testClock } from '../support/jobs.ts';

/** Every container of the app (every service's, the job runtime's and the platform's), as the catalog lists them. */
const { containers } = testApp({ services }).app;
const catalog = { containers };

const firing = (time: string): ScheduledEvent => ({
  version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'portico.timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false },
});

describe('purge-expired timer', () => {
  it('enqueues one purge job per container, and a second firing of the slot enqueues none', async () => {
    const enqueued: { type: string; payload: unknown; jobId?: string }[] = [];
    const clock = testClock(Date.parse('2026-11-22T10:00:01Z'));
    const handler = purgeTimer(
      {
        documents: new MemoryDocumentStore(clock),
        clock,
        logger: captureLogger().logger,
        catalog,
        jobs: { enqueue: async (spec, payload, options) => (enqueued.push({ type: spec.type, payload, jobId: options?.jobId }), options?.jobId ?? '') },
      },
      purgeExpired,
    );
    await handler(firing('2026-11-22T10:00:01Z'), lambdaContext());
    await handler(firing('2026-11-22T10:00:02Z'), lambdaContext());
    expect(enqueued.map((job) => job.payload)).toEqual(containers.map((container) => ({ container: container.name })));
    expect(enqueued.every((job) => job.type === 'system.purge-expired' && job.jobId?.endsWith('-20261122100000'))).toBe(true);
  });
});

describe('purge-expired, bound by the app', () => {
  it('enqueues one purge job per container of the app’s catalog on its queue, once per slot', async () => {
    const t = testApp({ services });
    t.clock.set(Date.parse('2026-11-22T10:00:01Z'));
    const handler = await t.handler<TimerLambda>('purge-expired');
    await handler(firing('2026-11-22T10:00:01Z'), lambdaContext('purge-expired'));
    await handler(firing('2026-11-22T10:00:02Z'), lambdaContext('purge-expired'));
    expect(await t.ports.queue.count(purgeExpiredJob.queue)).toBe(t.app.containers.length);
  });
});

describe('purge-expired job', () => {
  it('deletes the expired documents of its container and nothing else', async () => {
    const clock = testClock();
    const documents = new MemoryDocumentStore(clock);
    const jobs = documents.repository(jobsContainer);
    for (let i = 0; i < 450; i++) await jobs.create({ id: `old-${i}`, expiresAt: clock.now().getTime() - 1 });
    await jobs.create({ id: 'live', expiresAt: clock.now().getTime() + 60_000 });
    const { logger, records } = captureLogger();
    await createRun({ documents, catalog })({ container: 'jobs' }, { jobId: 'p', attempt: 1, log: logger, signal: new AbortController().signal, once: async (_key, effect) => effect() });
    expect(records().find((line) => line.msg === 'expired documents purged')).toMatchObject({ container: 'jobs', purged: 450 });
    expect(await jobs.purgeExpired(1000)).toBe(0);
    expect(await jobs.get('live', 'live')).toBeDefined();
  });

  it('fails permanently for a container nobody declared', async () => {
    const run = createRun({ documents: new MemoryDocumentStore(), catalog });
    await expect(run({ container: 'nope' }, { jobId: 'p', attempt: 1, log: captureLogger().logger, signal: new AbortController().signal, once: async (_k, e) => e() })).rejects.toMatchObject({ name: 'PermanentJobError' });
  });
});
