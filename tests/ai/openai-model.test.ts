/**
 * The real `openai` SDK, as OpenAI and as Azure OpenAI, against the local test server: answers,
 * every fault the server can inject, and what the model was sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ModelError, type LanguageModel, type StreamChunk } from '../../domain/ai.ts';
import { OpenAILanguageModel } from '../../adapters/ai/openai-model.ts';
import type { AiSettings } from '../../adapters/ai/settings.ts';
import { jsonReply, startOpenAIServer, testEmbedding, textReply, type OpenAITestServer } from '../support/openai-server.ts';

const schema = {
  name: 'garment',
  schema: {
    type: 'object',
    properties: { category: { type: 'string', enum: ['top', 'bottom'] }, colours: { type: 'array', items: { type: 'string' } } },
    required: ['category', 'colours'],
    additionalProperties: false,
  },
};
const offline = () => {
  throw new Error('the offline answer must not be used when a provider is configured');
};

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

type Remote = Exclude<AiSettings, { provider: 'offline' }>;
const providers: [string, (limits: { timeoutMs: number; maxRetries: number }) => Remote][] = [
  ['openai', (limits) => ({ provider: 'openai', apiKey: 'sk-test', baseURL: server.openaiBaseURL, model: 'gpt-test', embeddingModel: 'embed-test', ...limits })],
  [
    'azure-openai',
    (limits) => ({ provider: 'azure-openai', endpoint: server.url, apiKey: 'azure-test-key', deployment: 'wardrobe-dep', apiVersion: '2024-10-21', embeddingModel: 'embed-dep', ...limits }),
  ],
];

async function collect(stream: AsyncIterable<StreamChunk>, onDelta?: (count: number) => void): Promise<{ chunks: StreamChunk[]; error: unknown }> {
  const chunks: StreamChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunk.type === 'delta') onDelta?.(chunks.length);
    }
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

const deltasOf = (chunks: StreamChunk[]) => chunks.flatMap((c) => (c.type === 'delta' ? [c.text] : []));

describe.each(providers)('the %s adapter against the test server', (provider, settingsFor) => {
  const model = (limits: Partial<{ timeoutMs: number; maxRetries: number }> = {}): LanguageModel =>
    new OpenAILanguageModel(settingsFor({ timeoutMs: 5_000, maxRetries: 0, ...limits }));

  it('sends strict json_schema output and returns the validated answer with the usage reported', async () => {
    server.enqueue(jsonReply({ category: 'top', colours: ['navy'] }, { usage: { prompt_tokens: 321, completion_tokens: 12 } }));
    const result = await model().structured({
      task: 'test.garment',
      userId: 'user-42',
      maxOutputTokens: 300,
      messages: [
        { role: 'system', content: 'You label garments.' },
        { role: 'user', content: 'Label this.', images: [{ mediaType: 'image/png', base64: 'iVBORw0KGgo=' }] },
      ],
      schema,
      offline,
    });
    const expectedModel = provider === 'azure-openai' ? 'wardrobe-dep' : 'gpt-test';
    expect(result).toEqual({ value: { category: 'top', colours: ['navy'] }, model: expectedModel, usage: { inputTokens: 321, outputTokens: 12 }, offline: false });

    const [sent] = server.requests;
    expect(sent?.responseFormat).toEqual({ type: 'json_schema', json_schema: { name: 'garment', schema: schema.schema, strict: true } });
    expect(sent?.messages).toEqual([
      { role: 'system', content: 'You label garments.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Label this.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
    expect(sent?.body.max_completion_tokens).toBe(300);
    // The user is identified by a stable hash, never by the id itself.
    expect(sent?.body.user).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(sent?.body)).not.toContain('user-42');
    if (provider === 'azure-openai') {
      expect(sent).toMatchObject({ path: '/openai/deployments/wardrobe-dep/chat/completions', deployment: 'wardrobe-dep', apiVersion: '2024-10-21', credential: 'azure-test-key' });
    } else {
      expect(sent).toMatchObject({ path: '/v1/chat/completions', model: 'gpt-test', credential: 'Bearer sk-test' });
    }
  });

  it('refuses a structured answer that breaks the schema, or is not JSON, as invalid_output', async () => {
    server.enqueue(jsonReply({ category: 'hat', colours: [] }), { content: 'Sure! It is a top.' });
    const ask = () => model().structured({ task: 'test.garment', messages: [{ role: 'user', content: 'x' }], schema, offline });
    await expect(ask()).rejects.toMatchObject({ name: 'ModelError', reason: 'invalid_output', status: 502, code: 'model_invalid_output' });
    await expect(ask()).rejects.toMatchObject({ reason: 'invalid_output' });
  });

  it('maps a 429 to rate_limited with the server retry-after when retries are off', async () => {
    server.enqueue({ fault: 429, retryAfterSeconds: 7 });
    const error = await model({ maxRetries: 0 })
      .structured({ task: 'test.garment', messages: [], schema, offline })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ reason: 'rate_limited', status: 503, code: 'model_rate_limited', retryAfterSeconds: 7, headers: { 'retry-after': '7' } });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 429 and then succeeds when maxRetries allows it', async () => {
    server.enqueue({ fault: 429, retryAfterMs: 5 }, jsonReply({ category: 'bottom', colours: [] }));
    const result = await model({ maxRetries: 2 }).structured({ task: 'test.garment', messages: [], schema, offline });
    expect(result.value).toEqual({ category: 'bottom', colours: [] });
    expect(server.requests).toHaveLength(2);
  });

  it('maps a 500 to unavailable', async () => {
    server.enqueue({ fault: 500 });
    await expect(model().structured({ task: 'test.garment', messages: [], schema, offline })).rejects.toMatchObject({ reason: 'unavailable', status: 502, code: 'model_unavailable' });
  });

  it('maps a stalled call to timeout, for answers and for streams', async () => {
    server.enqueue({ fault: 'stall' }, { fault: 'stall' });
    await expect(model({ timeoutMs: 150 }).structured({ task: 'test.garment', messages: [], schema, offline })).rejects.toMatchObject({ reason: 'timeout', status: 504, code: 'model_timeout' });
    const { chunks, error } = await collect(model({ timeoutMs: 150 }).stream({ task: 'test.chat', messages: [], offline: () => '' }));
    expect(chunks).toEqual([]);
    expect(error).toMatchObject({ reason: 'timeout' });
    // Both calls reached the server: no late request can take the next test's scripted reply.
    await server.waitForRequests(2);
  });

  it('streams deltas then one done with the usage chunk, asking for usage', async () => {
    server.enqueue(textReply('Wear the navy coat.', { deltas: ['Wear ', 'the navy', ' coat.'], usage: { prompt_tokens: 50, completion_tokens: 6 } }));
    const { chunks, error } = await collect(model().stream({ task: 'test.chat', messages: [{ role: 'user', content: 'What should I wear?' }], offline: () => '' }));
    expect(error).toBeUndefined();
    expect(deltasOf(chunks)).toEqual(['Wear ', 'the navy', ' coat.']);
    expect(chunks.at(-1)).toEqual({ type: 'done', model: provider === 'azure-openai' ? 'wardrobe-dep' : 'gpt-test', usage: { inputTokens: 50, outputTokens: 6 }, offline: false });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('throws unavailable between deltas when the stream breaks midway, never a done', async () => {
    server.enqueue({ fault: 'broken-stream', deltas: ['Half ', 'an '] });
    const { chunks, error } = await collect(model().stream({ task: 'test.chat', messages: [], offline: () => '' }));
    expect(deltasOf(chunks)).toEqual(['Half ', 'an ']);
    expect(chunks.some((c) => c.type === 'done')).toBe(false);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ reason: 'unavailable' });
  });

  it('stops with aborted when the caller signal fires, before the answer and midway through a stream', async () => {
    server.enqueue({ fault: 'stall' });
    const before = new AbortController();
    const call = model({ timeoutMs: 10_000 }).structured({ task: 'test.garment', messages: [], schema, offline, signal: before.signal });
    await server.waitForRequests(1);
    before.abort();
    await expect(call).rejects.toMatchObject({ reason: 'aborted', status: 499 });

    server.enqueue(textReply('one two three four five', { deltaDelayMs: 20 }));
    const midway = new AbortController();
    const { chunks, error } = await collect(model().stream({ task: 'test.chat', messages: [], offline: () => '', signal: midway.signal }), (count) => {
      if (count === 2) midway.abort();
    });
    expect(deltasOf(chunks)).toEqual(['one ', 'two ']);
    expect(error).toMatchObject({ reason: 'aborted' });
  });

  it('embeds through the embedding model or deployment, vectors back in input order, usage as reported', async () => {
    // The server lists the vectors last to first, each with its index, as the API may.
    server.embedWith((request) => ({ vectors: request.input.map((text) => testEmbedding(text, request.dimensions)), usage: { prompt_tokens: 17 }, reversed: true }));
    const input = ['first text', 'the second', 'third'];
    const result = await model().embed!({ task: 'test.embed', input, dimensions: 4, userId: 'user-42' });
    const expectedModel = provider === 'azure-openai' ? 'embed-dep' : 'embed-test';
    // Float32 on the wire (base64, as the SDK asks by default): compare at float32 precision.
    expect(result.vectors.map((vector) => vector.map(Math.fround))).toEqual(input.map((text) => testEmbedding(text, 4).map(Math.fround)));
    expect(result).toMatchObject({ model: expectedModel, usage: { inputTokens: 17, outputTokens: 0 }, offline: false });

    const [sent] = server.embeddings;
    expect(sent).toMatchObject({ input, dimensions: 4, encodingFormat: 'base64' });
    expect(sent?.body.user).toMatch(/^[0-9a-f]{32}$/);
    if (provider === 'azure-openai') {
      expect(sent).toMatchObject({ path: '/openai/deployments/embed-dep/embeddings', deployment: 'embed-dep', apiVersion: '2024-10-21', credential: 'azure-test-key' });
    } else {
      expect(sent).toMatchObject({ path: '/v1/embeddings', model: 'embed-test', credential: 'Bearer sk-test' });
    }
  });

  it('maps embedding faults: 500 to unavailable, 429 to rate_limited, a wrong count or length to invalid_output', async () => {
    const embed = () => model().embed!({ task: 'test.embed', input: ['a', 'b'], dimensions: 3 });
    server.embedWith(() => ({ fault: 500 }));
    await expect(embed()).rejects.toMatchObject({ name: 'ModelError', reason: 'unavailable', status: 502, code: 'model_unavailable' });
    server.embedWith(() => ({ fault: 429, retryAfterSeconds: 3 }));
    await expect(embed()).rejects.toMatchObject({ reason: 'rate_limited', status: 503, retryAfterSeconds: 3 });
    server.embedWith(() => ({ vectors: [[1, 2, 3]] }));
    await expect(embed()).rejects.toMatchObject({ reason: 'invalid_output', status: 502, code: 'model_invalid_output' });
    server.embedWith(() => ({ vectors: [[1, 2, 3], [1, 2]] }));
    await expect(embed()).rejects.toMatchObject({ reason: 'invalid_output' });
  });
});
