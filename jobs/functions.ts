/**
 * One worker and one poison collector per job queue, derived from the job list: they belong to
 * the job runtime, not to a service, and run every job type that travels on their queue.
 */
import { defineFunction, type FunctionDef, type QueueLambda } from '../kernel/functions.ts';
import { poisonQueueOf, type JobSpec } from '../kernel/jobs.ts';
import type { JobRuntimeDeps } from './runtime-deps.ts';
import { createJobWorker } from './worker.ts';

export function jobQueueFunctions(jobs: readonly JobSpec[]): FunctionDef[] {
  const queues = [...new Set(jobs.map((job) => job.queue))];
  return queues.flatMap((queue) => [
    defineFunction({ name: `jobs-${queue}`, trigger: { kind: 'queue', queue }, handler: 'jobs/functions#worker', service: 'jobs' }),
    defineFunction({ name: `jobs-${queue}-poison`, trigger: { kind: 'queue', queue: poisonQueueOf(queue) }, handler: 'jobs/functions#poison', service: 'jobs' }),
  ]);
}

interface WorkerDeps {
  jobRuntime: JobRuntimeDeps;
  /** On Lambda, SQS records first pass the SQS event path (long delays, body encoding, stage prefix). */
  queueEventPath(handler: QueueLambda, options?: { deferNotYetDue?: boolean }): QueueLambda;
}

/** Runs every job type; which queue a message came from does not matter to it. */
export const worker = (deps: WorkerDeps): QueueLambda => deps.queueEventPath(createJobWorker(deps.jobRuntime).worker);

/** Turns messages the host moved to `<queue>-poison` into dead-letter records; what SQS gave up on is recorded at once. */
export const poison = (deps: WorkerDeps): QueueLambda => deps.queueEventPath(createJobWorker(deps.jobRuntime).poison, { deferNotYetDue: false });
