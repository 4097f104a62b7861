/** The hourly purge timer: claims its slot, then enqueues one purge job per container. */
import { containers } from '../../app/containers.ts';
import type { TimerLambda } from '../../kernel/functions.ts';
import { getJobRuntimeDeps } from '../../app/composition.ts';
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import { createJobClient, type JobClient } from '../../jobs/job-client.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { oncePerSlot } from '../../jobs/slots.ts';
import { purgeExpired } from './functions.ts';
import { purgeExpiredJob } from './jobs.ts';

const ENQUEUE_CONCURRENCY = 4;

export function createHandler(deps: Pick<JobRuntimeDeps, 'documents' | 'clock' | 'logger'> & { jobs: Pick<JobClient, 'enqueue'> }): TimerLambda {
  return oncePerSlot(
    purgeExpired,
    async ({ slot }) => {
      // The job id names the slot, so a re-run of this timer cannot enqueue the same purge twice.
      await mapWithConcurrency(containers, ENQUEUE_CONCURRENCY, (container) =>
        deps.jobs.enqueue(purgeExpiredJob, { container: container.name }, { jobId: `purge-${container.name}-${slot.replace(/[^0-9]/g, '')}` }),
      );
    },
    deps,
  );
}

const runtime = getJobRuntimeDeps();
export const handler: TimerLambda = createHandler({ ...runtime, jobs: createJobClient(runtime) });
