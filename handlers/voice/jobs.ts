/**
 * The voice service's queue jobs, each retried with backoff and dead-lettered with its reason
 * (VOICE_ENROLL_JOB_* retry settings). The queue is VOICE_ENROLLMENT_QUEUE_NAME when a
 * deployment renames it, read when the app resolves its jobs.
 */
import { defineJob, type JobSpec } from '../../kernel/jobs.ts';
import { enrollJobPayload } from './schemas.ts';
import { loadVoiceQueues, VOICE_DEFAULT_QUEUES } from './settings.ts';

export interface EnrollPayload {
  voiceId: string;
}

export const enrollJob = defineJob<EnrollPayload>({
  type: 'voice.enroll',
  queue: VOICE_DEFAULT_QUEUES.enrollment,
  settingsPrefix: 'VOICE_ENROLL_JOB',
  payloadSchema: enrollJobPayload,
  configure: (env) => ({ queue: loadVoiceQueues(env).enrollment }),
  handler: 'handlers/voice/enroll.job#createRun',
});

export const voiceJobs: readonly JobSpec[] = [enrollJob as JobSpec];
