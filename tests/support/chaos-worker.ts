/**
 * A job worker process for the chaos test: the real runtime, the real Azure adapter and the
 * local queue poller against Azurite and the Cosmos emulator. The test SIGKILLs it mid-job
 * and starts the next generation. Run with node (type stripping); configured by CHAOS_* vars.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { createInvoker } from '../../adapters/local/invoke.ts';
import { startQueuePollers } from '../../adapters/local/queue-poller.ts';
import { AzureBlobStore } from '../../adapters/storage/blob-store.ts';
import { AzureMessageQueue } from '../../adapters/storage/message-queue.ts';
import type { FunctionDef, QueueTrigger } from '../../kernel/functions.ts';
import { createLogger } from '../../middleware/logger.ts';
import { chaosJob, chaosSettings, CHAOS_LEASE_SECONDS } from './chaos-job.ts';
import { createJobWorker } from '../../jobs/worker.ts';

const env = process.env;
const generation = Number(env.CHAOS_GENERATION);
const seed = env.CHAOS_SEED ?? '1';
const connection = env.CHAOS_STORAGE!;
const logger = createLogger({ level: 'error', pretty: false });

/** A deterministic draw per job and attempt, so a run can be reproduced from its seed. */
const draw = (jobId: string, attempt: number) => createHash('sha256').update(`${seed}:${jobId}:${attempt}`).digest().readUInt32BE(0) / 2 ** 32;

const spec = {
  ...chaosJob,
  run: async (payload: { i: number; poison: boolean; slowIn: number }, context: { jobId: string; attempt: number; once: <R>(key: string, effect: () => Promise<R>) => Promise<R> }) => {
    if (payload.slowIn === generation) {
      process.stdout.write(`slow-started ${context.jobId}\n`);
      await sleep(120_000); // killed long before this ends
    }
    if (payload.poison) throw new Error('poison payload');
    // 20% of attempts fail transiently, but never the last allowed one: only poison may dead-letter.
    if (context.attempt < chaosSettings.retry.maxAttempts && draw(context.jobId, context.attempt) < 0.2) throw new Error('transient failure');
    await context.once('effect', async () => ({ at: Date.now() }));
  },
};

const { worker } = createJobWorker({
  documents: new CosmosDocumentStore({ endpoint: env.CHAOS_COSMOS_ENDPOINT!, key: env.CHAOS_COSMOS_KEY!, database: env.CHAOS_DATABASE! }),
  queue: new AzureMessageQueue(connection),
  blobs: new AzureBlobStore(connection),
  clock: { now: () => new Date() },
  ids: { next: () => crypto.randomUUID() },
  logger,
  jobs: [spec as never],
  settings: () => chaosSettings,
  leaseSeconds: CHAOS_LEASE_SECONDS,
});

const def: FunctionDef<QueueTrigger> = { name: 'chaos-worker', trigger: { kind: 'queue', queue: chaosJob.queue }, load: async () => ({ handler: worker }) };
const invoker = createInvoker();
startQueuePollers([def], (target, message) => invoker.queue(target, message), {
  connection,
  // Crashes must not poison a message: the lease and the runtime's own retries handle it.
  maxDequeueCount: 50,
  visibilityTimeoutSeconds: 2,
  batchSize: 16,
  maxPollIntervalMs: 200,
}, logger);
process.stdout.write('ready\n');
