/**
 * Decorates any LanguageModel so every call is reported once, when it ends: to the log line,
 * and to whichever tracing back ends are configured (OpenTelemetry, Langfuse). Observers get the
 * task, provider, model, token usage, latency and outcome, never the prompt or the answer text,
 * so nothing a user wrote can leak through telemetry.
 */
import { createHash } from 'node:crypto';
import {
  ModelError,
  type EmbeddingRequest,
  type EmbeddingResult,
  type LanguageModel,
  type ModelFailure,
  type ModelUsage,
  type StreamChunk,
  type StreamRequest,
  type StructuredRequest,
  type StructuredResult,
  type TranscriptionRequest,
  type TranscriptionResult,
} from '../../domain/ai.ts';
import { METRIC, type Metrics } from '../../domain/metrics.ts';
import type { Logger } from '../../middleware/logger.ts';

export type ModelOutcome = 'ok' | ModelFailure | 'error';

export interface ModelCallReport {
  task: string;
  kind: 'structured' | 'stream' | 'transcription' | 'embedding';
  provider: LanguageModel['provider'];
  /** The model that answered (as the provider reported it), or the configured one on failure. */
  model: string;
  outcome: ModelOutcome;
  usage: ModelUsage | undefined;
  startedAt: Date;
  latencyMs: number;
  /** For streams: deltas delivered before the end (a failure midway shows how far it got). */
  deltas?: number;
  requestId?: string;
  /** The caller's W3C traceparent: the span's parent. */
  traceparent?: string;
  /** A one-way hash of the user id: enough to group calls per user, useless to identify one. */
  userHash?: string;
}

export interface ModelObserver {
  /** Must not throw or block: telemetry never fails a model call. */
  report(call: ModelCallReport): void;
}

export function hashUserId(userId: string): string {
  return createHash('sha256').update(`portico-user:${userId}`).digest('hex').slice(0, 32);
}

function outcomeOf(error: unknown): ModelOutcome {
  return error instanceof ModelError ? error.reason : 'error';
}

/** The one log line per model call. Failures are warnings: the caller decides what is an error. */
export function loggingObserver(logger: Logger): ModelObserver {
  return {
    report(call) {
      const line = {
        task: call.task,
        kind: call.kind,
        provider: call.provider,
        model: call.model,
        // Token counts; not named `*Tokens`, which the log redactor treats as credentials.
        usage: call.usage ? { input: call.usage.inputTokens, output: call.usage.outputTokens } : null,
        latencyMs: call.latencyMs,
        outcome: call.outcome,
        ...(call.deltas === undefined ? {} : { deltas: call.deltas }),
        ...(call.requestId === undefined ? {} : { requestId: call.requestId }),
      };
      if (call.outcome === 'ok') logger.info(line, 'model call');
      else logger.warn(line, 'model call failed');
    },
  };
}

/**
 * Calls, latency and tokens in and out per task. Usage is the provider's count, or the estimate
 * of usage.ts where the provider gives none (offline); a failed call has none and adds no tokens.
 */
export function metricsObserver(metrics: Metrics): ModelObserver {
  const calls = metrics.counter(METRIC.aiCalls, { unit: '{call}', description: 'Model calls by task, provider and outcome' });
  const tokens = metrics.counter(METRIC.aiTokens, { unit: '{token}', description: 'Model tokens by task, provider and type (input, output)' });
  const duration = metrics.histogram(METRIC.aiDuration, { unit: 'ms', description: 'Model call latency by task and provider' });
  return {
    report(call) {
      const series = { task: call.task, provider: call.provider };
      calls.add(1, { ...series, outcome: call.outcome });
      duration.record(call.latencyMs, series);
      if (!call.usage) return;
      tokens.add(call.usage.inputTokens, { ...series, type: 'input' });
      tokens.add(call.usage.outputTokens, { ...series, type: 'output' });
    },
  };
}

export class ObservedLanguageModel implements LanguageModel {
  readonly provider: LanguageModel['provider'];
  readonly model: string;
  readonly #inner: LanguageModel;
  readonly #observers: readonly ModelObserver[];

  constructor(inner: LanguageModel, observers: readonly ModelObserver[]) {
    this.#inner = inner;
    this.#observers = observers;
    this.provider = inner.provider;
    this.model = inner.model;
  }

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const started = this.#start();
    try {
      const result = await this.#inner.structured(request);
      this.#report(request, 'structured', started, { outcome: 'ok', model: result.model, usage: result.usage });
      return result;
    } catch (error) {
      this.#report(request, 'structured', started, { outcome: outcomeOf(error), model: this.model, usage: undefined });
      throw error;
    }
  }

  async *stream(request: StreamRequest): AsyncGenerator<StreamChunk> {
    const started = this.#start();
    let deltas = 0;
    let ended = false;
    try {
      for await (const chunk of this.#inner.stream(request)) {
        if (chunk.type === 'done') {
          ended = true;
          this.#report(request, 'stream', started, { outcome: 'ok', model: chunk.model, usage: chunk.usage, deltas });
        } else {
          deltas += 1;
        }
        yield chunk;
      }
    } catch (error) {
      ended = true;
      this.#report(request, 'stream', started, { outcome: outcomeOf(error), model: this.model, usage: undefined, deltas });
      throw error;
    } finally {
      // The consumer stopped reading before `done` (client gone): the call was abandoned.
      if (!ended) this.#report(request, 'stream', started, { outcome: 'aborted', model: this.model, usage: undefined, deltas });
    }
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    if (!this.#inner.transcribe) throw new ModelError('unavailable', { message: 'This language model cannot transcribe audio.' });
    const started = this.#start();
    try {
      const result = await this.#inner.transcribe(request);
      // Whisper reports no token usage for text output; the call and its latency are still counted.
      this.#report(request, 'transcription', started, { outcome: 'ok', model: result.model, usage: undefined });
      return result;
    } catch (error) {
      this.#report(request, 'transcription', started, { outcome: outcomeOf(error), model: this.model, usage: undefined });
      throw error;
    }
  }

  async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    if (!this.#inner.embed) throw new ModelError('unavailable', { message: 'This language model cannot embed text.' });
    const started = this.#start();
    try {
      const result = await this.#inner.embed(request);
      this.#report(request, 'embedding', started, { outcome: 'ok', model: result.model, usage: result.usage });
      return result;
    } catch (error) {
      this.#report(request, 'embedding', started, { outcome: outcomeOf(error), model: this.model, usage: undefined });
      throw error;
    }
  }

  #start() {
    return { at: new Date(), mark: performance.now() };
  }

  #report(
    request: StructuredRequest<unknown> | StreamRequest | TranscriptionRequest | EmbeddingRequest,
    kind: ModelCallReport['kind'],
    started: { at: Date; mark: number },
    end: Pick<ModelCallReport, 'outcome' | 'model' | 'usage' | 'deltas'>,
  ): void {
    const report: ModelCallReport = {
      task: request.task,
      kind,
      provider: this.provider,
      startedAt: started.at,
      latencyMs: Math.round(performance.now() - started.mark),
      ...end,
      ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
      ...(request.traceparent === undefined ? {} : { traceparent: request.traceparent }),
      ...(request.userId === undefined ? {} : { userHash: hashUserId(request.userId) }),
    };
    for (const observer of this.#observers) {
      try {
        observer.report(report);
      } catch {
        // An observer's bug must not turn a good answer into a failure.
      }
    }
  }
}
