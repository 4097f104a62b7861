/**
 * The `openai` SDK behind the LanguageModel port: AzureOpenAI or OpenAI, chosen by the settings.
 * Structured answers use strict `json_schema` output and are validated again with ajv; streams ask
 * for a final usage chunk. Every SDK failure leaves this module as a ModelError, so handlers see
 * one vocabulary whichever provider answered. Imported only on the first model call.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AzureOpenAI,
  OpenAI,
  RateLimitError,
  toFile,
} from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import type { ChatCompletionChunk, ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  ModelError,
  type ChatMessage,
  type EmbeddingRequest,
  type EmbeddingResult,
  type LanguageModel,
  type ModelUsage,
  type StreamChunk,
  type StreamRequest,
  type StructuredRequest,
  type StructuredResult,
  type TranscriptionRequest,
  type TranscriptionResult,
} from '../../domain/ai.ts';
import { AUDIO_EXTENSIONS, type AudioType } from '../../domain/audio.ts';
import { DEFAULT_EMBEDDING_MODEL, DEFAULT_TRANSCRIPTION_MODEL, type AiSettings } from './settings.ts';
import { parseStructured } from './structured.ts';
import { estimateInputTokens, estimateTokens } from './usage.ts';
import { abortAwareFetch } from '../http/abort-aware-fetch.ts';
import { retryAfterSeconds } from '../http/retry-after.ts';
import { hashUserId } from './observed-model.ts';

type RemoteSettings = Exclude<AiSettings, { provider: 'offline' }>;

export function createOpenAIClient(settings: RemoteSettings): OpenAI {
  const common = { timeout: settings.timeoutMs, maxRetries: settings.maxRetries, logLevel: 'off' as const, fetch: abortAwareFetch };
  if (settings.provider === 'azure-openai') {
    return new AzureOpenAI({
      endpoint: settings.endpoint,
      apiKey: settings.apiKey,
      deployment: settings.deployment,
      apiVersion: settings.apiVersion,
      ...common,
    });
  }
  return new OpenAI({ apiKey: settings.apiKey, ...(settings.baseURL ? { baseURL: settings.baseURL } : {}), ...common });
}

export function toChatMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    if (message.role === 'system') return { role: 'system', content: message.content };
    if (message.role === 'assistant') return { role: 'assistant', content: message.content };
    if (!message.images?.length) return { role: 'user', content: message.content };
    const parts: ChatCompletionContentPart[] = [{ type: 'text', text: message.content }];
    for (const image of message.images) {
      parts.push({ type: 'image_url', image_url: { url: `data:${image.mediaType};base64,${image.base64}` } });
    }
    return { role: 'user', content: parts };
  });
}

/** Why the call stopped, in the port's words. `timedOut` is our own stream idle timer. */
export function toModelError(error: unknown, signal: AbortSignal | undefined, timedOut = false): ModelError {
  if (error instanceof ModelError) return error;
  if (signal?.aborted) return new ModelError('aborted');
  if (timedOut || error instanceof APIConnectionTimeoutError) return new ModelError('timeout');
  if (error instanceof APIUserAbortError) return new ModelError('aborted');
  if (error instanceof RateLimitError) {
    const wait = retryAfterSeconds(error.headers);
    return new ModelError('rate_limited', wait === undefined ? {} : { retryAfterSeconds: wait });
  }
  if (error instanceof LengthFinishReasonError || error instanceof ContentFilterFinishReasonError) return new ModelError('invalid_output');
  if (error instanceof APIConnectionError) return new ModelError('unavailable');
  if (error instanceof APIError) {
    // A 4xx other than 429 is our configuration (key, deployment, API version) or a refused
    // prompt: the client can do nothing about it, so it is the model being unavailable to us.
    return new ModelError('unavailable', { message: `The language model refused the call (status ${error.status ?? 'unknown'}).` });
  }
  // A body that breaks midway surfaces as a fetch TypeError ("terminated") or a parse error.
  return new ModelError('unavailable');
}

function usageOf(usage: { prompt_tokens: number; completion_tokens: number } | null | undefined): ModelUsage | undefined {
  return usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : undefined;
}

/**
 * The SDK's timeout covers the wait for response headers; a stream that stalls afterwards would
 * hang the function until its deadline. This aborts when no chunk arrives for `idleMs`.
 */
class IdleTimer {
  readonly controller = new AbortController();
  timedOut = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #idleMs: number;

  constructor(idleMs: number) {
    this.#idleMs = idleMs;
  }

  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.#idleMs);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * The vectors in input order (the API numbers each by `index`; its order in `data` is not
 * promised), one per input, all of one length (`dimensions` when asked), every number finite.
 */
export function orderedVectors(data: readonly { index: number; embedding: readonly number[] | string }[], count: number, dimensions?: number): number[][] {
  const invalid = (detail: string) => new ModelError('invalid_output', { message: `The embedding model's answer does not fit: ${detail}.` });
  if (data.length !== count) throw invalid(`${data.length} vectors for ${count} texts`);
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(count).fill(undefined);
  for (const item of data) {
    if (!Number.isInteger(item.index) || item.index < 0 || item.index >= count || vectors[item.index]) throw invalid(`index ${item.index} is out of place`);
    if (typeof item.embedding === 'string') throw invalid('a vector was not decoded');
    vectors[item.index] = Array.from(item.embedding);
  }
  const length = dimensions ?? vectors[0]?.length ?? 0;
  for (const vector of vectors as number[][]) {
    if (vector.length !== length || length === 0) throw invalid(`a vector of ${vector.length} numbers where ${length} were expected`);
    if (!vector.every(Number.isFinite)) throw invalid('a vector holds a number that is not finite');
  }
  return vectors as number[][];
}

