import { describe, expect, it } from '@jest/globals';
import { ModelError, type StreamChunk } from '../../domain/ai.ts';
import { OfflineLanguageModel, wordDeltas } from '../../adapters/ai/offline-model.ts';
import { cosineSimilarity, OFFLINE_EMBEDDING_DIMENSIONS } from '../../adapters/ai/offline-embedding.ts';
import { createLanguageModel } from '../../adapters/ai/language-model.ts';
import { loggingObserver } from '../../adapters/ai/observed-model.ts';
import { captureLogger } from '../support/platform.ts';

const schema = {
  name: 'colour',
  schema: {
    type: 'object',
    properties: { name: { type: 'string' }, hex: { type: 'string', pattern: '^#[0-9a-f]{6}$' } },
    required: ['name', 'hex'],
    additionalProperties: false,
  },
};
const SECRET_PROMPT = 'my very private wardrobe confession';

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('the offline provider', () => {
  const model = new OfflineLanguageModel();

  it('answers a structured request with its offline value, labelled offline, with usage estimates', async () => {
    const result = await model.structured({
      task: 'test.colour',
      messages: [{ role: 'user', content: 'What colour is this?', images: [{ mediaType: 'image/png', base64: 'AAAA' }] }],
      schema,
      offline: () => ({ name: 'navy', hex: '#1f2a44' }),
    });
    expect(result).toEqual({ value: { name: 'navy', hex: '#1f2a44' }, model: 'offline', offline: true, usage: expect.any(Object) });
    // 4 per message + 5 for 20 chars + 85 for the image; output is the JSON's length / 4.
    expect(result.usage).toEqual({ inputTokens: 94, outputTokens: Math.ceil(JSON.stringify(result.value).length / 4) });
  });

  it('refuses an offline answer that does not fit the schema, as a model answer would be refused', async () => {
    const call = model.structured({ task: 'test.colour', messages: [], schema, offline: () => ({ name: 'navy', hex: 'blue' }) });
    await expect(call).rejects.toMatchObject({ reason: 'invalid_output', status: 502, code: 'model_invalid_output' });
  });

  it('streams the whole text in word-sized deltas that join back exactly, then one done', async () => {
    const text = 'Try the navy blazer  with\nwhite trainers. ';
    const chunks = await collect(model.stream({ task: 'test.chat', messages: [{ role: 'user', content: 'hi' }], offline: () => text }));
    const deltas = chunks.filter((c) => c.type === 'delta').map((c) => (c as { text: string }).text);
    expect(deltas).toEqual(['Try ', 'the ', 'navy ', 'blazer  ', 'with\n', 'white ', 'trainers. ']);
    expect(deltas.join('')).toBe(text);
    expect(chunks.at(-1)).toEqual({ type: 'done', model: 'offline', offline: true, usage: { inputTokens: 5, outputTokens: Math.ceil(text.length / 4) } });
    expect(chunks.filter((c) => c.type === 'done')).toHaveLength(1);
  });

  it('validates answers against schemas built per call, each against its own', async () => {
    const labelled = (labels: string[]) => ({ name: 'label', schema: { type: 'object', additionalProperties: false, required: ['label'], properties: { label: { type: 'string', enum: labels } } } });
    for (let i = 0; i < 300; i += 1) {
      const labels = [`a${i}`, `b${i}`];
      await expect(model.structured({ task: 't', messages: [], schema: labelled(labels), offline: () => ({ label: `b${i}` }) })).resolves.toMatchObject({ value: { label: `b${i}` } });
      await expect(model.structured({ task: 't', messages: [], schema: labelled(labels), offline: () => ({ label: `b${i + 1}` }) })).rejects.toMatchObject({ reason: 'invalid_output' });
    }
  });

  it('keeps leading whitespace and empty text', () => {
    expect(wordDeltas('  a b')).toEqual(['  a ', 'b']);
    expect(wordDeltas('')).toEqual([]);
    expect(wordDeltas('   ')).toEqual(['   ']);
  });

  it('stops with ModelError aborted when the signal fires midway', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const chunk of model.stream({ task: 't', messages: [], signal: controller.signal, offline: () => 'one two three four' })) {
        if (chunk.type === 'delta') seen.push(chunk.text);
        if (seen.length === 2) controller.abort();
      }
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ reason: 'aborted', status: 499 });
    expect(seen).toEqual(['one ', 'two ']);
  });
});

