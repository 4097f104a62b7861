/**
 * The async routes: submit a plugin run as a job (202 `{job_id}`), and read it back. A job is
 * its key's own: another key's job is 404, as if it did not exist.
 */
import { badRequest, notFound } from '../../domain/errors.ts';
import { checkTargetUrl } from '../../domain/wardrobe/address-policy.ts';
import type { Clock, DocumentStore, IdSource } from '../../domain/ports.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import type { RateLimiter } from '../../middleware/rate-limit.ts';
import { traceOf } from '../../middleware/trace-context.ts';
import { runJob } from './jobs.ts';
import { keyOf } from './plugins.routes.ts';
import { createQuota } from './quota.ts';
import { runtimeOf, type CapabilitiesDeps } from './runtime.ts';
import { capabilityJobsContainer, type CapabilityJobDoc } from './store.ts';

export interface JobRoutesDeps extends CapabilitiesDeps {
  documents: DocumentStore;
  ids: IdSource;
  clock: Clock;
  jobs: Pick<JobClient, 'enqueue' | 'status'>;
  platform: { rateLimits?: { limiter: Pick<RateLimiter, 'consume'> } };
}

export interface SubmitBody {
  plugin: string;
  input: Record<string, unknown>;
  callback_url?: string;
}

/** POST /api/v1/jobs: validated now (plugin, mode, input, callback), run by the `capabilities.run` job. */
export const submit = (deps: JobRoutesDeps): PorticoHttpHandler<SubmitBody> => {
  const jobs = deps.documents.repository<CapabilityJobDoc>(capabilityJobsContainer);
  const quota = createQuota(deps.platform.rateLimits?.limiter, deps.settings);
  return async (event, context) => {
    const { plugin, input, callback_url: callbackUrl } = event.json;
    const key = keyOf(context);
    // Refused now rather than failing later: bad input, a sync-only plugin, an unusable callback.
    await runtimeOf(deps).registry.prepare(plugin, input, 'async');
    if (callbackUrl !== undefined) {
      checkTargetUrl(callbackUrl, deps.settings.fetch);
      if (!deps.settings.webhookSecrets.has(key)) {
        throw badRequest('callback_not_configured', `No callback secret is configured for this API key (CAPABILITIES_WEBHOOK_SECRETS); callbacks are always signed.`);
      }
    }
    await quota(key);
    const now = deps.clock.now();
    const id = deps.ids.next();
    await jobs.create({
      id, owner: key, plugin, status: 'queued', attempts: 0,
      ...(callbackUrl ? { callbackUrl, callback: { status: 'pending', attempts: 0 } } : {}),
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
      expiresAt: now.getTime() + deps.settings.resultTtlSeconds * 1000,
    });
    await deps.jobs.enqueue(runJob, { jobId: id, plugin, input }, { jobId: id, ...traceOf(context) });
    return json(202, { job_id: id, status: 'queued' }, { location: `/api/v1/jobs/${encodeURIComponent(id)}` });
  };
};

/** GET /api/v1/jobs/{id}: status, and the result or the error once it finished. */
export const status = (deps: JobRoutesDeps): PorticoHttpHandler => {
  const jobs = deps.documents.repository<CapabilityJobDoc>(capabilityJobsContainer);
  return async (event, context) => {
    const id = event.pathParameters?.id ?? '';
    const doc = await jobs.get(id, id);
    if (!doc || doc.owner !== keyOf(context)) throw notFound(`No job ${id} is known to this API key.`);
    let { status: state, error } = doc;
    // The job runtime knows what the document cannot: a retry under way, or a dead letter.
    let retrying = false;
    if (state === 'queued' || state === 'running') {
      const record = await deps.jobs.status(id, runJob.type).catch(() => undefined);
      if (record?.status === 'dead-lettered') {
        state = 'failed';
        error = { code: 'job_failed', message: 'The job failed on every attempt and was dead-lettered.' };
      } else if (record?.status === 'retrying') retrying = true;
    }
    return json(200, {
      job_id: doc.id,
      plugin: doc.plugin,
      status: state,
      ...(retrying ? { retrying: true } : {}),
      attempts: doc.attempts,
      created_at: doc.createdAt,
      updated_at: doc.updatedAt,
      ...(doc.completedAt ? { completed_at: doc.completedAt } : {}),
      ...(doc.result ? { result: doc.result } : {}),
      ...(error ? { error } : {}),
      ...(doc.callback ? { callback: { url: doc.callbackUrl, status: doc.callback.status, attempts: doc.callback.attempts } } : {}),
    });
  };
};