export class OpenAILanguageModel implements LanguageModel {
  readonly provider: RemoteSettings['provider'];
  readonly model: string;
  readonly #client: OpenAI;
  readonly #idleMs: number;
  readonly #settings: RemoteSettings;
  readonly #transcriptionModel: string;
  readonly #embeddingModel: string;
  /** Azure clients of the other deployments (speech to text, embeddings), by deployment name. */
  readonly #deploymentClients = new Map<string, OpenAI>();

  constructor(settings: RemoteSettings, client: OpenAI = createOpenAIClient(settings)) {
    this.provider = settings.provider;
    this.model = settings.provider === 'azure-openai' ? settings.deployment : settings.model;
    this.#client = client;
    this.#idleMs = settings.timeoutMs;
    this.#settings = settings;
    this.#transcriptionModel = settings.transcriptionModel ?? DEFAULT_TRANSCRIPTION_MODEL;
    this.#embeddingModel = settings.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;
  }

  /** On Azure a client is bound to one deployment, and speech to text and embeddings have their own. */
  #clientFor(deployment: string): OpenAI {
    const settings = this.#settings;
    if (settings.provider !== 'azure-openai') return this.#client;
    let client = this.#deploymentClients.get(deployment);
    if (!client) {
      client = createOpenAIClient({ ...settings, deployment });
      this.#deploymentClients.set(deployment, client);
    }
    return client;
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    const extension = AUDIO_EXTENSIONS[request.contentType as AudioType] ?? 'bin';
    try {
      const file = await toFile(request.audio, `audio.${extension}`, { type: request.contentType });
      const text = await this.#clientFor(this.#transcriptionModel).audio.transcriptions.create(
        { file, model: this.#transcriptionModel, response_format: 'text' },
        request.signal ? { signal: request.signal } : {},
      );
      return { text: String(text).trim(), model: this.#transcriptionModel, offline: false };
    } catch (error) {
      throw toModelError(error, request.signal);
    }
  }

  async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    let response;
    try {
      // No encoding_format: the SDK asks for base64 (a quarter of the JSON) and decodes it to numbers.
      response = await this.#clientFor(this.#embeddingModel).embeddings.create(
        {
          model: this.#embeddingModel,
          input: [...request.input],
          ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
          ...(request.userId === undefined ? {} : { user: hashUserId(request.userId) }),
        },
        request.signal ? { signal: request.signal } : {},
      );
    } catch (error) {
      throw toModelError(error, request.signal);
    }
    const vectors = orderedVectors(response.data, request.input.length, request.dimensions);
    const inputTokens = response.usage?.prompt_tokens ?? request.input.reduce((sum, text) => sum + estimateTokens(text), 0);
    return { vectors, model: response.model || this.#embeddingModel, usage: { inputTokens, outputTokens: 0 }, offline: false };
  }

  #common(request: StructuredRequest<unknown> | StreamRequest) {
    return {
      model: this.model,
      messages: toChatMessages(request.messages),
      ...(request.maxOutputTokens === undefined ? {} : { max_completion_tokens: request.maxOutputTokens }),
      // `user` (not the newer safety_identifier) because Azure's GA API versions accept it.
      ...(request.userId === undefined ? {} : { user: hashUserId(request.userId) }),
    };
  }

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    let completion;
    try {
      completion = await this.#client.chat.completions.create(
        {
          ...this.#common(request),
          response_format: { type: 'json_schema', json_schema: { name: request.schema.name, schema: request.schema.schema, strict: true } },
        },
        request.signal ? { signal: request.signal } : {},
      );
    } catch (error) {
      throw toModelError(error, request.signal);
    }
    const choice = completion.choices[0];
    if (choice?.finish_reason === 'length') throw new ModelError('invalid_output', { message: 'The language model ran out of output tokens.' });
    if (choice?.message.refusal) throw new ModelError('invalid_output', { message: 'The language model refused to answer.' });
    const value = parseStructured<T>(request.schema, choice?.message.content);
    const usage = usageOf(completion.usage) ?? {
      inputTokens: estimateInputTokens(request.messages),
      outputTokens: estimateTokens(choice?.message.content ?? ''),
    };
    return { value, model: completion.model || this.model, usage, offline: false };
  }

  async *stream(request: StreamRequest): AsyncGenerator<StreamChunk> {
    const idle = new IdleTimer(this.#idleMs);
    const signal = request.signal ? AbortSignal.any([request.signal, idle.controller.signal]) : idle.controller.signal;
    let usage: ModelUsage | undefined;
    let model = this.model;
    let text = '';
    try {
      const stream = await this.#client.chat.completions.create(
        { ...this.#common(request), stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      idle.touch();
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        idle.touch();
        if (chunk.model) model = chunk.model;
        usage = usageOf(chunk.usage) ?? usage;
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) {
          text += delta;
          yield { type: 'delta', text: delta };
        }
      }
    } catch (error) {
      throw toModelError(error, request.signal, idle.timedOut);
    } finally {
      idle.stop();
    }
    // The SDK ends an aborted stream quietly; a cut-off answer must not look complete.
    if (request.signal?.aborted) throw new ModelError('aborted');
    if (idle.timedOut) throw new ModelError('timeout');
    usage ??= { inputTokens: estimateInputTokens(request.messages), outputTokens: estimateTokens(text) };
    yield { type: 'done', model, usage, offline: false };
  }
}
