/** The job runtime's per-job homes (the taste job's use them): records, dead letters and queue of a job's own. */
import { describe, expect, it } from '@jest/globals';
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';
import { jobRuntimeContainers } from '../../../jobs/containers.ts';
import { context, memoryRuntime, pump } from '../../support/jobs.ts';

const failing = async () => {
  throw new Error('down');
};
const payloadSchema = { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer' } } };
const shared = defineJob<{ n: number }>({ type: 'home.shared', queue: 'shared-jobs', payloadSchema, settingsPrefix: 'HOME_JOB', run: failing });
const own = defineJob<{ n: number }>({
  type: 'home.own', queue: 'own-jobs', payloadSchema, settingsPrefix: 'HOME_JOB', run: failing,
  deadLetterQueue: 'own-dlq', jobsContainer: 'own-jobs-records', deadLetterContainer: 'own-dead-letters',
});

async function deadLetterOneOfEach() {
  const harness = memoryRuntime([shared, own] as JobSpec[]);
  const { runtime, deps, clock } = harness;
  for (const n of [1, 2]) await runtime.client.enqueue(shared, { n }, { jobId: `shared-${n}` });
  await runtime.client.enqueue(own, { n: 3 }, { jobId: 'own-3' });
  for (let round = 0; round < 4; round++) {
    for (const queue of ['shared-jobs', 'own-jobs']) await pump(deps.queue, queue, (event) => runtime.worker(event, context()));
    clock.advance(120_000);
  }
  return harness;
}

describe('per-job homes in the job runtime', () => {
  it("declares a job's own containers for start-up, once each, after the shared ones", () => {
    expect(jobRuntimeContainers([shared, own, own]).map((container) => container.name)).toEqual(['jobs', 'dead-letters', 'ledger', 'runs', 'own-jobs-records', 'own-dead-letters']);
  });

  it("keeps a job's records and dead letters in its containers and announces on its queue; the defaults are unchanged", async () => {
    const { deps, runtime } = await deadLetterOneOfEach();
    const get = (container: string, id: string) => deps.documents.repository({ name: container, partitionKey: 'id' }).get(id, id);
    expect(await get('own-jobs-records', 'own-3')).toMatchObject({ status: 'dead-lettered' });
    expect(await get('jobs', 'own-3')).toBeUndefined();
    expect(await get('own-dead-letters', 'own-3')).toMatchObject({ reason: 'max_attempts' });
    expect(await get('dead-letters', 'shared-1')).toMatchObject({ reason: 'max_attempts' });
    expect(await deps.queue.count('own-dlq')).toBe(1);
    expect(await deps.queue.count('own-jobs-deadletter')).toBe(0);
    expect(await deps.queue.count('shared-jobs-deadletter')).toBe(2);
    // The admin job status finds a job in whichever container holds it.
    expect(await runtime.client.status('own-3')).toMatchObject({ type: 'home.own', status: 'dead-lettered' });
    await expect(runtime.client.status('own-3', 'home.shared')).rejects.toMatchObject({ status: 404 });
  });

  it('lists dead letters across containers a page at a time, and purges across them', async () => {
    const { runtime } = await deadLetterOneOfEach();
    const seen: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await runtime.deadLetters.list({ limit: 2, ...(continuation ? { continuation } : {}) });
      seen.push(...page.items.map((letter) => letter.id));
      continuation = page.continuation;
      pages++;
    } while (continuation && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.sort()).toEqual(['own-3', 'shared-1', 'shared-2']);
    expect((await runtime.deadLetters.list({ limit: 10, type: 'home.own' })).items.map((letter) => letter.id)).toEqual(['own-3']);
    await expect(runtime.deadLetters.list({ limit: 2, continuation: 'not-ours' })).rejects.toMatchObject({ status: 400, code: 'invalid_continuation' });
    expect(await runtime.deadLetters.purge('own-3')).toBe(true);
    expect(await runtime.deadLetters.purgeMany({ max: 10 })).toEqual({ purged: 2, more: false });
    expect((await runtime.deadLetters.list({ limit: 10 })).items).toEqual([]);
  });
});
