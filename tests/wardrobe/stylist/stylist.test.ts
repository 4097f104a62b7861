/**
 * POST /api/stylist/recommendations (contract 6.7) through the composition root, with the real
 * `openai` SDK (the app's model adapter) against the local OpenAI-compatible test server, and
 * with the offline provider: the filters, what the model is shown, the answer trimmed to the
 * caller's items, the empty-wardrobe 400 and the model's failures as problem+json.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createLanguageModel } from '../../../adapters/ai/language-model.ts';
import { OfflineLanguageModel } from '../../../adapters/ai/offline-model.ts';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import { jsonReply, lastUserText, startOpenAIServer, type OpenAITestServer } from '../../support/openai-server.ts';
import { testClock } from '../../support/jobs.ts';
import { wardrobeApp } from '../collections/support.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function setup(model: 'server' | 'offline' = 'server') {
  const language = model === 'server'
    ? createLanguageModel({ provider: 'openai', apiKey: 'test-key', baseURL: server.openaiBaseURL, model: 'gpt-4.1-mini', timeoutMs: 1000, maxRetries: 0 }, [])
    : new OfflineLanguageModel();
  const t = wardrobeApp(new MemoryDocumentStore(testClock()), { model: language });
  const recommend = (as: string, body: unknown) => t.request('stylist-recommendations', { method: 'POST', path: '/api/stylist/recommendations', as, body });
  return { ...t, recommend };
}

async function wardrobe(t: ReturnType<typeof setup>) {
  return {
    navyShirt: await t.seedItem('ann', { id: 'navy-shirt', category: 'Tops', brand: 'COS', colours: [{ name: 'navy', hex: '#1f2a44' }], wearCount: 3 }),
    redShirt: await t.seedItem('ann', { id: 'red-shirt', category: 'tops', colours: [{ name: 'Red', hex: '#c0392b' }], wearCount: 0 }),
    jeans: await t.seedItem('ann', { id: 'jeans', category: 'Bottoms', brand: 'Levi', colours: [{ name: 'blue', hex: '#3050a0' }], wearCount: 10 }),
    boots: await t.seedItem('ann', { id: 'boots', category: 'Shoes', colours: [{ name: 'brown', hex: '#5a3a1a' }], wearCount: 1 }),
    draft: await t.seedItem('ann', { id: 'draft-coat', category: 'Outerwear', draftStatus: 'Ready' }),
    bobs: await t.seedItem('bob', { id: 'bob-hat', category: 'Hats' }),
  };
}

describe('stylist recommendations through the OpenAI SDK and the test server', () => {
  it("shows the model the filtered finalised items and returns its outfits trimmed to them", async () => {
    const t = setup();
    await wardrobe(t);
    server.enqueue(jsonReply({
      recommendations: [
        { title: ' Friday drinks ', description: 'Navy and denim.', itemIds: ['navy-shirt', 'jeans', 'navy-shirt', 'bob-hat', 'invented'] },
        { title: 'Only strangers', description: 'Nothing of yours.', itemIds: ['bob-hat'] },
        { title: 'Boots', description: 'Walk.', itemIds: ['boots'] },
      ],
    }));
    const reply = await t.recommend('ann', { stylePrompt: 'smart casual', occasion: 'drinks', preferredColors: ['NAVY'], excludedColors: ['red'], pageSize: 5, maxWears: 10 });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual([
      { id: expect.any(String), title: 'Friday drinks', description: 'Navy and denim.', clothingItemIds: ['navy-shirt', 'jeans'] },
      { id: expect.any(String), title: 'Boots', description: 'Walk.', clothingItemIds: ['boots'] },
    ]);
    const sent = server.requests[0]!;
    expect(sent.responseFormat).toMatchObject({ type: 'json_schema' });
    const prompt = lastUserText(sent);
    expect(prompt).toContain('"stylePrompt":"smart casual"');
    expect(prompt).toContain('Compose at most 5 outfits.');
    // Preferred colour first, then the least worn; the red item, the draft and Bob's hat are not shown.
    const shown = prompt.split('\n').filter((line) => line.startsWith('{"id"')).map((line) => (JSON.parse(line) as { id: string }).id);
    expect(shown).toEqual(['navy-shirt', 'boots', 'jeans']);
  });

  it('caps the outfits at pageSize and filters by category and wears', async () => {
    const t = setup();
    await wardrobe(t);
    server.enqueue(jsonReply({ recommendations: [{ title: 'A', description: '', itemIds: ['red-shirt'] }, { title: 'B', description: '', itemIds: ['navy-shirt'] }] }));
    const reply = await t.recommend('ann', { category: 'TOPS', minWears: 0, maxWears: 5, pageSize: 1 });
    expect((reply.json as unknown as { clothingItemIds: string[] }[]).map((outfit) => outfit.clothingItemIds)).toEqual([['red-shirt']]);
    const shown = lastUserText(server.requests[0]!).split('\n').filter((line) => line.startsWith('{"id"')).map((line) => (JSON.parse(line) as { id: string }).id);
    expect(shown).toEqual(['red-shirt', 'navy-shirt']);
  });

  it('model failures are problem+json: a 429 is 503 model_rate_limited, a 500 is 502 model_unavailable', async () => {
    const t = setup();
    await wardrobe(t);
    server.enqueue({ fault: 429, retryAfterSeconds: 2 }, { fault: 500 });
    const limited = await t.recommend('ann', {});
    expect(limited.statusCode).toBe(503);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json).toMatchObject({ code: 'model_rate_limited' });
    expect((await t.recommend('ann', {})).json).toMatchObject({ status: 502, code: 'model_unavailable' });
  });
});

describe('stylist recommendations: the rules before the model', () => {
  it('400 empty_wardrobe when the caller has no finalised items (drafts and other users\' items do not count); nothing is asked', async () => {
    const t = setup();
    await t.seedItem('ann', { category: 'Tops', draftStatus: 'Processing' });
    await t.seedItem('bob', { category: 'Tops' });
    const reply = await t.recommend('ann', {});
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({ code: 'empty_wardrobe' });
    expect(server.requests).toHaveLength(0);
  });

  it('an empty array when no item passes the filters, and 400 for minWears above maxWears or unknown fields', async () => {
    const t = setup();
    await wardrobe(t);
    expect((await t.recommend('ann', { category: 'Scarves' })).json).toEqual([]);
    expect((await t.recommend('ann', { minWears: 5, maxWears: 2 })).json).toMatchObject({ code: 'validation_failed' });
    expect((await t.recommend('ann', { pageSize: 0 })).statusCode).toBe(400);
    expect((await t.recommend('ann', { userId: 'bob' })).statusCode).toBe(400);
    expect(server.requests).toHaveLength(0);
  });

  it('offline: one item per category per outfit, preferred colours and the least worn first, deterministic', async () => {
    const t = setup('offline');
    await wardrobe(t);
    const reply = await t.recommend('ann', { occasion: 'Work', preferredColors: ['navy'] });
    expect(reply.statusCode).toBe(200);
    expect((reply.json as unknown as { title: string; clothingItemIds: string[] }[]).map(({ title, clothingItemIds }) => ({ title, clothingItemIds }))).toEqual([
      { title: 'Work look 1', clothingItemIds: ['jeans', 'boots', 'navy-shirt'] },
      { title: 'Work look 2', clothingItemIds: ['red-shirt'] },
    ]);
    expect((await t.recommend('ann', { occasion: 'Work', preferredColors: ['navy'] })).json).toEqual(
      (reply.json as unknown as { id: string }[]).map((outfit) => ({ ...outfit, id: expect.any(String) })),
    );
  });
});
