/**
 * The AI diagnosis: the legacy route and v2. Both take JSON or multipart/form-data (see
 * input.ts) and answer `{answer, session_id}`; conversations and messages are the caller's own.
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { DIAGNOSE_MAX_BODY_BYTES } from './settings.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const answerSchema = {
  type: 'object',
  required: ['answer', 'session_id'],
  properties: { answer: { type: 'string', description: 'Markdown.' }, session_id: { type: 'string' } },
};

const common = {
  400: { description: '`input_required` (none of q, image, audio), `invalid_base64`, `invalid_image`, `truncated_audio`, `malformed_multipart`, `validation_failed`, `vehicle_mismatch`' },
  401: problem,
  404: { description: '`not_found`: no such vehicle or conversation for this user' },
  413: { description: '`attachment_too_large` (DIAGNOSE_MAX_IMAGE_BYTES, DIAGNOSE_MAX_AUDIO_BYTES), `body_too_large`' },
  415: { description: '`unsupported_media_type` (not JSON or multipart), `unsupported_audio` (not wav, mp3, m4a, webm or ogg by its bytes)' },
  422: { description: '`image_too_large`, `animated_image`' },
  502: { description: '`model_unavailable`, `model_invalid_output`' },
  503: { description: '`model_rate_limited` (Retry-After)' },
  504: { description: '`model_timeout`' },
};


export const diagnoseLegacy = defineFunction({
  name: 'garage-diagnose-legacy',
  trigger: {
    kind: 'http', method: 'POST', route: 'Diagnose', auth: 'user', rateLimit: 'synthesis', maxBodyBytes: DIAGNOSE_MAX_BODY_BYTES,
    summary:
      'Legacy diagnosis (also at /api/diagnose). JSON `{q, vehicle_id?, session_id?, image_base64?, audio_base64?}` or multipart/form-data (`q`, `vehicle_id`, `session_id`, files `image`, `audio`). A vehicle is optional; no limits. Answers `{answer, session_id}`.',
    request: { contentTypes: ['application/json', 'multipart/form-data'] },
    responses: { 200: { description: 'The answer', schema: answerSchema }, ...common },
  },
  handler: 'handlers/garage/diagnose/diagnose.routes#diagnoseLegacy',
});

export const diagnoseV2 = defineFunction({
  name: 'garage-diagnose-v2',
  trigger: {
    kind: 'http', method: 'POST', route: 'diagnose2', auth: 'user', rateLimit: 'synthesis', stream: true, maxBodyBytes: DIAGNOSE_MAX_BODY_BYTES,
    summary:
      'Diagnosis about one of your vehicles (its make, model, year and mods go to the model). Same bodies as /api/Diagnose, `vehicle_id` required. With `Accept: text/event-stream`: `token` { text } events, then `done` { session_id }, or an in-band `error` { code, message }. Limits: DIAGNOSE_MAX_NEW_CONVERSATIONS_PER_MONTH, DIAGNOSE_MAX_MESSAGES_PER_CONVERSATION (402 `monthly_limit`, `conversation_limit`).',
    request: { contentTypes: ['application/json', 'multipart/form-data'] },
    responses: {
      200: { description: 'The answer (or the event stream)', schema: answerSchema },
      ...common,
      400: { description: `\`vehicle_required\`; ${common[400].description}` },
      402: { description: '`monthly_limit` or `conversation_limit`' },
    },
  },
  handler: 'handlers/garage/diagnose/diagnose.routes#diagnoseV2',
});


export const diagnoseFunctions: readonly FunctionDef[] = [diagnoseLegacy, diagnoseV2] as FunctionDef[];
