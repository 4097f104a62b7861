/**
 * Throughput of the job runtime against a raw Storage-queue loop, on the same embedded Azurite
 * (in memory) in the same run:
 *   (a) raw @azure/storage-queue: send N messages (16 in flight), then receive batches of 16 with
 *       a visibility timeout and delete each, until all N are consumed
 *   (b) the runtime: enqueue N jobs with createJobClient (records in the Cosmos emulator), then
 *       consume them with startQueuePollers -> createInvoker().queue -> createJobWorker (the
 *       real Azure adapter path), a trivial job doing one ctx.once, until every record is
 *       `completed`
 * The raw messages carry the very bytes the runtime sends (a base64 job envelope).
 */
import './env.ts';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CosmosDocumentStore } from '../adapters/cosmos/document-store.ts';
import { startAzurite } from '../adapters/local/azurite.ts';
import { startCosmosEmulator } from '../adapters/local/cosmos-emulator.ts';
import { createInvoker } from '../adapters/local/invoke.ts';
import { startQueuePollers } from '../adapters/local/queue-poller.ts';
import { AzureBlobStore } from '../adapters/storage/blob-store.ts';
import { AzureMessageQueue } from '../adapters/storage/message-queue.ts';
import { encodeMessage } from '../adapters/storage/queue-service.ts';
import type { FunctionDef, QueueTrigger } from '../kernel/functions.ts';
import { mapWithConcurrency } from '../domain/concurrency.ts';
import type { JobRecord, JobSettings } from '../domain/jobs.ts';
import { jobsContainer, runtimeContainers } from '../jobs/containers.ts';
import { createJobClient } from '../jobs/job-client.ts';
import { defineJob, type JobSpec } from '../kernel/jobs.ts';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../middleware/logger.ts';

const N = 500;
const WARMUP_N = 100;
const ROUNDS = 3;
const CONCURRENCY = 16;
const BATCH = 16;
const VISIBILITY_SECONDS = 30;
const MAX_POLL_INTERVAL_MS = 50;
/** A round that has not finished by then is a bug, not a slow machine. */
const ROUND_LIMIT_MS = 60_000;

const settings: JobSettings = {
  retry: { maxAttempts: 3, baseBackoffSeconds: 1, maxBackoffSeconds: 5, jitterSeconds: 0 },
  dedupeTtlSeconds: 3600,
  completedTtlSeconds: 3600,
};
const logger = createLogger({ level: 'silent', pretty: false });

interface Timing {
  /** Send (raw) or enqueue (runtime), ms. */
  produceMs: number;
  /** Receive + delete (raw) or poll + run + complete (runtime), ms. */
  consumeMs: number;
}
const totalMs = (t: Timing) => t.produceMs + t.consumeMs;
const rate = (n: number, ms: number) => (n * 1000) / ms;

/** (a) The raw SDK loop. One receiver, as the runtime has one poller per queue. */
async function rawRound(service: QueueServiceClient, n: number, body: string): Promise<Timing> {
  const queue: QueueClient = service.getQueueClient(`bench-raw-${randomUUID().slice(0, 8)}`);
  await queue.create();
  try {
    const started = performance.now();
    await mapWithConcurrency(Array.from({ length: n }), CONCURRENCY, () => queue.sendMessage(body));
    const sent = performance.now();
    let consumed = 0;
    while (consumed < n) {
      if (performance.now() - sent > ROUND_LIMIT_MS) throw new Error(`jobs bench: raw loop consumed ${consumed} of ${n}`);
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: BATCH, visibilityTimeout: VISIBILITY_SECONDS });
      await Promise.all(receivedMessageItems.map((message) => queue.deleteMessage(message.messageId, message.popReceipt)));
      consumed += receivedMessageItems.length;
    }
    const done = performance.now();
    const left = (await queue.getProperties()).approximateMessagesCount ?? 0;
    if (consumed !== n || left !== 0) throw new Error(`jobs bench: raw loop consumed ${consumed} of ${n}, ${left} left on the queue`);
    return { produceMs: sent - started, consumeMs: done - sent };
  } finally {
    await queue.delete();
  }
}

