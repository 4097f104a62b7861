/** The daily price refresh timer: claims its slot, then starts a refresh of every imported item. */
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../../kernel/functions.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { oncePerSlot, type SlotDeps } from '../../../jobs/slots.ts';
import { startRefreshRun } from './runs.ts';

export interface DailyTimerDeps extends SlotDeps {
  jobs: Pick<JobClient, 'enqueue'>;
}

export const dailyRefresh = (deps: DailyTimerDeps, def: FunctionDef<TimerTrigger>): TimerLambda =>
  oncePerSlot(
    def,
    async ({ slot }, _event, context) => {
      // The slot names the run, so a retried timer enqueues the same jobs, which dedupe.
      const run = await startRefreshRun(deps, { runId: slot.replace(/[^0-9]/g, '') });
      deps.logger.info({ slot, items: run.items, jobs: run.jobs.length, invocationId: context.awsRequestId }, 'price refresh started');
    },
    deps,
  );