describe('offline embeddings', () => {
  const model = new OfflineLanguageModel();

  it('are unit vectors of the asked length, the same for the same text, closer for texts that share words', async () => {
    const input = ['Red running shoes for the marathon', 'red shoes for running', 'Quarterly tax return deadline', 'Red running shoes for the marathon'];
    const result = await model.embed({ task: 'test.embed', input });
    expect(result).toMatchObject({ model: 'offline', offline: true, usage: { inputTokens: expect.any(Number), outputTokens: 0 } });
    expect(result.vectors).toHaveLength(4);
    for (const vector of result.vectors) {
      expect(vector).toHaveLength(OFFLINE_EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
    const [shoes, alsoShoes, taxes, same] = result.vectors as [number[], number[], number[], number[]];
    expect(same).toEqual(shoes);
    expect(cosineSimilarity(shoes, alsoShoes)).toBeGreaterThan(cosineSimilarity(shoes, taxes) + 0.3);
    expect((await model.embed({ task: 'test.embed', input: ['one'], dimensions: 12 })).vectors[0]).toHaveLength(12);
  });

  it('stops with aborted when the signal has fired', async () => {
    await expect(model.embed({ task: 'test.embed', input: ['x'], signal: AbortSignal.abort() })).rejects.toMatchObject({ reason: 'aborted' });
  });
});

describe('the model call log line', () => {
  it('names task, provider, model, tokens, latency and outcome, and never the prompt or the answer', async () => {
    const { logger, records, lines } = captureLogger();
    const model = createLanguageModel({ provider: 'offline' }, [loggingObserver(logger)]);
    await model.structured({ task: 'test.colour', requestId: 'req-1', userId: 'user-1', messages: [{ role: 'user', content: SECRET_PROMPT }], schema, offline: () => ({ name: 'secret-answer', hex: '#000000' }) });
    await collect(model.stream({ task: 'test.chat', messages: [{ role: 'user', content: SECRET_PROMPT }], offline: () => 'a hidden reply' }));
    const failed = model.structured({ task: 'test.bad', messages: [{ role: 'user', content: SECRET_PROMPT }], schema, offline: () => ({}) });
    await expect(failed).rejects.toBeInstanceOf(ModelError);

    const calls = records().filter((r) => r.msg === 'model call' || r.msg === 'model call failed');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ level: 30, task: 'test.colour', kind: 'structured', provider: 'offline', model: 'offline', outcome: 'ok', requestId: 'req-1' });
    expect(calls[0]?.usage).toEqual({ input: 13, output: expect.any(Number) });
    expect(typeof calls[0]?.latencyMs).toBe('number');
    expect(calls[1]).toMatchObject({ task: 'test.chat', kind: 'stream', outcome: 'ok', deltas: 3, usage: { input: 13, output: 4 } });
    expect(calls[2]).toMatchObject({ level: 40, task: 'test.bad', outcome: 'invalid_output', usage: null });
    const all = lines.join('\n');
    for (const secret of [SECRET_PROMPT, 'secret-answer', 'hidden', 'user-1']) expect(all).not.toContain(secret);
  });

  it('reports an embedding call with its input tokens, never its texts', async () => {
    const { logger, records, lines } = captureLogger();
    const model = createLanguageModel({ provider: 'offline' }, [loggingObserver(logger)]);
    await model.embed!({ task: 'test.embed', input: [SECRET_PROMPT] });
    expect(records().filter((r) => r.task === 'test.embed')).toEqual([
      expect.objectContaining({ kind: 'embedding', provider: 'offline', outcome: 'ok', usage: { input: Math.ceil(SECRET_PROMPT.length / 4), output: 0 } }),
    ]);
    expect(lines.join('\n')).not.toContain(SECRET_PROMPT);
  });

  it('reports a stream the consumer abandoned before done as aborted', async () => {
    const { logger, records } = captureLogger();
    const model = createLanguageModel({ provider: 'offline' }, [loggingObserver(logger)]);
    for await (const chunk of model.stream({ task: 'test.chat', messages: [], offline: () => 'one two three' })) {
      if (chunk.type === 'delta') break;
    }
    expect(records().filter((r) => r.task === 'test.chat')).toEqual([expect.objectContaining({ outcome: 'aborted', deltas: 1 })]);
  });
});
