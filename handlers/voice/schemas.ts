/** Schemas of the voice routes and jobs. The wire format is snake_case; bodies reject unknown fields. */
import type { JsonSchema } from '../../kernel/functions.ts';
import { VOICE_EVENTS } from './store.ts';

/** What an upload may declare: the audio types the processing reads (it checks the content, whatever is declared). */
export const UPLOAD_CONTENT_TYPES = [
  'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/mpeg', 'audio/mp3', 'audio/ogg', 'audio/opus',
  'audio/flac', 'audio/x-flac', 'audio/mp4', 'audio/x-m4a', 'audio/aac', 'audio/webm',
] as const;

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const problemOf = (code: string, reason: string): JsonSchema => ({ type: 'object', required: ['code', 'reason'], properties: { code: { type: 'string', description: code }, reason: { type: 'string', description: reason } } });

export const uploadRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['content_type', 'size'],
  properties: {
    content_type: { type: 'string', enum: [...UPLOAD_CONTENT_TYPES] },
    size: { type: 'integer', minimum: 1, description: 'Bytes; at most VOICE_UPLOAD_MAX_BYTES.' },
  },
};

export const uploadResponse: JsonSchema = {
  type: 'object',
  required: ['sample_id', 'upload_url', 'upload_headers', 'blob_name', 'expires_at'],
  properties: {
    sample_id: id,
    upload_url: { type: 'string', description: 'PUT the audio here, with `upload_headers`, before `expires_at`. Write-only, this blob only.' },
    upload_headers: { type: 'object', additionalProperties: { type: 'string' } },
    blob_name: { type: 'string', description: 'The blob in `voice-uploads/`.' },
    expires_at: time,
  },
};

const audioMetadata: JsonSchema = {
  type: 'object',
  properties: {
    format: { type: 'string' }, codec: { type: 'string' }, duration_seconds: { type: 'number' }, sample_rate: { type: 'integer' }, channels: { type: 'integer' }, bit_rate: { type: 'integer' },
  },
};

export const sampleResponse: JsonSchema = {
  type: 'object',
  required: ['sample_id', 'status', 'created_at'],
  properties: {
    sample_id: id,
    status: { type: 'string', enum: ['awaiting_upload', 'processing', 'ready', 'rejected'] },
    original: audioMetadata,
    duration_seconds: { type: 'number', description: 'Of the normalised sample (16 kHz mono WAV).' },
    rejection: problemOf('`not_audio`, `has_video`, `too_short`, `too_long`, `low_sample_rate`, `too_many_channels`, `too_large`, `unreadable`', 'In words.'),
    voice_id: id,
    created_at: time,
    updated_at: time,
  },
};

export const enrollmentRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['display_name', 'sample_ids', 'consent'],
  properties: {
    display_name: { type: 'string', format: 'plain-text', minLength: 1, maxLength: 100 },
    sample_ids: { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: id, description: 'Ready samples of yours not enrolled yet (at most VOICE_ENROLLMENT_MAX_SAMPLES).' },
    consent: {
      type: 'object',
      additionalProperties: false,
      required: ['statement', 'accepted_at'],
      properties: {
        statement: { type: 'string', minLength: 10, maxLength: 4000 },
        accepted_at: time,
        recording_sample_id: { ...id, description: 'A ready sample of yours (not one of sample_ids) in which the speaker reads the statement. Azure AI Speech verifies consent by voice; without it the first sample stands in.' },
      },
    },
  },
};

export const enrollmentResponse: JsonSchema = {
  type: 'object',
  required: ['voice_id', 'status'],
  properties: { voice_id: id, status: { type: 'string', enum: ['queued'] } },
};

export const voiceResponse: JsonSchema = {
  type: 'object',
  required: ['voice_id', 'display_name', 'status', 'sample_ids', 'provider', 'created_at'],
  properties: {
    voice_id: id,
    display_name: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'training', 'ready', 'failed', 'deleting'] },
    sample_ids: { type: 'array', items: id },
    provider: { type: 'string' },
    failure: problemOf('`training_failed`, `training_timeout`, `provider_rejected`', 'In words.'),
    consent: { type: 'object', properties: { statement: { type: 'string' }, accepted_at: time, recording_sample_id: { type: 'string' } } },
    training_started_at: time,
    ready_at: time,
    created_at: time,
    updated_at: time,
  },
};

export const voicesPage: JsonSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: voiceResponse }, continuation: { type: 'string' } },
};

export const enrollJobPayload: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['voiceId'],
  properties: { voiceId: id },
};

