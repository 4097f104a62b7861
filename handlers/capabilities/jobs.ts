/**
 * The capability service's two jobs: running a plugin asynchronously, and delivering a finished
 * job's signed callback. Each is retried with backoff and dead-lettered with its reason
 * (CAPABILITIES_JOB_* and CAPABILITIES_CALLBACK_JOB_* settings).
 */
import { defineJob, type JobSpec } from '../../kernel/jobs.ts';

export interface RunPayload {
  jobId: string;
  plugin: string;
  input: Record<string, unknown>;
}

export interface CallbackPayload {
  jobId: string;
}

export const runJob = defineJob<RunPayload>({
  type: 'capabilities.run',
  queue: 'capabilities-jobs',
  settingsPrefix: 'CAPABILITIES_JOB',
  payloadSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['jobId', 'plugin', 'input'],
    properties: { jobId: { type: 'string', minLength: 1, maxLength: 255 }, plugin: { type: 'string', minLength: 1, maxLength: 64 }, input: { type: 'object' } },
  },
  handler: 'handlers/capabilities/run.job#createRun',
});

export const callbackJob = defineJob<CallbackPayload>({
  type: 'capabilities.callback',
  queue: 'capabilities-callbacks',
  settingsPrefix: 'CAPABILITIES_CALLBACK_JOB',
  payloadSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['jobId'],
    properties: { jobId: { type: 'string', minLength: 1, maxLength: 255 } },
  },
  handler: 'handlers/capabilities/callback.job#createRun',
});

export const capabilitiesJobs: readonly JobSpec[] = [runJob as JobSpec, callbackJob as JobSpec];
