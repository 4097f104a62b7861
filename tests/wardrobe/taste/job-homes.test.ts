/**
 * The job runtime's per-job homes (the taste job's use them): records, dead letters and queue of
 * a job's own; and the taste job's, declared with their default names and renamed by a
 * deployment's TASTE_JOB_* / COSMOS_DB_TASTE_* variables through its `configure` when the app
 * resolves its jobs (resolveJob), never when the module is imported.
 */
import { describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { tasteJob, tasteJobId } from '../../../handlers/wardrobe/taste/jobs.ts';
import { readProfile } from '../../../handlers/wardrobe/profile/store.ts';
import { loadTasteSettings } from '../../../handlers/wardrobe/taste/settings.ts';
import type { HttpLambda, QueueLambda } from '../../../kernel/functions.ts';
import { defineJob, resolveJob, type JobSpec } from '../../../kernel/jobs.ts';
import { jobRuntimeContainers } from '../../../jobs/containers.ts';
import type { DeadLetterRecord } from '../../../jobs/dead-letters.ts';
import { testApp } from '../../support/app.ts';
import { context, memoryRuntime, pump, testClock } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform } from '../../support/platform.ts';
import { conflictingProfiles } from './conflicting-profiles.ts';

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

/** A deployment that renames every home of the taste job. */
const RENAMED = {
  TASTE_JOB_QUEUE_NAME: 'quiz-jobs',
  TASTE_JOB_DEAD_LETTER_QUEUE_NAME: 'quiz-dlq',
  COSMOS_DB_TASTE_JOBS_CONTAINER: 'quiz-job-records',
  COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER: 'quiz-dead-letters',
};
const names = (spec: JobSpec) => ({ queue: spec.queue, deadLetterQueue: spec.deadLetterQueue, jobsContainer: spec.jobsContainer, deadLetterContainer: spec.deadLetterContainer });