const synthesisItem: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['voice_id', 'text'],
  properties: {
    voice_id: id,
    text: { type: 'string', minLength: 1, maxLength: 100_000, description: 'At most VOICE_TEXT_MAX_CHARS characters.' },
    format: { type: 'string', enum: ['wav', 'mp3', 'opus'], default: 'mp3' },
    speed: { type: 'number', minimum: 0.5, maximum: 2 },
    notify_at: {
      ...time,
      description:
        'When to deliver `synthesis.succeeded` to your webhooks, if the audio is ready by then (it is delivered when ready if later): in the future, at most 30 days ahead and within VOICE_SYNTHESIS_RETENTION_DAYS. Absent: when ready.',
    },
  },
};

export const synthesisRequest: JsonSchema = synthesisItem;

export const synthesisAccepted: JsonSchema = {
  type: 'object',
  required: ['synthesis_id', 'status'],
  properties: { synthesis_id: id, status: { type: 'string', enum: ['queued'] } },
};

export const synthesisResponse: JsonSchema = {
  type: 'object',
  required: ['synthesis_id', 'voice_id', 'status', 'format', 'created_at'],
  properties: {
    synthesis_id: id,
    voice_id: id,
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
    format: { type: 'string', enum: ['wav', 'mp3', 'opus'] },
    queue: { type: 'string', enum: ['short', 'long'] },
    audio_url: { type: 'string', description: 'When succeeded: a read URL valid for VOICE_AUDIO_URL_TTL_SECONDS.' },
    content_type: { type: 'string' },
    duration_seconds: { type: 'number' },
    failure: problemOf('`voice_not_ready`, `voice_gone`, `provider_rejected`, `synthesis_failed`', 'In words.'),
    created_at: time,
    updated_at: time,
  },
};

export const batchRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', minItems: 1, maxItems: 500, items: synthesisItem, description: 'At most VOICE_BATCH_MAX_ITEMS.' } },
};

export const batchAccepted: JsonSchema = {
  type: 'object',
  required: ['batch_id', 'items'],
  properties: { batch_id: id, items: { type: 'array', items: { type: 'object', properties: { synthesis_id: id, status: { type: 'string' } } } } },
};

export const batchResponse: JsonSchema = {
  type: 'object',
  required: ['batch_id', 'status', 'counts', 'items'],
  properties: {
    batch_id: id,
    status: { type: 'string', enum: ['running', 'completed'], description: '`completed` once every item succeeded or failed.' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    items: { type: 'array', items: synthesisResponse },
  },
};

export const synthesisJobPayload: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['synthesisId'],
  properties: { synthesisId: id },
};

export const webhookRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'events'],
  properties: {
    url: { type: 'string', format: 'uri', maxLength: 2048, description: 'An https URL on a public address (a private one is refused).' },
    events: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...VOICE_EVENTS] } },
  },
};

const webhookFields = { id, url: { type: 'string' }, events: { type: 'array', items: { type: 'string', enum: [...VOICE_EVENTS] } }, created_at: time } satisfies Record<string, JsonSchema>;

export const webhookResponse: JsonSchema = { type: 'object', required: ['id', 'url', 'events', 'created_at'], properties: webhookFields };

export const webhookCreated: JsonSchema = {
  type: 'object',
  required: ['id', 'url', 'events', 'secret', 'created_at'],
  properties: { ...webhookFields, secret: { type: 'string', description: '`whsec_<base64>`: verify each delivery\'s `webhook-signature` with it. Shown only here.' } },
};

export const webhooksList: JsonSchema = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: webhookResponse } } };

export const webhookJobPayload: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['notificationId', 'webhookId'],
  properties: { notificationId: id, webhookId: id },
};

/** The training events a provider's callback carries; other types are acknowledged and ignored. */
export const TRAINING_EVENT_TYPES = ['voice.training.succeeded', 'voice.training.failed'] as const;

export const providerEvent: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 200, description: '`voice.training.succeeded` or `voice.training.failed`; any other type is acknowledged (202) and ignored.' },
    timestamp: { type: 'string', maxLength: 64, description: 'When the provider sent it (Standard Webhooks payloads carry it; not used).' },
    data: { type: 'object', description: 'The event\'s data; for a training event, as below.' },
  },
  // A training event must name its voice, and carries nothing else; other types may carry anything.
  if: { properties: { type: { enum: [...TRAINING_EVENT_TYPES] } } },
  then: {
    required: ['data'],
    properties: {
      data: {
        type: 'object',
        additionalProperties: false,
        required: ['provider_voice_id'],
        properties: {
          provider_voice_id: { ...id, description: 'The provider\'s id of the voice (what createVoice answered).' },
          reason: { type: 'string', maxLength: 2000, description: 'Why the training failed, in the provider\'s words (logged, never shown to the client).' },
        },
      },
    },
  },
};

export const providerEventAnswer: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { enum: ['applied', 'acknowledged', 'ignored', 'duplicate'], description: '`applied`: the voice changed; `acknowledged`: no voice in training matched; `ignored`: not a training event; `duplicate`: this webhook-id was handled before.' },
  },
};
