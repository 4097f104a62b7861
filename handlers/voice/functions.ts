/**
 * The voice service's functions (seed 002, voice cloning): direct uploads and their
 * blob-triggered processing, enrollment, the voices, the training monitor, synthesis, and the
 * user's webhook registrations with the timer that delivers their notifications. Every route is a
 * signed-in user's own: another user's sample or voice is 404, never 403 (Voice.Admin reads
 * anyone's). Each route names the roles that admit a caller (roles.ts).
 */
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import {
  batchAccepted, batchRequest, batchResponse, enrollmentRequest, enrollmentResponse, providerEvent, providerEventAnswer, sampleResponse, synthesisAccepted, synthesisRequest,
  synthesisResponse, uploadRequest, uploadResponse, voiceResponse, voicesPage, webhookCreated, webhookRequest, webhookResponse, webhooksList,
} from './schemas.ts';
import { enrollRoles, synthesizeRoles, voiceReaderRoles } from './roles.ts';
import { UPLOADS_CONTAINER, VOICE_WEBHOOK_SECRETS_VARIABLE } from './settings.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const signedIn = { 400: { description: '`validation_failed` or `invalid_id`' }, 401: problem, 403: { description: '`missing_role`: the caller holds none of the route\'s roles' }, 429: { description: '`rate_limited`' } };
const notYours = (what: string) => ({ description: `\`not_found\`: no such ${what} of yours (another user's is not found either)` });

export const createUpload = defineFunction({
  name: 'voice-uploads-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'voice/uploads', auth: 'user', roles: enrollRoles,
    summary:
      'Starts a voice sample: answers a short-lived, write-only URL for one blob in `voice-uploads/` (an Azure SAS with create and write only, or a presigned S3 PUT). PUT the audio there with `upload_headers`; processing starts when the blob lands (GET /api/voice/samples/{id}).',
    request: { body: uploadRequest },
    responses: { 201: { description: 'The sample and where to upload it', schema: uploadResponse }, 413: { description: '`upload_too_large`: past VOICE_UPLOAD_MAX_BYTES' }, ...signedIn },
  },
  handler: 'handlers/voice/uploads.routes#createUpload',
});

export const getSample = defineFunction({
  name: 'voice-samples-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'voice/samples/{id}', auth: 'user', roles: enrollRoles,
    summary: 'A sample: `awaiting_upload`, `processing`, `ready` (with the original\'s metadata and the normalised duration) or `rejected` (with the code and reason).',
    responses: { 200: { description: 'The sample', schema: sampleResponse }, 404: notYours('sample'), ...signedIn },
  },
  handler: 'handlers/voice/uploads.routes#getSample',
});

export const processUpload = defineFunction({
  name: 'voice-process-upload',
  trigger: { kind: 'blob', path: `${UPLOADS_CONTAINER}/{name}` },
  handler: 'handlers/voice/process.blob#processUpload',
});

export const enroll = defineFunction({
  name: 'voice-enrollment',
  trigger: {
    kind: 'http', method: 'POST', route: 'voice-enrollment', auth: 'user', roles: enrollRoles, rateLimit: 'training',
    summary:
      'Enrolls a voice from ready samples of yours, with the speaker\'s consent: 202 with the voice id; the `voice.enroll` job starts the training with the provider and the training monitor follows it to `ready` or `failed`.',
    request: { body: enrollmentRequest },
    responses: {
      202: { description: 'Queued (Location: the voice)', schema: enrollmentResponse },
      404: notYours('sample'),
      409: { description: '`sample_not_ready` or `sample_in_use`' },
      ...signedIn,
    },
  },
  handler: 'handlers/voice/voices.routes#enroll',
});

export const listVoices = defineFunction({
  name: 'voice-voices-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'voice/voices', auth: 'user', roles: voiceReaderRoles,
    summary: 'Your voices, newest first, a page at a time; with Voice.Admin, `?owner=<user id>` lists another user\'s.',
    responses: { 200: { description: 'A page of voices', schema: voicesPage }, ...signedIn },
  },
  handler: 'handlers/voice/voices.routes#listVoices',
});

export const getVoice = defineFunction({
  name: 'voice-voices-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'voice/voices/{id}', auth: 'user', roles: voiceReaderRoles,
    summary: 'A voice: `queued`, `training`, `ready` or `failed` (with the code and reason).',
    responses: { 200: { description: 'The voice', schema: voiceResponse }, 404: notYours('voice'), ...signedIn },
  },
  handler: 'handlers/voice/voices.routes#getVoice',
});

