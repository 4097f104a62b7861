/**
 * The digest job: builds its users' digests, at most WEEKLY_DIGEST_MAX_CONCURRENCY at once.
 * One user's failure does not stop the others: in a batch, each failed user is re-enqueued as a
 * job of its own (once, through the ledger); a single-user job rethrows, so the runtime retries
 * it with backoff and finally dead-letters it. No user is dropped.
 */
import { settleWithConcurrency } from '../../../domain/concurrency.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import type { JobRun } from '../../../kernel/jobs.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { createDigestBuilder, digestJobId, type DigestBuilderDeps } from './service.ts';
import { digestJob, type DigestJobPayload } from './jobs.ts';
import type { DigestSettings } from './settings.ts';

export interface DigestJobDeps extends DigestBuilderDeps {
  jobs: Pick<JobClient, 'enqueue'>;
  settings: { digest: Pick<DigestSettings, 'maxConcurrency'> };
}

export function createRun(deps: DigestJobDeps): JobRun<DigestJobPayload> {
  const builder = createDigestBuilder(deps);
  const { maxConcurrency } = deps.settings.digest;
  return async (payload, context) => {
    const asOf = new Date(payload.asOf);
    const outcomes = await settleWithConcurrency(payload.userIds, maxConcurrency, (userId) => builder.build(userId, asOf));
    const failed = payload.userIds.filter((_userId, index) => outcomes[index]!.status === 'rejected');
    if (failed.length === 0) {
      const built = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.status === 'ok').length;
      return context.log.info({ users: payload.userIds.length, built }, 'digests built (the others were unchanged or empty)');
    }
    if (payload.userIds.length === 1) throw (outcomes[0] as PromiseRejectedResult).reason;
    for (const userId of failed) {
      await context.once(`split:${userId}`, () => deps.jobs.enqueue(digestJob, { userIds: [userId], asOf: payload.asOf }, { jobId: digestJobId(context.jobId, [userId]), ...traceOf(context) }));
    }
    context.log.warn({ users: payload.userIds.length, failed: failed.length }, 'some digests failed; each is retried as a job of its own');
  };
}
