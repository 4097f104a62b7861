/**
 * ai-embedding and ai-classify through the registry: offline (deterministic answers from the
 * hashed bag-of-words model), and through the real `openai` SDK against the local test server
 * (what is sent, what comes back, faults as the port's problem codes), and their refusals.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createLanguageModel } from '../../adapters/ai/language-model.ts';
import { cosineSimilarity } from '../../adapters/ai/offline-embedding.ts';
import { loadAiSettings } from '../../adapters/ai/settings.ts';
import type { LanguageModel } from '../../domain/ai.ts';
import { jsonReply, startOpenAIServer, testEmbedding, type OpenAITestServer } from '../support/openai-server.ts';
import { runPlugin, type RunOptions } from './support/harness.ts';

let server: OpenAITestServer;
let served: LanguageModel;
beforeAll(async () => {
  server = await startOpenAIServer();
  // The app's own composition (lazy SDK import, observed wrapper), retries off so a fault is seen once.
  served = createLanguageModel(
    loadAiSettings({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_MODEL: 'chat-test', OPENAI_EMBEDDING_MODEL: 'embed-test', AI_MAX_RETRIES: '0' }),
    [],
  );
});
afterAll(() => server.close());
beforeEach(() => server.reset());

type Vectors = number[][];
const norm = (vector: readonly number[]) => Math.hypot(...vector);

describe('ai-embedding', () => {
  it('offline: unit vectors of the default or asked length, the same for the same text, similar texts closer than unrelated ones', async () => {
    const texts = ['How do I reset my password?', 'I forgot my password and need to reset it', 'Best hiking trails near the lake'];
    const first = await runPlugin('ai-embedding', { texts });
    const again = await runPlugin('ai-embedding', { texts });
    expect(again.result).toEqual(first.result);
    expect(first.result).toMatchObject({ model: 'offline', offline: true, dimensions: 256, usage: { input_tokens: expect.any(Number), output_tokens: 0 } });
    const [reset, forgot, hiking] = first.result.vectors as Vectors as [number[], number[], number[]];
    for (const vector of [reset, forgot, hiking]) {
      expect(vector).toHaveLength(256);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(cosineSimilarity(reset, forgot)).toBeGreaterThan(cosineSimilarity(reset, hiking) + 0.2);

    const single = await runPlugin('ai-embedding', { text: texts[0], dimensions: 64 });
    expect(single.result).toMatchObject({ dimensions: 64 });
    expect(single.result.vectors as Vectors).toHaveLength(1);
    expect((single.result.vectors as Vectors)[0]).toHaveLength(64);
  });

  it('through the openai SDK: the embedding model is asked for every text at the asked length, and the vectors come back in input order', async () => {
    server.embedWith((request) => ({ vectors: request.input.map((text) => testEmbedding(text, request.dimensions)), usage: { prompt_tokens: 9 }, reversed: true }));
    const texts = ['alpha', 'beta gamma', 'delta epsilon zeta'];
    const { result } = await runPlugin('ai-embedding', { texts, dimensions: 5 }, { model: served });
    expect(server.embeddings).toHaveLength(1);
    expect(server.embeddings[0]).toMatchObject({ path: '/v1/embeddings', model: 'embed-test', input: texts, dimensions: 5 });
    expect(result).toMatchObject({ model: 'embed-test', dimensions: 5, offline: false, usage: { input_tokens: 9, output_tokens: 0 } });
    // The first number of testEmbedding is the text's length: each vector is its own text's.
    expect((result.vectors as Vectors).map((vector) => vector[0])).toEqual([5, 10, 18]);
    (result.vectors as Vectors).forEach((vector, i) => vector.forEach((value, j) => expect(value).toBeCloseTo(testEmbedding(texts[i]!, 5)[j]!, 6)));
  });

  it('answers a provider failure as the model problem codes: 500 is 502 model_unavailable, 429 is 503 model_rate_limited', async () => {
    server.embedWith(() => ({ fault: 500 }));
    await expect(runPlugin('ai-embedding', { text: 'hello' }, { model: served })).rejects.toMatchObject({ status: 502, code: 'model_unavailable' });
    server.embedWith(() => ({ fault: 429, retryAfterSeconds: 4 }));
    await expect(runPlugin('ai-embedding', { text: 'hello' }, { model: served })).rejects.toMatchObject({ status: 503, code: 'model_rate_limited', headers: { 'retry-after': '4' } });
  });

  it('refuses bad input with a 400 before any model call', async () => {
    const refuse = (input: unknown, config?: RunOptions['config']) =>
      expect(runPlugin('ai-embedding', input, { model: served, ...(config ? { config } : {}) })).rejects.toMatchObject({ status: 400 });
    await refuse({ text: '' });
    await refuse({ text: '   \n ' });
    await refuse({ texts: [] });
    await refuse({ texts: ['fine', ''] });
    await refuse({ text: 'one', texts: ['two'] });
    await refuse({});
    await refuse({ text: 'x', dimensions: 0 });
    await expect(runPlugin('ai-embedding', { texts: ['a', 'b', 'c', 'd'] }, { config: { options: { max_texts: 3 } } })).rejects.toMatchObject({ status: 400, code: 'invalid_input', errors: [{ pointer: '/body/input/texts' }] });
    await expect(runPlugin('ai-embedding', { texts: ['short', 'x'.repeat(21)] }, { config: { options: { max_text_chars: 20 } } })).rejects.toMatchObject({ status: 400, code: 'invalid_input', errors: [{ pointer: '/body/input/texts/1' }] });
    await expect(runPlugin('ai-embedding', { text: 'x', dimensions: 2000 })).rejects.toMatchObject({ status: 400, code: 'invalid_input', errors: [{ pointer: '/body/input/dimensions' }] });
    await expect(runPlugin('ai-embedding', { texts: Array.from({ length: 2049 }, () => 'x') })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    expect(server.embeddings).toHaveLength(0);
  });
});

const labels = ['battery', 'screen', 'shipping', 'price'];

describe('ai-classify', () => {
  it('offline: picks the label the text is about, the same every time, with a score for every label', async () => {
    const input = { text: 'The battery drains in two hours and the battery gets hot while charging.', labels };
    const { result } = await runPlugin('ai-classify', input);
    expect((await runPlugin('ai-classify', input)).result).toEqual(result);
    expect(result).toMatchObject({ label: 'battery', model: 'offline', offline: true });
    const scores = result.scores as { label: string; score: number }[];
    expect(scores.map((s) => s.label).sort()).toEqual([...labels].sort());
    expect(scores[0]).toMatchObject({ label: 'battery' });
    expect(scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 3);
  });

  it('offline multi-label: every label the text is about, none it is not', async () => {
    const { result } = await runPlugin('ai-classify', { text: 'The screen cracked on day one and the battery died a week later.', labels, multi_label: true });
    expect(result.labels).toEqual(['battery', 'screen']);
    expect(result).not.toHaveProperty('label');
  });

  it('through the openai SDK: asks for strict output whose label is an enum of the given labels, and answers the model\'s choice', async () => {
    server.enqueue(jsonReply({ label: 'shipping', scores: [{ label: 'shipping', score: 0.91 }, { label: 'price', score: 1.4 }, { label: 'shipping', score: 0.1 }] }));
    const { result } = await runPlugin('ai-classify', { text: 'My parcel is three weeks late.', labels }, { model: served });
    expect(result).toMatchObject({ label: 'shipping', model: 'chat-test', offline: false });
    // Each label once, clamped to [0, 1], a label the model left out at 0, best first.
    expect(result.scores).toEqual([{ label: 'price', score: 1 }, { label: 'shipping', score: 0.91 }, { label: 'battery', score: 0 }, { label: 'screen', score: 0 }]);
    const format = server.requests[0]?.responseFormat as { json_schema: { strict: boolean; schema: { properties: { label: { enum: string[] } } } } };
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.properties.label.enum).toEqual(labels);
    expect(JSON.stringify(server.requests[0]?.messages)).toContain('My parcel is three weeks late.');
  });

  it('through the openai SDK, multi-label: the labels the model chose; a label outside the list is 502 model_invalid_output', async () => {
    server.enqueue(jsonReply({ labels: ['price', 'battery'], scores: [] }), jsonReply({ label: 'weather', scores: [] }));
    const { result } = await runPlugin('ai-classify', { text: 'Too expensive for a battery this weak.', labels, multi_label: true }, { model: served });
    expect(result.labels).toEqual(['battery', 'price']);
    const items = (server.requests[0]?.responseFormat as { json_schema: { schema: { properties: { labels: { items: { enum: string[] } } } } } }).json_schema.schema.properties.labels.items;
    expect(items.enum).toEqual(labels);
    await expect(runPlugin('ai-classify', { text: 'Rain again.', labels }, { model: served })).rejects.toMatchObject({ status: 502, code: 'model_invalid_output' });
  });

  it('answers 422 processing_timeout when the model does not answer within the deadline', async () => {
    server.enqueue({ fault: 'stall' });
    await expect(runPlugin('ai-classify', { text: 'Anything.', labels }, { model: served, deadlineMs: 300 })).rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
  });

  it('refuses bad input with a 400 before any model call', async () => {
    const refuse = (input: unknown) => expect(runPlugin('ai-classify', input, { model: served })).rejects.toMatchObject({ status: 400 });
    await refuse({ text: 'x', labels: ['only one'] });
    await refuse({ text: 'x', labels: Array.from({ length: 51 }, (_, i) => `label ${i}`) });
    await refuse({ text: 'x', labels: ['same', 'same'] });
    await refuse({ text: 'x', labels: ['fine', ' '] });
    await refuse({ text: '', labels });
    await refuse({ labels });
    await refuse({ text: 'x', labels, multi_label: 'yes' });
    await expect(runPlugin('ai-classify', { text: 'x'.repeat(30), labels }, { config: { options: { max_text_chars: 20 } } })).rejects.toMatchObject({ status: 400, code: 'invalid_input', errors: [{ pointer: '/body/input/text' }] });
    expect(server.requests).toHaveLength(0);
  });
});
