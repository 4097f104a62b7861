/**
 * The `capabilities.callback` job: POSTs a finished job's outcome to its callback_url as a
 * Standard Webhooks delivery, signed with the API key's secret. The `webhook-id` is the same on
 * every retry (receivers de-duplicate by it). A non-2xx answer or a network failure is retried
 * with backoff, then dead-lettered; an address the SSRF rules refuse is never retried (the
 * delivery itself is the shared jobs/outgoing-webhooks.ts; this job keeps the job's record).
 */
import { PermanentJobError, type JobRun, type JobSpec } from '../../kernel/jobs.ts';
import { deliverWebhook, throwUnlessDelivered } from '../../jobs/outgoing-webhooks.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { jobDocs, type JobDocDeps } from './job-doc.ts';
import { callbackJob, type CallbackPayload } from './jobs.ts';
import { runtimeOf, type CapabilitiesDeps } from './runtime.ts';
import type { CapabilityJobDoc } from './store.ts';

export interface CallbackJobDeps extends CapabilitiesDeps, JobDocDeps {
  jobRuntime: Pick<JobRuntimeDeps, 'settings'>;
}

/** The event this job delivers: `capability.job.<status>` with the job's outcome. */
export function callbackEvent(doc: CapabilityJobDoc) {
  return {
    type: `capability.job.${doc.status}`,
    data: {
      job_id: doc.id,
      plugin: doc.plugin,
      status: doc.status,
      ...(doc.result ? { result: doc.result } : {}),
      ...(doc.error ? { error: doc.error } : {}),
      ...(doc.completedAt ? { completed_at: doc.completedAt } : {}),
    },
  };
}

export function createRun(deps: CallbackJobDeps): JobRun<CallbackPayload> {
  const docs = jobDocs(deps);
  const { metrics, http } = runtimeOf(deps);
  const maxAttempts = () => deps.jobRuntime.settings(callbackJob as JobSpec).retry.maxAttempts;
  return async ({ jobId }, context) => {
    const doc = await docs.get(jobId);
    if (!doc?.callbackUrl || doc.callback?.status === 'delivered') return;
    const record = (patch: NonNullable<CapabilityJobDoc['callback']>) => docs.update(jobId, () => ({ callback: patch }));
    const secret = deps.settings.webhookSecrets.get(doc.owner);
    if (!secret) {
      await record({ status: 'failed', attempts: context.attempt, lastError: 'no callback secret is configured for the key' });
      throw new PermanentJobError(`No CAPABILITIES_WEBHOOK_SECRETS entry for the key "${doc.owner}"; the callback cannot be signed.`);
    }
    const attempt = await deliverWebhook(http, { url: doc.callbackUrl, secret, id: `msg_${jobId}`, ...callbackEvent(doc) }, { now: deps.clock.now(), signal: context.signal });
    const last = context.attempt >= maxAttempts();
    metrics.callbacks.add(1, { key: doc.owner, outcome: attempt.outcome === 'failed' ? 'retry' : attempt.outcome });
    if (attempt.outcome === 'delivered') await record({ status: 'delivered', attempts: context.attempt, lastStatus: attempt.status });
    else if (attempt.outcome === 'refused') await record({ status: 'failed', attempts: context.attempt, lastError: attempt.reason });
    else await record({ status: last ? 'failed' : 'pending', attempts: context.attempt, ...(attempt.status !== undefined ? { lastStatus: attempt.status } : { lastError: attempt.reason }) });
    throwUnlessDelivered(attempt, 'The callback');
  };
}
