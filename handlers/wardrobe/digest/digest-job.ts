/**
 * The digest job: builds its users' digests, at most WEEKLY_DIGEST_MAX_CONCURRENCY at once.
 * One user's failure does not stop the others: in a batch, each failed user is re-enqueued as a
 * job of its own (once, through the ledger); a single-user job rethrows, so the runtime retries
 * it with backoff and finally dead-letters it. No user is dropped.
 */
import * as composition from '../../../app/composition.ts';
import { settleWithConcurrency } from '../../../domain/concurrency.ts';
import { createJobClient, type JobClient } from '../../../jobs/job-client.ts';
import type { JobRun } from '../../../kernel/jobs.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { createDigestBuilder, digestJobId, type DigestBuilder } from './build.ts';
import { digestJob, digestSettings, type DigestJobPayload } from './jobs.ts';

export function createRun(deps: { builder: Pick<DigestBuilder, 'build'>; jobs: Pick<JobClient, 'enqueue'>; maxConcurrency: number }): JobRun<DigestJobPayload> {
  return async (payload, context) => {
    const asOf = new Date(payload.asOf);
    const outcomes = await settleWithConcurrency(payload.userIds, deps.maxConcurrency, (userId) => deps.builder.build(userId, asOf, traceOf(context)));
    const failed = payload.userIds.filter((_userId, index) => outcomes[index]!.status === 'rejected');
    if (failed.length === 0) return context.log.info({ users: payload.userIds.length }, 'digests built');
    if (payload.userIds.length === 1) throw (outcomes[0] as PromiseRejectedResult).reason;
    for (const userId of failed) {
      await context.once(`split:${userId}`, () => deps.jobs.enqueue(digestJob, { userIds: [userId], asOf: payload.asOf }, { jobId: digestJobId(context.jobId, [userId]), ...traceOf(context) }));
    }
    context.log.warn({ users: payload.userIds.length, failed: failed.length }, 'some digests failed; each is retried as a job of its own');
  };
}

const runtime = composition.getJobRuntimeDeps();
export const run: JobRun<DigestJobPayload> = createRun({
  builder: createDigestBuilder({ documents: runtime.documents, clock: runtime.clock, logger: runtime.logger, model: composition.getLanguageModel() }),
  jobs: createJobClient(runtime),
  maxConcurrency: digestSettings.maxConcurrency,
});
