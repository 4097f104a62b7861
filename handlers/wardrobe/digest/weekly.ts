/** The weekly digest timer: claims its slot, then starts a run for every owner of wardrobe items. */
import type { TimerLambda } from '../../../kernel/functions.ts';
import { getJobRuntimeDeps } from '../../../app/composition.ts';
import { createJobClient, type JobClient } from '../../../jobs/job-client.ts';
import type { JobRuntimeDeps } from '../../../jobs/runtime-deps.ts';
import { oncePerSlot } from '../../../jobs/slots.ts';
import { startDigestRun } from './build.ts';
import { weeklyDigest } from './functions.ts';

export function createHandler(deps: Pick<JobRuntimeDeps, 'documents' | 'clock' | 'logger'> & { jobs: Pick<JobClient, 'enqueue'> }): TimerLambda {
  return oncePerSlot(
    weeklyDigest,
    async ({ slot }, _event, context) => {
      // The slot names the run, so a retried timer enqueues the same jobs, which dedupe.
      const run = await startDigestRun(deps, { runId: slot.replace(/[^0-9]/g, ''), asOf: new Date(slot) });
      deps.logger.info({ slot, week: run.week, users: run.users, jobs: run.jobs.length, invocationId: context.awsRequestId }, 'weekly digest run started');
    },
    deps,
  );
}

const runtime = getJobRuntimeDeps();
export const handler: TimerLambda = createHandler({ ...runtime, jobs: createJobClient(runtime) });
