/**
 * Queue chaos: 1,000 jobs through Azurite and the Cosmos emulator. 20% of attempts fail
 * transiently (seeded), 1% of jobs are poison, and the worker process is SIGKILLed mid-job
 * three times, each time restarted. Nothing may be lost, nothing done twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startAzurite, type Azurite } from '../../adapters/local/azurite.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { AzureBlobStore } from '../../adapters/storage/blob-store.ts';
import { AzureMessageQueue } from '../../adapters/storage/message-queue.ts';
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import type { JobRecord } from '../../domain/jobs.ts';
import type { Document, DocumentRepository, Stored } from '../../domain/ports.ts';
import { deadLettersContainer, jobsContainer, ledgerContainer, runtimeContainers } from '../../jobs/containers.ts';
import type { DeadLetterRecord } from '../../jobs/dead-letters.ts';
import { createJobClient } from '../../jobs/job-client.ts';
import { chaosJob, chaosSettings } from '../support/chaos-job.ts';

const JOBS = Number(process.env.CHAOS_JOBS ?? 1000);
const KILLS = 3;
const workerScript = fileURLToPath(new URL('../support/chaos-worker.ts', import.meta.url));
const isPoison = (i: number) => i % 100 === 37;
const slowIn = (i: number) => [Math.floor(JOBS * 0.1), Math.floor(JOBS * 0.4), Math.floor(JOBS * 0.7)].indexOf(i);
const jobIdOf = (i: number) => `chaos-${i}`;

let azurite: Azurite;
let cosmos: CosmosEmulator;
let store: CosmosDocumentStore;
const database = `chaos-${Date.now()}`;
let child: ChildProcess | undefined;

async function all<T extends Document>(repository: DocumentRepository<T>): Promise<Stored<T>[]> {
  const items: Stored<T>[] = [];
  let continuation: string | undefined;
  do {
    const page = await repository.query({ limit: 1000, ...(continuation ? { continuation } : {}) });
    items.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return items;
}

function startWorker(generation: number): { process: ChildProcess; slowStarted: Promise<string> } {
  const worker = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', workerScript], {
    env: {
      ...process.env,
      CHAOS_GENERATION: String(generation),
      CHAOS_SEED: '20261122',
      CHAOS_STORAGE: azurite.connectionString,
      CHAOS_COSMOS_ENDPOINT: cosmos.endpoint,
      CHAOS_COSMOS_KEY: cosmos.key,
      CHAOS_DATABASE: database,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const slowStarted = new Promise<string>((resolve) => {
    createInterface({ input: worker.stdout! }).on('line', (line) => {
      if (line.startsWith('slow-started ')) resolve(line.slice('slow-started '.length));
    });
  });
  return { process: worker, slowStarted };
}

const exited = (worker: ChildProcess) => new Promise((resolve) => (worker.exitCode !== null || worker.signalCode !== null ? resolve(null) : worker.once('exit', resolve)));

beforeAll(async () => {
  [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosEmulator()]);
  store = new CosmosDocumentStore({ endpoint: cosmos.endpoint, key: cosmos.key, database });
  await store.ensure(runtimeContainers);
}, 300_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  await Promise.all([azurite?.stop(), cosmos?.stop()]);
});

describe('queue chaos', () => {
  it(`every one of ${JOBS} jobs completes or is dead-lettered, exactly as designed`, async () => {
    const queue = new AzureMessageQueue(azurite.connectionString);
    const client = createJobClient({
      documents: store,
      queue,
      blobs: new AzureBlobStore(azurite.connectionString),
      clock: { now: () => new Date() },
      ids: { next: () => crypto.randomUUID() },
      jobs: [chaosJob as never],
      settings: () => chaosSettings,
    });
    await queue.ensure(chaosJob.queue);
    const indexes = Array.from({ length: JOBS }, (_, i) => i);
    await mapWithConcurrency(indexes, 16, (i) => client.enqueue(chaosJob, { i, poison: isPoison(i), slowIn: slowIn(i) }, { jobId: jobIdOf(i) }));

    // Three generations are killed as soon as their slow job has started; the fourth finishes.
    const killedMidJob: string[] = [];
    for (let generation = 0; generation < KILLS; generation++) {
      const worker = startWorker(generation);
      child = worker.process;
      killedMidJob.push(await worker.slowStarted);
      worker.process.kill('SIGKILL');
      await exited(worker.process);
    }
    child = startWorker(KILLS).process;

    const jobs = store.repository<JobRecord>(jobsContainer);
    const deadline = Date.now() + Number(process.env.CHAOS_DEADLINE_MS ?? 150_000);
    let records: Stored<JobRecord>[] = [];
    for (;;) {
      records = await all(jobs);
      const finished = records.filter((record) => record.status === 'completed' || record.status === 'dead-lettered').length;
      if (finished === JOBS || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    // Every job ends completed or dead-lettered.
    expect(records).toHaveLength(JOBS);
    const byStatus = (status: string) => new Set(records.filter((record) => record.status === status).map((record) => record.id));
    const completed = byStatus('completed');
    const deadLettered = byStatus('dead-lettered');
    expect(completed.size + deadLettered.size).toBe(JOBS);

    // The dead-lettered set is exactly the poison set, each with its attempts and last error.
    const poison = new Set(indexes.filter(isPoison).map(jobIdOf));
    expect([...deadLettered].sort()).toEqual([...poison].sort());
    const letters = await all(store.repository<DeadLetterRecord>(deadLettersContainer));
    expect(letters.map((letter) => letter.id).sort()).toEqual([...poison].sort());
    for (const letter of letters) expect(letter).toMatchObject({ reason: 'max_attempts', attempts: chaosSettings.retry.maxAttempts, lastError: 'Error: poison payload' });

    // The side-effect ledger has exactly one entry per completed job, none for poison.
    const ledger = await all(store.repository<{ id: string; jobId: string }>(ledgerContainer));
    expect(ledger).toHaveLength(completed.size);
    expect(new Set(ledger.map((entry) => entry.jobId))).toEqual(completed);

    // No job took more attempts than its policy allows.
    for (const record of records) expect(record.attempt).toBeLessThanOrEqual(chaosSettings.retry.maxAttempts);

    // The jobs whose worker was killed under them came back after their lease and completed.
    expect(killedMidJob).toHaveLength(KILLS);
    for (const jobId of killedMidJob) expect(completed.has(jobId)).toBe(true);
    // Transient failures really happened: some completed jobs needed more than one attempt.
    expect(records.filter((record) => record.status === 'completed' && record.attempt > 1).length).toBeGreaterThan(JOBS * 0.1);
  }, Number(process.env.CHAOS_TIMEOUT_MS ?? 240_000));
});
