/** The system service's jobs. */
import { defineJob } from '../../kernel/jobs.ts';

export interface PurgeExpiredPayload {
  container: string;
}

/** Deletes expired documents from one container; fanned out hourly by the purge-expired timer. */
export const purgeExpiredJob = defineJob<PurgeExpiredPayload>({
  type: 'system.purge-expired',
  queue: 'system-jobs',
  payloadSchema: {
    type: 'object',
    required: ['container'],
    additionalProperties: false,
    properties: { container: { type: 'string', minLength: 1, maxLength: 255 } },
  },
  settingsPrefix: 'SYSTEM_JOB',
  handler: 'handlers/system/purge.job#createRun',
});

export const systemJobs = [purgeExpiredJob];
