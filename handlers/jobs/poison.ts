import type { QueueLambda } from '../../kernel/functions.ts';
import { getJobRuntimeDeps, withQueueEventPath } from '../../app/composition.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { createJobWorker } from '../../jobs/worker.ts';

/** Turns messages the host moved to `<queue>-poison` into dead-letter records. */
export function createHandler(deps: JobRuntimeDeps): QueueLambda {
  return createJobWorker(deps).poison;
}

// On Lambda, SQS records first pass the SQS event path (long delays, body encoding, stage prefix).
export const handler: QueueLambda = withQueueEventPath(createHandler(getJobRuntimeDeps()), { deferNotYetDue: false });
