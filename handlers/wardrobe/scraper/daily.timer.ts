/** The daily timer: claims its slot, then enqueues a run of every brand-site source someone subscribes to. */
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../../kernel/functions.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { oncePerSlot, type SlotDeps } from '../../../jobs/slots.ts';
import { runJob, runJobId } from './jobs.ts';
import { createDiscoverService, type DiscoverDeps } from './service.ts';

export interface DailyTimerDeps extends SlotDeps, DiscoverDeps {
  jobs: Pick<JobClient, 'enqueue'>;
}

export const dailyRun = (deps: DailyTimerDeps, def: FunctionDef<TimerTrigger>): TimerLambda => {
  const service = createDiscoverService(deps);
  return oncePerSlot(
    def,
    async ({ slot }, _event, context) => {
      // The slot names the run, so a retried timer enqueues the same jobs, which dedupe.
      const runId = slot.replace(/[^0-9]/g, '');
      const sources = await service.subscribedBrandSources();
      for (const sourceId of sources) await deps.jobs.enqueue(runJob, { sourceId, runId }, { jobId: runJobId(sourceId, runId) });
      deps.logger.info({ slot, sources: sources.length, invocationId: context.awsRequestId }, 'source runs started');
    },
    deps,
  );
};
