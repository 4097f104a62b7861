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
}

/** Why a model call failed; each maps to one stable problem code. */
export type ModelFailure = 'rate_limited' | 'timeout' | 'unavailable' | 'invalid_output' | 'aborted';
