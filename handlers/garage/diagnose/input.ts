/**
 * What a diagnose request asks, from either body the routes take: JSON `{q, vehicle_id?,
 * session_id?, image_base64?, audio_base64?}` or multipart/form-data with text parts `q`,
 * `vehicle_id`, `session_id` and file parts `image` and `audio`. Attachments are checked here by
 * size, encoding and (for audio) container; images are decoded later by the images port.
 * Every refusal is a 4xx problem, before anything is stored or any model is called.
 */
import { AppError, badRequest } from '../../../domain/errors.ts';
import { AUDIO_TYPES, sniffAudio, type AudioInfo } from '../../../domain/audio.ts';
import { validateId } from '../../../domain/documents.ts';
import type { PorticoHttpEvent } from '../../../middleware/context.ts';
import { parseJsonStrictly } from '../../../middleware/json-body.ts';
import { bodyBytesOf, mediaTypeOf, parseMultipart } from '../../../middleware/multipart.ts';
import { assertValid, compileSchema } from '../../../middleware/validation.ts';
import type { DiagnoseSettings } from './settings.ts';

export interface DiagnoseInput {
  question: string;
  vehicleId: string | undefined;
  sessionId: string | undefined;
  image: Uint8Array | undefined;
  audio: { bytes: Uint8Array; info: AudioInfo } | undefined;
}

/** The JSON body's shape (also the API document's). */
export const diagnoseJsonBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', description: 'The question.' },
    vehicle_id: { type: 'string', minLength: 1, maxLength: 255, description: 'Required by diagnose2.' },
    session_id: { type: 'string', minLength: 1, maxLength: 255, description: 'Continue this conversation (yours); omit to start one.' },
    image_base64: { type: 'string', description: 'A JPEG, PNG, WebP or AVIF image, base64 (a data: URL is accepted).' },
    audio_base64: { type: 'string', description: `Audio (${AUDIO_TYPES.join(', ')}), base64.` },
  },
} as const;

const validateJson = compileSchema(diagnoseJsonBody);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:[a-z]+\/[a-z0-9.+-]+;base64,/i;

const tooLarge = (field: string, max: number) => new AppError(413, 'attachment_too_large', `${field} is larger than ${max} bytes.`);

function decodeBase64(value: string, field: string, max: number): Uint8Array {
  const body = value.replace(DATA_URL, '');
  if (body.length === 0 || body.length % 4 !== 0 || !BASE64.test(body)) throw badRequest('invalid_base64', `${field} is not valid base64.`);
  // Checked before decoding: the decoded size follows from the text's length.
  if ((body.length / 4) * 3 - (body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0) > max) throw tooLarge(field, max);
  return new Uint8Array(Buffer.from(body, 'base64'));
}

function checkSize(bytes: Uint8Array, field: string, max: number): Uint8Array {
  if (bytes.byteLength > max) throw tooLarge(field, max);
  return bytes;
}

/** The audio's container, or 415 (not one we take) / 400 (cut short). */
export function admitAudio(bytes: Uint8Array): { bytes: Uint8Array; info: AudioInfo } {
  const info = sniffAudio(bytes);
  if (info === 'unsupported') throw new AppError(415, 'unsupported_audio', `The audio is not one of ${AUDIO_TYPES.join(', ')} (judged by its bytes).`);
  if (info === 'truncated') throw badRequest('truncated_audio', 'The audio file is cut short: its header promises more than was sent.');
  return { bytes, info };
}

const optionalId = (value: string | undefined, field: string): string | undefined => {
  if (value === undefined || value === '') return undefined;
  try {
    return validateId(value);
  } catch {
    throw badRequest('invalid_id', `${field} is not a valid id.`);
  }
};

interface RawInput {
  q?: string | undefined;
  vehicle_id?: string | undefined;
  session_id?: string | undefined;
  image?: Uint8Array | undefined;
  audio?: Uint8Array | undefined;
}

async function rawInput(event: PorticoHttpEvent, settings: DiagnoseSettings): Promise<RawInput> {
  const mediaType = mediaTypeOf(event);
  if (mediaType === 'multipart/form-data') {
    const { fields, files } = parseMultipart(event);
    return {
      q: fields.q,
      vehicle_id: fields.vehicle_id,
      session_id: fields.session_id,
      image: files.image && checkSize(files.image.bytes, 'image', settings.maxImageBytes),
      audio: files.audio && checkSize(files.audio.bytes, 'audio', settings.maxAudioBytes),
    };
  }
  if (mediaType !== 'application/json') throw new AppError(415, 'unsupported_media_type', 'Send application/json or multipart/form-data.');
  const text = new TextDecoder().decode(bodyBytesOf(event));
  if (text.trim() === '') throw badRequest('body_required', 'A JSON body is required.');
  const body = parseJsonStrictly(text);
  assertValid('body', validateJson, body);
  const json = body as { q?: string; vehicle_id?: string; session_id?: string; image_base64?: string; audio_base64?: string };
  return {
    q: json.q,
    vehicle_id: json.vehicle_id,
    session_id: json.session_id,
    image: json.image_base64 === undefined ? undefined : decodeBase64(json.image_base64, 'image_base64', settings.maxImageBytes),
    audio: json.audio_base64 === undefined ? undefined : decodeBase64(json.audio_base64, 'audio_base64', settings.maxAudioBytes),
  };
}

export async function readDiagnoseInput(event: PorticoHttpEvent, settings: DiagnoseSettings): Promise<DiagnoseInput> {
  const raw = await rawInput(event, settings);
  const question = (raw.q ?? '').trim();
  if (question.length > settings.maxQuestionChars) throw badRequest('question_too_long', `q may be at most ${settings.maxQuestionChars} characters.`);
  const image = raw.image && raw.image.byteLength > 0 ? raw.image : undefined;
  const audio = raw.audio && raw.audio.byteLength > 0 ? admitAudio(raw.audio) : undefined;
  if (!question && !image && !audio) throw badRequest('input_required', 'Provide q, image or audio.');
  return { question, vehicleId: optionalId(raw.vehicle_id, 'vehicle_id'), sessionId: optionalId(raw.session_id, 'session_id'), image, audio };
}
