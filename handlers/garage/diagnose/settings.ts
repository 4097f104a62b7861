/** The diagnosis's settings, read from `env` at bind time (deps.settings.diagnose). */
import { integer, type Env } from '../../../kernel/env.ts';

export interface DiagnoseSettings {
  /** v2: conversations a user may start per calendar month (UTC). */
  maxNewConversationsPerMonth: number;
  /** v2: messages (user and assistant turns) a conversation may hold. */
  maxMessagesPerConversation: number;
  /** Earlier messages read as context before the token budget trims them. */
  historyMessages: number;
  /** The most (estimated) input tokens a prompt's text may cost. */
  promptTokenBudget: number;
  maxOutputTokens: number;
  maxQuestionChars: number;
  /** Largest image and audio attachment, in bytes (decoded). */
  maxImageBytes: number;
  maxAudioBytes: number;
  imageMaxPixels: number;
  /** A streamed answer is cut after this long (under Azure's 230 s). */
  streamMaxSeconds: number;
  heartbeatSeconds: number;
}

export const DIAGNOSE_VARIABLES = [
  'DIAGNOSE_MAX_NEW_CONVERSATIONS_PER_MONTH', 'DIAGNOSE_MAX_MESSAGES_PER_CONVERSATION', 'DIAGNOSE_HISTORY_MESSAGES', 'DIAGNOSE_PROMPT_TOKEN_BUDGET',
  'DIAGNOSE_MAX_OUTPUT_TOKENS', 'DIAGNOSE_MAX_QUESTION_CHARS', 'DIAGNOSE_MAX_IMAGE_BYTES', 'DIAGNOSE_MAX_AUDIO_BYTES', 'DIAGNOSE_IMAGE_MAX_PIXELS',
  'DIAGNOSE_STREAM_MAX_SECONDS',
] as const;

/** The body limit of the diagnose routes: both attachments as base64 in JSON, plus the fields. */
export const MAX_DIAGNOSE_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const DIAGNOSE_MAX_BODY_BYTES = Math.ceil((2 * MAX_DIAGNOSE_ATTACHMENT_BYTES) / 3) * 4 + 64 * 1024;

export function loadDiagnoseSettings(env: Env): DiagnoseSettings {
  return Object.freeze({
    maxNewConversationsPerMonth: integer(env, 'DIAGNOSE_MAX_NEW_CONVERSATIONS_PER_MONTH', 20, 1, 100_000),
    maxMessagesPerConversation: integer(env, 'DIAGNOSE_MAX_MESSAGES_PER_CONVERSATION', 50, 2, 10_000),
    historyMessages: integer(env, 'DIAGNOSE_HISTORY_MESSAGES', 20, 0, 200),
    promptTokenBudget: integer(env, 'DIAGNOSE_PROMPT_TOKEN_BUDGET', 16_000, 4000, 1_000_000),
    maxOutputTokens: integer(env, 'DIAGNOSE_MAX_OUTPUT_TOKENS', 1500, 16, 16_000),
    maxQuestionChars: integer(env, 'DIAGNOSE_MAX_QUESTION_CHARS', 4000, 100, 8000),
    maxImageBytes: integer(env, 'DIAGNOSE_MAX_IMAGE_BYTES', 10 * 1024 * 1024, 1024, MAX_DIAGNOSE_ATTACHMENT_BYTES),
    maxAudioBytes: integer(env, 'DIAGNOSE_MAX_AUDIO_BYTES', MAX_DIAGNOSE_ATTACHMENT_BYTES, 1024, MAX_DIAGNOSE_ATTACHMENT_BYTES),
    imageMaxPixels: integer(env, 'DIAGNOSE_IMAGE_MAX_PIXELS', 40_000_000, 1_000_000, 268_402_689),
    streamMaxSeconds: integer(env, 'DIAGNOSE_STREAM_MAX_SECONDS', 120, 5, 220),
    heartbeatSeconds: 15,
  });
}
