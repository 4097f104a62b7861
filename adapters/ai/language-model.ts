/**
 * Builds the app's LanguageModel from the settings: the offline provider, or the OpenAI adapter
 * whose module (and the `openai` SDK) is imported on the first call, so a cold start that never
 * asks the model never loads it. Every model is wrapped so each call is logged and traced.
 */
import type {
  EmbeddingRequest,
  EmbeddingResult,
  LanguageModel,
  StreamChunk,
  StreamRequest,
  StructuredRequest,
  StructuredResult,
  TranscriptionRequest,
  TranscriptionResult,
} from '../../domain/ai.ts';
import { OfflineLanguageModel } from './offline-model.ts';
import { ObservedLanguageModel, type ModelObserver } from './observed-model.ts';
import type { AiSettings } from './settings.ts';

type RemoteSettings = Exclude<AiSettings, { provider: 'offline' }>;

class LazyOpenAIModel implements LanguageModel {
  readonly provider: RemoteSettings['provider'];
  readonly model: string;
  readonly #settings: RemoteSettings;
  #loading: Promise<LanguageModel> | undefined;

  constructor(settings: RemoteSettings) {
    this.#settings = settings;
    this.provider = settings.provider;
    this.model = settings.provider === 'azure-openai' ? settings.deployment : settings.model;
  }

  #load(): Promise<LanguageModel> {
    this.#loading ??= import('./openai-model.ts').then(({ OpenAILanguageModel }) => new OpenAILanguageModel(this.#settings));
    return this.#loading;
  }

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    return (await this.#load()).structured(request);
  }

  async *stream(request: StreamRequest): AsyncGenerator<StreamChunk> {
    yield* (await this.#load()).stream(request);
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    const model = await this.#load();
    return model.transcribe!(request);
  }

  async embed(request: EmbeddingRequest): Promise<EmbeddingResult> {
    const model = await this.#load();
    return model.embed!(request);
  }
}

export function createLanguageModel(settings: AiSettings, observers: readonly ModelObserver[]): LanguageModel {
  const inner = settings.provider === 'offline' ? new OfflineLanguageModel() : new LazyOpenAIModel(settings);
  return new ObservedLanguageModel(inner, observers);
}
