/** The weekly digest timer: claims its slot, then starts a run for every owner of wardrobe items. */
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../../kernel/functions.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { oncePerSlot, type SlotDeps } from '../../../jobs/slots.ts';
import { startDigestRun } from './service.ts';

export interface WeeklyTimerDeps extends SlotDeps {
  jobs: Pick<JobClient, 'enqueue'>;
}

export const weeklyDigest = (deps: WeeklyTimerDeps, def: FunctionDef<TimerTrigger>): TimerLambda =>
  oncePerSlot(
    def,
    async ({ slot }, _event, context) => {
      // The slot names the run, so a retried timer enqueues the same jobs, which dedupe.
      const run = await startDigestRun(deps, { runId: slot.replace(/[^0-9]/g, ''), asOf: new Date(slot) });
      deps.logger.info({ slot, week: run.week, users: run.users, jobs: run.jobs.length, invocationId: context.awsRequestId }, 'weekly digest run started');
    },
    deps,
  );