describe("the taste job's homes", () => {
  it('are declared with the default names (what loadTasteSettings reads from an empty environment)', () => {
    expect(names(tasteJob as JobSpec)).toEqual({ queue: 'taste-jobs', deadLetterQueue: 'taste-jobs-deadletter', jobsContainer: 'taste-jobs', deadLetterContainer: 'taste-job-dead-letters' });
    expect(names(resolveJob(tasteJob as JobSpec, {}))).toEqual(names(tasteJob as JobSpec));
    const { queue, deadLetterQueue, jobsContainer, deadLetterContainer } = loadTasteSettings({});
    expect(names(tasteJob as JobSpec)).toEqual({ queue, deadLetterQueue, jobsContainer, deadLetterContainer });
  });

  it('take the TASTE_JOB_* and COSMOS_DB_TASTE_* names through configure + resolveJob, and nothing else changes', () => {
    const resolved = resolveJob(tasteJob, RENAMED);
    expect(names(resolved as JobSpec)).toEqual({ queue: 'quiz-jobs', deadLetterQueue: 'quiz-dlq', jobsContainer: 'quiz-job-records', deadLetterContainer: 'quiz-dead-letters' });
    expect(resolved).toMatchObject({ type: tasteJob.type, settingsPrefix: 'TASTE_JOB', payloadSchema: tasteJob.payloadSchema, handler: tasteJob.handler });
    // The declared spec is untouched.
    expect(tasteJob.queue).toBe('taste-jobs');
    // A renamed queue alone moves its dead-letter queue along with it.
    expect(names(resolveJob(tasteJob as JobSpec, { TASTE_JOB_QUEUE_NAME: 'quiz-jobs' }))).toEqual({
      queue: 'quiz-jobs', deadLetterQueue: 'quiz-jobs-deadletter', jobsContainer: 'taste-jobs', deadLetterContainer: 'taste-job-dead-letters',
    });
    // A bad name stops resolution (start-up), naming the variable.
    expect(() => resolveJob(tasteJob, { TASTE_JOB_QUEUE_NAME: 'Quiz_Jobs' })).toThrow('TASTE_JOB_QUEUE_NAME');
    expect(() => resolveJob(tasteJob, { COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER: 'a/b' })).toThrow('COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER');
  });

  it("are the app's: its job list, worker functions and containers use the deployment's names", () => {
    const { app } = testApp({ services: [wardrobe], env: RENAMED });
    expect(names(app.jobs.find((spec) => spec.type === tasteJob.type)!)).toEqual({ queue: 'quiz-jobs', deadLetterQueue: 'quiz-dlq', jobsContainer: 'quiz-job-records', deadLetterContainer: 'quiz-dead-letters' });
    const functionNames = app.functions.map((def) => def.name);
    expect(functionNames).toEqual(expect.arrayContaining(['jobs-quiz-jobs', 'jobs-quiz-jobs-poison']));
    expect(functionNames).not.toContain('jobs-taste-jobs');
    expect(app.containers.map((container) => container.name)).toEqual(expect.arrayContaining(['quiz-job-records', 'quiz-dead-letters']));
  });

  it('are where the bound quiz routes and worker keep the job, and the bound job writes the profile with TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES', async () => {
    const clock = testClock();
    const conflicts = { on: false, replaces: 0 };
    const documents = conflictingProfiles(new MemoryDocumentStore(clock), conflicts);
    const platform = testPlatform({
      authenticate: async (event) => ({ userId: event.headers['x-test-user'] ?? 'nobody', qualifiedId: 'test|ann', issuer: 'test', via: 'token', roles: [], isAdmin: false }),
    });
    const t = testApp({ services: [wardrobe], env: { ...RENAMED, TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES: '1', TASTE_JOB_MAX_RETRIES: '0' }, ports: { clock, documents, platform } });
    const open = await t.handler<HttpLambda>('wardrobe-taste-quiz');
    const respond = await t.handler<HttpLambda>('wardrobe-taste-quiz-respond');
    const complete = await t.handler<HttpLambda>('wardrobe-taste-quiz-complete');
    const worker = await t.handler<QueueLambda>('jobs-quiz-jobs');
    const queue = t.ports.queue;
    const records = (container: string) => documents.repository({ name: container, partitionKey: 'id' });
    const ann = { 'x-test-user': 'ann', 'content-type': 'application/json' };
    /** A whole quiz session liking `mood`; answers the id of the taste job its completion enqueued. */
    const likeMood = async (mood: string) => {
      const sessionId = (JSON.parse((await open(httpEvent({ path: '/api/taste/quiz', headers: ann }), lambdaContext())).body!) as { sessionId: string }).sessionId;
      const path = (action: string) => ({ ...httpEvent({ method: 'POST', path: `/api/taste/quiz/${sessionId}/${action}`, headers: ann, body: JSON.stringify({ signal: 'up', cardPrimaryMood: mood }) }), pathParameters: { sessionId } });
      expect((await respond(path('respond'), lambdaContext())).statusCode).toBe(200);
      expect((await complete(path('complete'), lambdaContext())).statusCode).toBe(200);
      return tasteJobId('ann', 'quiz', sessionId);
    };
    const drain = () => pump(queue, 'quiz-jobs', async (event: SQSEvent) => (await worker(event, context())) as { batchItemFailures: { itemIdentifier: string }[] });

    // Enqueued on the renamed queue, recorded in the renamed container, run by the worker bound through `load`.
    const first = await likeMood('Coastal');
    expect(await queue.count('quiz-jobs')).toBe(1);
    expect(await queue.count('taste-jobs')).toBe(0);
    expect(await drain()).toBe(1);
    expect(await records('quiz-job-records').get(first, first)).toMatchObject({ status: 'completed' });
    expect(await records('taste-jobs').get(first, first)).toBeUndefined();
    expect(await records('jobs').get(first, first)).toBeUndefined();
    expect((await readProfile(documents, 'ann')).styleConfidenceProfile).toMatchObject({ styleKeywords: { coastal: 0.5 } });

    // Every profile write now conflicts: 1 write + 1 retry, one attempt (TASTE_JOB_MAX_RETRIES=0), then the renamed dead-letter homes.
    conflicts.on = true;
    const second = await likeMood('Edgy');
    expect(await drain()).toBe(1);
    expect(conflicts.replaces).toBe(2);
    const letter = await documents.repository<DeadLetterRecord>({ name: 'quiz-dead-letters', partitionKey: 'id' }).get(second, second);
    expect(letter).toMatchObject({ reason: 'max_attempts', attempts: 1, type: tasteJob.type, queue: 'quiz-jobs' });
    expect(letter!.lastError).toContain('2 conditional writes');
    expect(await records('dead-letters').get(second, second)).toBeUndefined();
    expect(await records('taste-job-dead-letters').get(second, second)).toBeUndefined();
    expect(await queue.count('quiz-dlq')).toBe(1);
    expect(await queue.count('taste-jobs-deadletter')).toBe(0);
    expect(await records('quiz-job-records').get(second, second)).toMatchObject({ status: 'dead-lettered' });
  });
});