export const deleteVoice = defineFunction({
  name: 'voice-voices-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'voice/voices/{id}', auth: 'user', roles: enrollRoles,
    summary: 'Deletes a voice at the provider and here, with its samples (documents and audio).',
    responses: { 204: { description: 'Deleted' }, 404: notYours('voice'), 503: { description: '`provider_unavailable`: the provider could not delete it now; try again' }, ...signedIn },
  },
  handler: 'handlers/voice/voices.routes#deleteVoice',
});

export const trainingMonitor = defineFunction({
  name: 'voice-training-monitor',
  trigger: { kind: 'timer', schedule: '0 * * * * *' },
  handler: 'handlers/voice/monitor.timer#trainingMonitor',
});

export const cleanup = defineFunction({
  name: 'voice-cleanup',
  // Hourly, at minute 17 (away from the top of the hour, when other timers fire).
  trigger: { kind: 'timer', schedule: '0 17 * * * *' },
  handler: 'handlers/voice/cleanup.timer#voiceCleanup',
});

export const providerWebhook = defineFunction({
  name: 'voice-provider-webhook',
  trigger: {
    kind: 'http', method: 'POST', route: 'webhooks/{source}', auth: 'public',
    // Optional: a deployment without VOICE_WEBHOOK_SECRETS still starts; this route then answers 503.
    webhook: { secretsVariable: VOICE_WEBHOOK_SECRETS_VARIABLE, optional: true },
    summary:
      'A voice provider\'s callback (`{source}`: azure-speech, openai, offline), signed with Standard Webhooks (VOICE_WEBHOOK_SECRETS); each webhook-id is handled once. `voice.training.succeeded` / `voice.training.failed` move the voice in training with that `provider_voice_id` to ready / failed, as the training monitor would; other types are acknowledged (202) and ignored.',
    request: { body: providerEvent },
    responses: {
      200: { description: '`applied`, `acknowledged` (no voice in training matched: nothing changed) or `duplicate`', schema: providerEventAnswer },
      202: { description: '`ignored`: not a training event', schema: providerEventAnswer },
      400: { description: '`validation_failed`, or a webhook header missing or malformed' },
      401: { description: 'The signature does not verify, or the timestamp is outside the tolerance' },
      404: { description: '`unknown_source`: no voice provider has that name' },
      409: { description: 'The same webhook-id is being handled right now; retry later' },
      503: { description: '`not_configured`: VOICE_WEBHOOK_SECRETS is not set' },
    },
  },
  handler: 'handlers/voice/provider-webhooks.routes#providerCallback',
});

export const synthesize = defineFunction({
  name: 'voice-synthesis',
  trigger: {
    kind: 'http', method: 'POST', route: 'synthesis', auth: 'user', roles: synthesizeRoles, rateLimit: 'synthesis',
    summary:
      'Speaks a text with a ready voice of yours: 202 with the synthesis id; the job runs on the short queue, or the long one past VOICE_SHORT_TEXT_MAX_CHARS. `format` wav, mp3 (default) or opus; `speed` 0.5-2. Your webhooks hear `synthesis.succeeded` when the audio is ready, or at `notify_at` if later (a future time, at most 30 days ahead), and `synthesis.failed` at once.',
    request: { body: synthesisRequest },
    responses: {
      202: { description: 'Queued (Location: the synthesis)', schema: synthesisAccepted },
      404: notYours('voice'),
      409: { description: '`voice_not_ready`' },
      ...signedIn,
      400: { description: '`validation_failed`, `invalid_id`, `text_too_long`, `invalid_notify_at` (not in the future, or too far ahead)' },
    },
  },
  handler: 'handlers/voice/synthesis.routes#synthesize',
});

export const getSynthesis = defineFunction({
  name: 'voice-synthesis-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'synthesis/{id}', auth: 'user', roles: synthesizeRoles,
    summary: 'A synthesis: `queued`, `running`, `succeeded` (with `audio_url`, a read URL valid for VOICE_AUDIO_URL_TTL_SECONDS, and `duration_seconds`) or `failed` (with the code and reason).',
    responses: { 200: { description: 'The synthesis', schema: synthesisResponse }, 404: notYours('synthesis'), ...signedIn },
  },
  handler: 'handlers/voice/synthesis.routes#getSynthesis',
});

