/** One worker and one poison collector per job queue, derived from the job list. */
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import { poisonQueueOf, type JobSpec } from '../../kernel/jobs.ts';

export function jobFunctions(jobs: readonly JobSpec[]): FunctionDef[] {
  const queues = [...new Set(jobs.map((job) => job.queue))];
  return queues.flatMap((queue) => [
    defineFunction({ name: `jobs-${queue}`, trigger: { kind: 'queue', queue }, handler: 'handlers/jobs/worker' }),
    defineFunction({ name: `jobs-${queue}-poison`, trigger: { kind: 'queue', queue: poisonQueueOf(queue) }, handler: 'handlers/jobs/poison' }),
  ]);
}