/** (b) The runtime, on a fresh queue and a fresh database per round. */
async function runtimeRound(connection: string, cosmos: { endpoint: string; key: string }, n: number): Promise<Timing> {
  const tag = randomUUID().slice(0, 8);
  const queueName = `bench-jobs-${tag}`;
  const store = new CosmosDocumentStore({ ...cosmos, database: `bench-jobs-${tag}` });
  await store.ensure(runtimeContainers);
  const spec: JobSpec<{ i: number }> = defineJob<{ i: number }>({
    type: 'bench.job',
    queue: queueName,
    payloadSchema: { type: 'object', required: ['i'], additionalProperties: false, properties: { i: { type: 'integer' } } },
    settingsPrefix: 'BENCH_JOB',
    run: async (_payload, ctx) => {
      await ctx.once('effect', async () => 1);
    },
  });
  const deps = {
    documents: store,
    queue: new AzureMessageQueue(connection),
    blobs: new AzureBlobStore(connection),
    clock: { now: () => new Date() },
    ids: { next: () => randomUUID() },
    logger,
    jobs: [spec as JobSpec],
    settings: () => settings,
    leaseSeconds: VISIBILITY_SECONDS,
  };
  const client = createJobClient(deps);
  const { worker } = createJobWorker(deps);

  // Every delivery of this job completes it (nothing fails, and 30 s of visibility rules out
  // redeliveries), so the worker counts completions in process; the store confirms it below.
  let handled = 0;
  let failed = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const counting = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const result = await worker(event, context);
    failed += result.batchItemFailures.length;
    handled += event.Records.length - result.batchItemFailures.length;
    if (handled >= n) allDone();
    return result;
  };
  const def: FunctionDef<QueueTrigger> = { name: 'bench-job-worker', trigger: { kind: 'queue', queue: queueName }, load: async () => ({ handler: counting }) };
  const invoker = createInvoker();

  let pollers: { stop(): Promise<void> } | undefined;
  try {
    await deps.queue.ensure(queueName);
    const started = performance.now();
    await mapWithConcurrency(Array.from({ length: n }, (_, i) => i), CONCURRENCY, (i) => client.enqueue(spec, { i }));
    const enqueued = performance.now();
    pollers = startQueuePollers(
      [def],
      (target, message) => invoker.queue(target, message),
      { connection, maxDequeueCount: 5, visibilityTimeoutSeconds: VISIBILITY_SECONDS, batchSize: BATCH, maxPollIntervalMs: MAX_POLL_INTERVAL_MS },
      logger,
    );
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ROUND_LIMIT_MS)));
    await Promise.race([finished, limit]);
    clearTimeout(timer);
    let done = performance.now();

    // The store has the last word: every record must read `completed`.
    const records = store.repository<JobRecord>(jobsContainer);
    for (;;) {
      const page = await records.query({ limit: n + 1 });
      const completed = page.items.filter((record) => record.status === 'completed').length;
      if (completed === n && page.items.length === n) break;
      if (performance.now() - started > ROUND_LIMIT_MS) {
        throw new Error(`jobs bench: ${completed} of ${n} jobs completed (${page.items.length} records, ${handled} handled, ${failed} failed deliveries)`);
      }
      await sleep(20);
      done = performance.now();
    }
    return { produceMs: enqueued - started, consumeMs: done - enqueued };
  } finally {
    await pollers?.stop();
    await store.dispose();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function runJobs(): Promise<void> {
  const [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosEmulator()]);
  const service = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 2 } });
  // Exactly what createJobClient puts on the queue for a job of this bench.
  const body = encodeMessage(JSON.stringify({ type: 'bench.job', jobId: randomUUID(), attempt: 1, enqueuedAt: new Date().toISOString(), payload: { i: 123 } }));
  const raw: Timing[] = [];
  const runtime: Timing[] = [];
  try {
    // Warm up both paths (SDKs, JIT, schema compilation, emulator), then alternate the order.
    await rawRound(service, WARMUP_N, body);
    await runtimeRound(azurite.connectionString, cosmos, WARMUP_N);
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        raw.push(await rawRound(service, N, body));
        runtime.push(await runtimeRound(azurite.connectionString, cosmos, N));
      } else {
        runtime.push(await runtimeRound(azurite.connectionString, cosmos, N));
        raw.push(await rawRound(service, N, body));
      }
    }
  } finally {
    await Promise.all([azurite.stop(), cosmos.stop()]);
  }

  const figures = (timings: Timing[]) => ({
    endToEnd: median(timings.map((t) => rate(N, totalMs(t)))),
    produce: median(timings.map((t) => rate(N, t.produceMs))),
    consume: median(timings.map((t) => rate(N, t.consumeMs))),
    rounds: timings.map((t) => rate(N, totalMs(t)).toFixed(0)).join(', '),
  });
  const a = figures(raw);
  const b = figures(runtime);
  console.log(`\nJob runtime vs raw storage-queue loop: ${N} messages/jobs, median of ${ROUNDS} rounds, embedded Azurite (in memory) + Cosmos emulator`);
  console.log(`  send/enqueue ${CONCURRENCY} in flight; receive batch ${BATCH}, visibility ${VISIBILITY_SECONDS} s; runtime poller maxPollIntervalMs ${MAX_POLL_INTERVAL_MS}`);
  console.log(`  (a) raw SDK loop    ${a.endToEnd.toFixed(0).padStart(6)} messages/s end to end  (send ${a.produce.toFixed(0)}/s, receive+delete ${a.consume.toFixed(0)}/s; rounds ${a.rounds})`);
  console.log(`  (b) job runtime     ${b.endToEnd.toFixed(0).padStart(6)} jobs/s end to end      (enqueue ${b.produce.toFixed(0)}/s, processing ${b.consume.toFixed(0)}/s; rounds ${b.rounds})`);
  console.log(`  processing only: runtime ${b.consume.toFixed(0)} jobs/s vs raw receive+delete ${a.consume.toFixed(0)} messages/s (ratio ${(b.consume / a.consume).toFixed(3)}x)`);
  console.log(
    `job runtime throughput: ${b.endToEnd.toFixed(0)} jobs/s vs raw ${a.endToEnd.toFixed(0)} messages/s end to end ` +
      `(ratio ${(b.endToEnd / a.endToEnd).toFixed(3)}x of raw)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runJobs();