export const synthesizeBatch = defineFunction({
  name: 'voice-synthesis-batch',
  trigger: {
    kind: 'http', method: 'POST', route: 'synthesis/batch', auth: 'user', roles: synthesizeRoles, rateLimit: 'synthesis',
    summary:
      'Up to VOICE_BATCH_MAX_ITEMS syntheses in one call: each item is its own job with its own status; an item that cannot run (its voice not ready or not yours, its text too long) fails alone and the others go on.',
    request: { body: batchRequest },
    responses: { 202: { description: 'The batch and each item\'s first status (Location: the batch)', schema: batchAccepted }, ...signedIn },
  },
  handler: 'handlers/voice/synthesis.routes#synthesizeBatch',
});

export const getBatch = defineFunction({
  name: 'voice-synthesis-batch-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'synthesis/batch/{id}', auth: 'user', roles: synthesizeRoles,
    summary: 'A batch: each item as GET /api/synthesis/{id} answers it, the counts by status, and `completed` once none is queued or running.',
    responses: { 200: { description: 'The batch', schema: batchResponse }, 404: notYours('batch'), ...signedIn },
  },
  handler: 'handlers/voice/synthesis.routes#getBatch',
});

export const createWebhook = defineFunction({
  name: 'voice-webhooks-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'voice/webhooks', auth: 'user', roles: voiceReaderRoles,
    summary:
      'Registers an https URL for some of your events (`voice.ready`, `voice.failed`, `synthesis.succeeded`, `synthesis.failed`, `batch.completed`): each is POSTed there as a Standard Webhooks delivery signed with the `secret` answered here, and only here. At most VOICE_WEBHOOKS_PER_USER registrations.',
    request: { body: webhookRequest },
    responses: {
      201: { description: 'Registered (Location: the registration); keep the secret', schema: webhookCreated },
      409: { description: '`too_many_webhooks`: VOICE_WEBHOOKS_PER_USER reached' },
      ...signedIn,
      400: { description: '`validation_failed`, `url_scheme_not_allowed` (not https), `url_not_allowed` (a private address), `url_invalid`, `url_credentials_not_allowed`' },
    },
  },
  handler: 'handlers/voice/webhooks.routes#createWebhook',
});

export const listWebhooks = defineFunction({
  name: 'voice-webhooks-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'voice/webhooks', auth: 'user', roles: voiceReaderRoles,
    summary: 'Your webhook registrations, oldest first (never their secrets); with Voice.Admin, `?owner=<user id>` lists another user\'s.',
    responses: { 200: { description: 'The registrations', schema: webhooksList }, ...signedIn },
  },
  handler: 'handlers/voice/webhooks.routes#listWebhooks',
});

export const getWebhook = defineFunction({
  name: 'voice-webhooks-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'voice/webhooks/{id}', auth: 'user', roles: voiceReaderRoles,
    summary: 'A webhook registration (without its secret).',
    responses: { 200: { description: 'The registration', schema: webhookResponse }, 404: notYours('webhook registration'), ...signedIn },
  },
  handler: 'handlers/voice/webhooks.routes#getWebhook',
});

export const deleteWebhook = defineFunction({
  name: 'voice-webhooks-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'voice/webhooks/{id}', auth: 'user', roles: voiceReaderRoles,
    summary: 'Deletes a webhook registration: nothing more is sent to it, including deliveries already queued.',
    responses: { 204: { description: 'Deleted' }, 404: notYours('webhook registration'), ...signedIn },
  },
  handler: 'handlers/voice/webhooks.routes#deleteWebhook',
});

export const notificationsTimer = defineFunction({
  name: 'voice-notifications',
  trigger: { kind: 'timer', schedule: '0 * * * * *' },
  handler: 'handlers/voice/notifications.timer#notificationsTimer',
});

export const voiceFunctions: readonly FunctionDef[] = [
  createUpload, getSample, processUpload, enroll, listVoices, getVoice, deleteVoice, trainingMonitor, cleanup, providerWebhook, synthesize, getSynthesis, synthesizeBatch, getBatch,
  createWebhook, listWebhooks, getWebhook, deleteWebhook, notificationsTimer,
] as FunctionDef[];
