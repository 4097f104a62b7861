/**
 * The voice service's queue jobs, each retried with backoff and dead-lettered with its reason
 * (VOICE_ENROLL_JOB_*, VOICE_SYNTHESIS_JOB_*, VOICE_SYNTHESIS_LONG_JOB_*, VOICE_WEBHOOK_JOB_* retry settings). The
 * queues are VOICE_*_QUEUE_NAME when a deployment renames them, read when the app resolves its jobs.
 */
import { defineJob, type JobSpec } from '../../kernel/jobs.ts';
import { enrollJobPayload, synthesisJobPayload, webhookJobPayload } from './schemas.ts';
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

export interface SynthesisPayload {
  synthesisId: string;
}

/** Short and long texts travel on separate queues, so a long text never holds up short ones; one module runs both. */
export const synthesizeShortJob = defineJob<SynthesisPayload>({
  type: 'voice.synthesize',
  queue: VOICE_DEFAULT_QUEUES.synthesisShort,
  settingsPrefix: 'VOICE_SYNTHESIS_JOB',
  payloadSchema: synthesisJobPayload,
  configure: (env) => ({ queue: loadVoiceQueues(env).synthesisShort }),
  handler: 'handlers/voice/synthesize.job#createRun',
});

export const synthesizeLongJob = defineJob<SynthesisPayload>({
  type: 'voice.synthesize-long',
  queue: VOICE_DEFAULT_QUEUES.synthesisLong,
  settingsPrefix: 'VOICE_SYNTHESIS_LONG_JOB',
  payloadSchema: synthesisJobPayload,
  configure: (env) => ({ queue: loadVoiceQueues(env).synthesisLong }),
  handler: 'handlers/voice/synthesize.job#createRun',
});

export interface WebhookPayload {
  notificationId: string;
  webhookId: string;
}

/** One notification to one registration, enqueued by the notifications timer; on its own queue, so a slow receiver holds up no voice work. */
export const webhookJob = defineJob<WebhookPayload>({
  type: 'voice.webhook',
  queue: VOICE_DEFAULT_QUEUES.webhooks,
  settingsPrefix: 'VOICE_WEBHOOK_JOB',
  payloadSchema: webhookJobPayload,
  configure: (env) => ({ queue: loadVoiceQueues(env).webhooks }),
  handler: 'handlers/voice/webhook.job#createRun',
});

/**
 * The job id of a notification's delivery to a registration: the same when the timer takes the
 * notification again, so it is enqueued once; `msg_<job id>` is the delivery's webhook-id.
 */
export const deliveryJobId = (notificationId: string, webhookId: string) => `voice-webhook:${notificationId}:${webhookId}`;

export const voiceJobs: readonly JobSpec[] = [enrollJob as JobSpec, synthesizeShortJob as JobSpec, synthesizeLongJob as JobSpec, webhookJob as JobSpec];
