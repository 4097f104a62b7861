/**
 * The `capabilities.callback` job: POSTs a finished job's outcome to its callback_url as a
 * Standard Webhooks delivery, signed with the API key's secret. The `webhook-id` is the same on
 * every retry (receivers de-duplicate by it). A non-2xx answer or a network failure is retried
 * with backoff, then dead-lettered; an address the SSRF rules refuse is never retried.
 */
import { AppError } from '../../domain/errors.ts';
import { PermanentJobError, type JobRun, type JobSpec } from '../../kernel/jobs.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { signWebhook } from '../../middleware/webhooks.ts';
import { jobDocs, type JobDocDeps } from './job-doc.ts';
import { callbackJob, type CallbackPayload } from './jobs.ts';
import { runtimeOf, type CapabilitiesDeps } from './runtime.ts';
import type { CapabilityJobDoc } from './store.ts';

export interface CallbackJobDeps extends CapabilitiesDeps, JobDocDeps {
  jobRuntime: Pick<JobRuntimeDeps, 'settings'>;
}

/** The delivery's body: Standard Webhooks' `{type, timestamp, data}`. */
export function callbackBody(doc: CapabilityJobDoc, now: Date) {
  return {
    type: `capability.job.${doc.status}`,
    timestamp: now.toISOString(),
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
    const now = deps.clock.now();
    const body = JSON.stringify(callbackBody(doc, now));
    const id = `msg_${jobId}`;
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, id, timestamp, body) };
    const last = context.attempt >= maxAttempts();
    let status: number;
    try {
      ({ status } = await http.post(doc.callbackUrl, body, headers, context.signal));
    } catch (error) {
      const refused = error instanceof AppError && error.status === 400;
      const reason = error instanceof Error ? error.message : String(error);
      metrics.callbacks.add(1, { key: doc.owner, outcome: refused ? 'refused' : 'retry' });
      await record({ status: refused || last ? 'failed' : 'pending', attempts: context.attempt, lastError: reason });
      // The SSRF rules refused the address (a private one, or a name that resolves to one): never retried.
      if (refused) throw new PermanentJobError(`The callback URL was refused: ${reason}`);
      // A plain Error, not the fetcher's 422: the job runtime retries only what is not a 4xx.
      throw new Error(`The callback could not be delivered: ${reason}`);
    }
    if (status >= 200 && status < 300) {
      metrics.callbacks.add(1, { key: doc.owner, outcome: 'delivered' });
      await record({ status: 'delivered', attempts: context.attempt, lastStatus: status });
      return;
    }
    metrics.callbacks.add(1, { key: doc.owner, outcome: 'retry' });
    await record({ status: last ? 'failed' : 'pending', attempts: context.attempt, lastStatus: status });
    throw new Error(`The callback receiver answered ${status}.`);
  };
}
