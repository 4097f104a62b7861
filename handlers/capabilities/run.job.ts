/**
 * The `capabilities.run` job: runs a plugin on a submitted input. An input the plugin refuses
 * (a 4xx) is the job's result, recorded as `failed` with its code: retrying cannot change it.
 * Anything else is retried with backoff; the last attempt records `failed` before the job
 * runtime dead-letters it with the reason, so the caller (and the callback) always hear.
 */
import { AppError } from '../../domain/errors.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import type { JobRun, JobSpec } from '../../kernel/jobs.ts';
import { jobDocs, type JobDocDeps } from './job-doc.ts';
import { runJob, type RunPayload } from './jobs.ts';
import { runtimeOf, type CapabilitiesDeps } from './runtime.ts';

export interface RunJobDeps extends CapabilitiesDeps, JobDocDeps {
  jobRuntime: Pick<JobRuntimeDeps, 'settings'>;
}

export function createRun(deps: RunJobDeps): JobRun<RunPayload> {
  const docs = jobDocs(deps);
  const maxAttempts = () => deps.jobRuntime.settings(runJob as JobSpec).retry.maxAttempts;
  return async (payload, context) => {
    const doc = await docs.get(payload.jobId);
    if (!doc) {
      context.log.warn({ jobId: payload.jobId }, 'capability job document is gone (expired); nothing to run');
      return;
    }
    if (doc.status === 'succeeded' || doc.status === 'failed') return;
    await docs.update(doc.id, () => ({ status: 'running', attempts: context.attempt }));
    try {
      const { result } = await runtimeOf(deps).call({ plugin: payload.plugin, input: payload.input, mode: 'async', key: doc.owner, signal: context.signal, log: context.log });
      await docs.finish(doc.id, { status: 'succeeded', result });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        await docs.finish(doc.id, { status: 'failed', error: { code: error.code, message: error.message } });
        return;
      }
      if (context.attempt >= maxAttempts()) {
        await docs.finish(doc.id, { status: 'failed', error: { code: 'job_failed', message: `The plugin failed on each of ${context.attempt} attempts.` } });
      } else {
        await docs.update(doc.id, () => ({ status: 'queued' }));
      }
      throw error;
    }
  };
}
