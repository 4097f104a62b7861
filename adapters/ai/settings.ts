/**
 * Which language model the app talks to, read from the environment. Azure OpenAI wins when its
 * endpoint and key are set, then OpenAI when its key is set; otherwise the offline provider, so
 * a fresh checkout works. Half a configuration (an endpoint without its key) stops start-up:
 * silently falling back to offline answers in production would be worse than not starting.
 */
import { ConfigError, httpUrl, integer, text, type Env } from '../../kernel/env.ts';

export const DEFAULT_MODEL = 'gpt-4.1-mini';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';
/** Per attempt. With one retry and the SDK's backoff this stays well inside an HTTP function's 230 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 1;
/** Speech to text: the OpenAI model, or the name of the Azure deployment that serves it. */
export const DEFAULT_TRANSCRIPTION_MODEL = 'whisper-1';
/** Text embeddings: the OpenAI model, or the name of the Azure deployment that serves it. */
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';

interface CallLimits {
  timeoutMs: number;
  maxRetries: number;
  /** OPENAI_TRANSCRIPTION_MODEL, or AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT on Azure; default whisper-1. */
  transcriptionModel?: string;
  /** OPENAI_EMBEDDING_MODEL, or AZURE_OPENAI_EMBEDDING_DEPLOYMENT on Azure; default text-embedding-3-small. */
  embeddingModel?: string;
}

export type AiSettings =
  | ({ provider: 'azure-openai'; endpoint: string; apiKey: string; deployment: string; apiVersion: string } & CallLimits)
  | ({ provider: 'openai'; apiKey: string; baseURL: string | undefined; model: string } & CallLimits)
  | { provider: 'offline' };

function requiredWith(env: Env, name: string, because: string): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(name, `must be set when ${because} is set`);
  return value;
}

export function loadAiSettings(env: Env = process.env): AiSettings {
  const limits: CallLimits = {
    timeoutMs: integer(env, 'AI_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 100, 600_000),
    maxRetries: integer(env, 'AI_MAX_RETRIES', DEFAULT_MAX_RETRIES, 0, 10),
    transcriptionModel: DEFAULT_TRANSCRIPTION_MODEL,
    embeddingModel: DEFAULT_EMBEDDING_MODEL,
  };
  const azureEndpoint = httpUrl(env, 'AZURE_OPENAI_ENDPOINT');
  const azureKey = text(env, 'AZURE_OPENAI_API_KEY');
  if (azureEndpoint !== undefined || azureKey !== undefined) {
    return {
      provider: 'azure-openai',
      endpoint: azureEndpoint ?? requiredWith(env, 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY'),
      apiKey: azureKey ?? requiredWith(env, 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT'),
      deployment: text(env, 'AZURE_OPENAI_DEPLOYMENT') ?? DEFAULT_MODEL,
      apiVersion: text(env, 'AZURE_OPENAI_API_VERSION') ?? DEFAULT_AZURE_API_VERSION,
      ...limits,
      transcriptionModel: text(env, 'AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT') ?? DEFAULT_TRANSCRIPTION_MODEL,
      embeddingModel: text(env, 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT') ?? DEFAULT_EMBEDDING_MODEL,
    };
  }
  const baseURL = httpUrl(env, 'OPENAI_BASE_URL');
  const openaiKey = text(env, 'OPENAI_API_KEY');
  if (openaiKey !== undefined) {
    return {
      provider: 'openai', apiKey: openaiKey, baseURL, model: text(env, 'OPENAI_MODEL') ?? DEFAULT_MODEL,
      ...limits, transcriptionModel: text(env, 'OPENAI_TRANSCRIPTION_MODEL') ?? DEFAULT_TRANSCRIPTION_MODEL,
      embeddingModel: text(env, 'OPENAI_EMBEDDING_MODEL') ?? DEFAULT_EMBEDDING_MODEL,
    };
  }
  if (baseURL !== undefined) requiredWith(env, 'OPENAI_API_KEY', 'OPENAI_BASE_URL');
  return { provider: 'offline' };
}
