import type { QueueLambda } from '../../kernel/functions.ts';
import { getJobRuntimeDeps, withQueueEventPath } from '../../app/composition.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { createJobWorker } from '../../jobs/worker.ts';

/** Runs every job type; which queue a message came from does not matter to it. */
export function createHandler(deps: JobRuntimeDeps): QueueLambda {
  return createJobWorker(deps).worker;
}

// On Lambda, SQS records first pass the SQS event path (long delays, body encoding, stage prefix).
export const handler: QueueLambda = withQueueEventPath(createHandler(getJobRuntimeDeps()));
