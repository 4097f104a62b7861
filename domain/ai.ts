import { AppError } from './errors.ts';

/**
 * The language-model port. Handlers and domain code ask for a structured answer or a stream
 * of text; the adapter behind it is Azure OpenAI, OpenAI, or the offline provider. Every
 * request carries its own `offline` answer, because only the code that asks knows what a
 * deterministic, useful answer is (for metadata: real colour statistics of the image).
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatImage {
  mediaType: string;
  base64: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Images sent with a user message (vision models). */
  images?: readonly ChatImage[];
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

interface ModelRequest {
  /** What the call is for, dotted (`wardrobe.extract-metadata`): logs, traces and Langfuse name it. */
  task: string;
  messages: readonly ChatMessage[];
  maxOutputTokens?: number;
  /** Aborts the call (client gone, deadline near). */
  signal?: AbortSignal;
  /** Who the call is for (hashed by the adapter before it leaves the process). */
  userId?: string;
  /** The request id of the invocation that asks, so the call's log line can be joined to it. */
  requestId?: string;
  /** The caller's W3C `traceparent`, so the call's span joins the caller's trace instead of starting one. */
  traceparent?: string;
}

export interface StructuredRequest<T> extends ModelRequest {
  /** The answer's JSON schema (strict structured output); the adapter validates the answer against it. */
  schema: { name: string; schema: Record<string, unknown> };
  /** The offline provider's answer to the same request. */
  offline: () => T;
}

export interface StructuredResult<T> {
  value: T;
  model: string;
  usage: ModelUsage;
  /** True when the offline provider answered. */
  offline: boolean;
}

export interface StreamRequest extends ModelRequest {
  /** The offline provider's whole answer; it is streamed in pieces like a model's. */
  offline: () => string;
}

export interface TranscriptionRequest {
  /** What the call is for, dotted (`garage.diagnose.transcribe`). */
  task: string;
  /** The audio file's bytes (the container is checked by the caller, domain/audio.ts). */
  audio: Uint8Array;
  /** Its media type (`audio/wav`, `audio/mpeg`, ...): the file name's extension is derived from it. */
  contentType: string;
  signal?: AbortSignal;
  userId?: string;
  requestId?: string;
  traceparent?: string;
}

export interface TranscriptionResult {
  text: string;
  model: string;
  /** True when the offline provider answered (a placeholder stating the audio's duration). */
  offline: boolean;
}

export interface EmbeddingRequest {
  /** What the call is for, dotted (`capabilities.ai-embedding`). */
  task: string;
  /** The texts, one vector each, in this order. */
  input: readonly string[];
  /** The vectors' length, when the model can shorten them (text-embedding-3); else the model's own. */
  dimensions?: number;
  signal?: AbortSignal;
  userId?: string;
  requestId?: string;
  traceparent?: string;
}

export interface EmbeddingResult {
  /** One vector per input text, in the input's order. */
  vectors: number[][];
  model: string;
  /** Tokens read; an embedding writes none, so `outputTokens` is 0. */
  usage: ModelUsage;
  /** True when the offline provider answered (hashed bag-of-words vectors, not a model's). */
  offline: boolean;
}

export type StreamChunk =
  | { type: 'delta'; text: string }
  | { type: 'done'; model: string; usage: ModelUsage; offline: boolean };

export interface LanguageModel {
  readonly provider: 'azure-openai' | 'openai' | 'offline';
  /** The model (or Azure deployment) it calls. */
  readonly model: string;
  structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>>;
  /** Deltas, then exactly one `done`. A failure throws ModelError, before or between deltas. */
  stream(request: StreamRequest): AsyncIterable<StreamChunk>;
  /**
   * Speech to text (Whisper, or the offline placeholder). Optional so that test doubles of the
   * other calls need not implement it; every adapter of adapters/ai does. A failure throws ModelError.
   */
  transcribe?(request: TranscriptionRequest): Promise<TranscriptionResult>;
  /** Text embeddings (optional for test doubles, like `transcribe`; every adapter of adapters/ai has it). A failure throws ModelError. */
  embed?(request: EmbeddingRequest): Promise<EmbeddingResult>;
}

/** Why a model call failed; each maps to one stable problem code. */
export type ModelFailure = 'rate_limited' | 'timeout' | 'unavailable' | 'invalid_output' | 'aborted';

export const MODEL_FAILURES: readonly ModelFailure[] = ['rate_limited', 'timeout', 'unavailable', 'invalid_output', 'aborted'];

/**
 * 499 is the status for "the client closed the request": nobody reads an aborted call's answer,
 * and it must not count as a server failure in logs and alarms.
 */
export const CLIENT_CLOSED_REQUEST = 499;

const FAILURE_PROBLEMS: Readonly<Record<ModelFailure, { status: number; code: string; message: string }>> = {
  rate_limited: { status: 503, code: 'model_rate_limited', message: 'The language model is busy; try again shortly.' },
  timeout: { status: 504, code: 'model_timeout', message: 'The language model did not answer in time.' },
  unavailable: { status: 502, code: 'model_unavailable', message: 'The language model is unavailable.' },
  invalid_output: { status: 502, code: 'model_invalid_output', message: 'The language model gave an answer that does not fit the expected shape.' },
  aborted: { status: CLIENT_CLOSED_REQUEST, code: 'model_aborted', message: 'The request was cancelled.' },
};

/** A model call failed; `reason` says why, and the status and code follow from it. */
export class ModelError extends AppError {
  readonly reason: ModelFailure;
  /** For rate_limited: how long the provider asked us to wait (also the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(reason: ModelFailure, options: { retryAfterSeconds?: number; message?: string } = {}) {
    const problem = FAILURE_PROBLEMS[reason];
    const retryAfter = reason === 'rate_limited' ? Math.max(1, Math.ceil(options.retryAfterSeconds ?? 1)) : undefined;
    super(problem.status, problem.code, options.message ?? problem.message, retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } });
    this.name = 'ModelError';
    this.reason = reason;
    this.retryAfterSeconds = retryAfter;
  }
}
