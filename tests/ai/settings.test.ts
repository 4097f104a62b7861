/**
 * Provider selection from the environment, refusal of half configurations at start-up, and the
 * lazily loaded adapter answering through the factory the port catalog (app/ports.ts) uses.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../kernel/env.ts';
import { DEFAULT_AZURE_API_VERSION, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, loadAiSettings } from '../../adapters/ai/settings.ts';
import { createLanguageModel } from '../../adapters/ai/language-model.ts';
import { loggingObserver } from '../../adapters/ai/observed-model.ts';
import { captureLogger } from '../support/platform.ts';
import { startOpenAIServer, textReply, type OpenAITestServer } from '../support/openai-server.ts';

describe('choosing the language model provider', () => {
  it('is offline with nothing set', () => {
    expect(loadAiSettings({})).toEqual({ provider: 'offline' });
  });

  it('is Azure OpenAI when its endpoint and key are set, with the deployment and API version defaults', () => {
    expect(loadAiSettings({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com/', AZURE_OPENAI_API_KEY: 'k', OPENAI_API_KEY: 'ignored' })).toEqual({
      provider: 'azure-openai',
      endpoint: 'https://r.openai.azure.com/',
      apiKey: 'k',
      deployment: 'gpt-4.1-mini',
      apiVersion: DEFAULT_AZURE_API_VERSION,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxRetries: DEFAULT_MAX_RETRIES,
      transcriptionModel: 'whisper-1',
      embeddingModel: 'text-embedding-3-small',
    });
    expect(
      loadAiSettings({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com/', AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_DEPLOYMENT: 'dep', AZURE_OPENAI_API_VERSION: '2025-01-01', AI_TIMEOUT_MS: '9000', AI_MAX_RETRIES: '0', AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'stt', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'emb' }),
    ).toMatchObject({ deployment: 'dep', apiVersion: '2025-01-01', timeoutMs: 9000, maxRetries: 0, transcriptionModel: 'stt', embeddingModel: 'emb' });
  });

  it('is OpenAI when only OPENAI_API_KEY is set, with the model default and an optional base URL', () => {
    expect(loadAiSettings({ OPENAI_API_KEY: 'sk' })).toEqual({ provider: 'openai', apiKey: 'sk', baseURL: undefined, model: 'gpt-4.1-mini', timeoutMs: DEFAULT_TIMEOUT_MS, maxRetries: DEFAULT_MAX_RETRIES, transcriptionModel: 'whisper-1', embeddingModel: 'text-embedding-3-small' });
    expect(loadAiSettings({ OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODEL: 'm', OPENAI_TRANSCRIPTION_MODEL: 'stt', OPENAI_EMBEDDING_MODEL: 'emb' })).toMatchObject({ baseURL: 'http://127.0.0.1:9/v1', model: 'm', transcriptionModel: 'stt', embeddingModel: 'emb' });
  });

  it.each([
    [{ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com/' }, 'AZURE_OPENAI_API_KEY'],
    [{ AZURE_OPENAI_API_KEY: 'k' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ AZURE_OPENAI_ENDPOINT: 'not a url', AZURE_OPENAI_API_KEY: 'k' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, 'OPENAI_API_KEY'],
    [{ OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'ftp://x' }, 'OPENAI_BASE_URL'],
    [{ AI_TIMEOUT_MS: 'soon' }, 'AI_TIMEOUT_MS'],
    [{ AI_MAX_RETRIES: '99' }, 'AI_MAX_RETRIES'],
  ])('refuses %j at start-up, naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadAiSettings(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toContain(variable);
  });
});

describe('the composed model', () => {
  let server: OpenAITestServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ responder: () => textReply('from the server') });
  });
  afterAll(() => server.close());

  it('is what the app builds as its model port from the environment, without calling it', async () => {
    const { createApp } = await import('../../app/app.ts');
    const app = createApp({ services: [], env: { LOG_LEVEL: 'silent', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_MODEL: 'served-model' } });
    expect(app.ports.model).toMatchObject({ provider: 'openai', model: 'served-model' });
    expect(createApp({ services: [], env: { LOG_LEVEL: 'silent' } }).ports.model).toMatchObject({ provider: 'offline' });
    expect(server.requests).toHaveLength(0);
  });

  it('is the configured provider, loads the SDK on first use, and logs each call', async () => {
    const { logger, records } = captureLogger();
    const settings = loadAiSettings({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_MODEL: 'served-model' });
    const model = createLanguageModel(settings, [loggingObserver(logger)]);
    expect(model).toMatchObject({ provider: 'openai', model: 'served-model' });
    expect(server.requests).toHaveLength(0);
    let text = '';
    for await (const chunk of model.stream({ task: 'test.chat', messages: [{ role: 'user', content: 'hi' }], offline: () => 'offline answer' })) {
      if (chunk.type === 'delta') text += chunk.text;
    }
    expect(text).toBe('from the server');
    expect(server.requests).toHaveLength(1);
    expect(records().find((r) => r.task === 'test.chat')).toMatchObject({ provider: 'openai', model: 'served-model', outcome: 'ok', usage: { input: expect.any(Number), output: 4 } });
  });

  it('is the offline provider, labelled, when nothing is configured', async () => {
    const model = createLanguageModel(loadAiSettings({}), []);
    expect(model).toMatchObject({ provider: 'offline', model: 'offline' });
    const chunks = [];
    for await (const chunk of model.stream({ task: 't', messages: [], offline: () => 'offline answer' })) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ type: 'done', offline: true, model: 'offline' });
  });
});

describe('start-up validation', () => {
  it('stops the app when Azure OpenAI is half configured, naming the missing variable', async () => {
    const { createApp } = await import('../../app/app.ts');
    const { services } = await import('../../app/services.ts');
    expect(() => createApp({ services, env: {} }).validate()).not.toThrow();
    expect(() => createApp({ services, env: { AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com/' } }).validate()).toThrow(/AZURE_OPENAI_API_KEY/);
  });
});
