/**
 * The offline provider: no network, deterministic, labelled `offline` in every result. It answers
 * with the request's own `offline()` (only the caller knows what a useful answer is), validates it
 * against the schema like a model's answer, and streams text in word-sized deltas so consumers
 * exercise the same code path as with a real model.
 */
import {
  ModelError,
  type EmbeddingRequest,
  type EmbeddingResult,
  type LanguageModel,
  type StreamChunk,
  type StreamRequest,
  type StructuredRequest,
  type StructuredResult,
  type TranscriptionRequest,
  type TranscriptionResult,
} from '../../domain/ai.ts';
import { describeDuration, sniffAudio } from '../../domain/audio.ts';
import { hashedEmbedding, OFFLINE_EMBEDDING_DIMENSIONS } from './offline-embedding.ts';
import { estimateTokens, estimateUsage } from './usage.ts';
import { validateStructured } from './structured.ts';

export const OFFLINE_MODEL = 'offline';

/** Words with their trailing whitespace, so the deltas join back to exactly the text. */
export function wordDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ModelError('aborted');
}

export class OfflineLanguageModel implements LanguageModel {
  readonly provider = 'offline' as const;
  readonly model = OFFLINE_MODEL;

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    throwIfAborted(request.signal);
    const value = validateStructured<T>(request.schema, request.offline());
    return { value, model: this.model, usage: estimateUsage(request.messages, JSON.stringify(value)), offline: true };
  }

  async *stream(request: StreamRequest): AsyncGenerator<StreamChunk> {
    throwIfAborted(request.signal);
    const text = request.offline();
    for (const delta of wordDeltas(text)) {
      // Yield to the event loop between deltas, as a network stream would, so aborts are seen.
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfAborted(request.signal);
      yield { type: 'delta', text: delta };
    }
    yield { type: 'done', model: this.model, usage: estimateUsage(request.messages, text), offline: true };
  }

  /** No speech recognition offline: a placeholder that says what was heard, and for how long. */
  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    throwIfAborted(request.signal);
    const info = sniffAudio(request.audio);
    const duration = typeof info === 'string' ? 'unknown duration' : describeDuration(info.durationSeconds);
    return { text: offlineTranscript(request.contentType, duration), model: this.model, offline: true };
  }

  /** Hashed bag-of-words vectors (offline-embedding.ts): deterministic, similar texts closer than unrelated ones. */
  async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    throwIfAborted(request.signal);
    const dimensions = request.dimensions ?? OFFLINE_EMBEDDING_DIMENSIONS;
    const vectors = request.input.map((text) => hashedEmbedding(text, dimensions));
    const inputTokens = request.input.reduce((sum, text) => sum + estimateTokens(text), 0);
    return { vectors, model: this.model, usage: { inputTokens, outputTokens: 0 }, offline: true };
  }
}

export const offlineTranscript = (contentType: string, duration: string): string =>
  `(offline transcript: ${duration} of ${contentType} audio; no speech recognition without a model key)`;
