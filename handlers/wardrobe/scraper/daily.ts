/** The daily price refresh timer: claims its slot, then starts a refresh of every imported item. */
import type { TimerLambda } from '../../../kernel/functions.ts';
import { getJobRuntimeDeps } from '../../../app/composition.ts';
import { createJobClient, type JobClient } from '../../../jobs/job-client.ts';
import type { JobRuntimeDeps } from '../../../jobs/runtime-deps.ts';
import { oncePerSlot } from '../../../jobs/slots.ts';
import { dailyRefresh } from './functions.ts';
import { startRefreshRun } from './runs.ts';

export function createHandler(deps: Pick<JobRuntimeDeps, 'documents' | 'clock' | 'logger'> & { jobs: Pick<JobClient, 'enqueue'> }): TimerLambda {
  return oncePerSlot(
    dailyRefresh,
    async ({ slot }, _event, context) => {
      // The slot names the run, so a retried timer enqueues the same jobs, which dedupe.
      const run = await startRefreshRun(deps, { runId: slot.replace(/[^0-9]/g, '') });
      deps.logger.info({ slot, items: run.items, jobs: run.jobs.length, invocationId: context.awsRequestId }, 'price refresh started');
    },
    deps,
  );
}

const runtime = getJobRuntimeDeps();
export const handler: TimerLambda = createHandler({ ...runtime, jobs: createJobClient(runtime) });
