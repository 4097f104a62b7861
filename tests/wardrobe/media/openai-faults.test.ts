/**
 * The metadata route through the real `openai` SDK against the local OpenAI-compatible test
 * server: a structured answer, then each injected fault (429, 500, a stall, a broken connection,
 * output that does not fit the schema) as a clean problem+json, with nothing stored.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createLanguageModel } from '../../../adapters/ai/language-model.ts';
import { jsonReply, startOpenAIServer, type OpenAITestServer, type Reply } from '../../support/openai-server.ts';
import { asUser, png, setup } from './support.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const answer = {
  category: 'tops', subcategory: 'Polo Shirt', colours: [{ name: 'Olive', hex: '#5A7828' }], brand: 'Lacoste', pattern: 'solid', material: 'cotton pique',
  seasons: ['summer', 'spring'], formality: 'smart-casual', tags: ['polo', 'collar'], aestheticTags: ['preppy'], confidence: 0.88,
};

function routeWithServer() {
  const model = createLanguageModel({ provider: 'openai', apiKey: 'sk-test', baseURL: server.openaiBaseURL, model: 'gpt-test', timeoutMs: 500, maxRetries: 0 }, []);
  return setup({ model });
}

describe('extract-clothing-metadata through the OpenAI-compatible test server', () => {
  it('sends strict json_schema output with the image, and answers the validated, cleaned result', async () => {
    const t = routeWithServer();
    const imageId = (await t.upload(asUser('alice'), await png(40, 40, { r: 90, g: 120, b: 40 }), 'image/png')).json!.imageId as string;
    server.enqueue(jsonReply(answer));
    const reply = await t.extract(asUser('alice'), { imageId });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual({ ...answer, subcategory: 'polo shirt', colours: [{ name: 'olive', hex: '#5a7828' }], material: 'cotton pique', seasons: ['spring', 'summer'], model: 'gpt-test' });
    const [request] = server.requests;
    expect(request?.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { name: 'clothing_metadata', strict: true } });
    const parts = JSON.stringify(request?.messages);
    expect(parts).toContain('data:image/webp;base64,');
  });

  it.each<[string, Reply, number, string]>([
    ['429', { fault: 429, retryAfterSeconds: 3 }, 503, 'model_rate_limited'],
    ['500', { fault: 500 }, 502, 'model_unavailable'],
    ['a stall', { fault: 'stall' }, 504, 'model_timeout'],
    ['a broken connection', { fault: 'broken-stream' }, 502, 'model_unavailable'],
    ['output outside the schema', jsonReply({ category: 'hats', colours: 'blue' }), 502, 'model_invalid_output'],
    ['output that is not JSON', { content: 'Sure! It is a blue shirt.' }, 502, 'model_invalid_output'],
  ])('turns %s into a clean problem+json and stores nothing', async (_name, fault, status, code) => {
    const t = routeWithServer();
    const before = await t.stored();
    server.enqueue(fault);
    const reply = await t.extract(asUser('alice'), { imageBase64: (await png(30, 30, { r: 10, g: 10, b: 200 })).toString('base64') });
    expect([reply.statusCode, reply.json?.code, reply.headers['content-type']]).toEqual([status, code, 'application/problem+json']);
    expect(typeof reply.json?.requestId).toBe('string');
    expect(reply.body).not.toMatch(/sk-test|at .*\.ts:\d+/);
    if (code === 'model_rate_limited') expect(reply.headers['retry-after']).toBe('3');
    expect(await t.stored()).toEqual(before);
  });
});
