/** The hourly purge timer: claims its slot, then enqueues one purge job per container. */
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import type { ContainerSpec } from '../../domain/ports.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import { oncePerSlot, type SlotDeps } from '../../jobs/slots.ts';
import { purgeExpiredJob } from './jobs.ts';

const ENQUEUE_CONCURRENCY = 4;

export interface PurgeTimerDeps extends SlotDeps {
  catalog: { containers: readonly ContainerSpec[] };
  jobs: Pick<JobClient, 'enqueue'>;
}

export const purgeExpired = (deps: PurgeTimerDeps, def: FunctionDef<TimerTrigger>): TimerLambda =>
  oncePerSlot(
    def,
    async ({ slot }) => {
      // The job id names the slot, so a re-run of this timer cannot enqueue the same purge twice.
      await mapWithConcurrency(deps.catalog.containers, ENQUEUE_CONCURRENCY, (container) =>
        deps.jobs.enqueue(purgeExpiredJob, { container: container.name }, { jobId: `purge-${container.name}-${slot.replace(/[^0-9]/g, '')}` }),
      );
    },
    deps,
  );
