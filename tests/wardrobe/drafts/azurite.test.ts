/**
 * An upload processed against real parts: blobs in embedded Azurite, sharp, and the metadata
 * from the real `openai` SDK talking to the local OpenAI-compatible test server. The raw upload
 * and the WebP land in their containers, the draft's signed URLs serve them without
 * credentials, and what the model answered is on the draft.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { createLanguageModel } from '../../../adapters/ai/language-model.ts';
import { startAzurite, type Azurite } from '../../../adapters/local/azurite.ts';
import { AzureBlobStore } from '../../../adapters/storage/blob-store.ts';
import { jsonReply, startOpenAIServer, type OpenAITestServer } from '../../support/openai-server.ts';
import { draftsHarness, jpeg } from './support.ts';

let azurite: Azurite;
let server: OpenAITestServer;

beforeAll(async () => {
  [azurite, server] = await Promise.all([startAzurite(), startOpenAIServer()]);
}, 300_000);

afterAll(async () => {
  await Promise.all([azurite?.stop(), server?.close()]);
});

const answer = {
  category: 'outerwear', subcategory: 'Trench Coat', colours: [{ name: 'Camel', hex: '#C19A6B' }], brand: 'Burberry', pattern: 'solid', material: 'gabardine',
  seasons: ['autumn', 'spring'], formality: 'smart-casual', tags: ['trench', 'belted'], aestheticTags: ['Classic', 'minimalist'], confidence: 0.93,
};

describe('a draft processed on Azurite with the OpenAI-compatible server', () => {
  it('archives the raw upload, stores the WebP, and makes the draft Ready with the model’s metadata and working signed URLs', async () => {
    const blobs = new AzureBlobStore(azurite.connectionString);
    const model = createLanguageModel({ provider: 'openai', apiKey: 'sk-test', baseURL: server.openaiBaseURL, model: 'gpt-test', timeoutMs: 5_000, maxRetries: 0 }, []);
    const t = draftsHarness({ blobs, model, media: { archiveContainer: 'drafts-archive', imagesContainer: 'drafts-images' } });
    const photo = await jpeg(2600, 1300, { r: 193, g: 154, b: 107 });

    const uploaded = await t.uploadImage('alice', photo, { is_wishlisted: 'false' });
    expect(uploaded.statusCode).toBe(202);
    const id = uploaded.json!.id as string;
    expect(await blobs.list('drafts-archive', 'alice/')).toEqual([`alice/${id}.jpg`]);
    // The raw upload's URL serves exactly the bytes sent.
    const raw = await fetch(uploaded.json!.rawImageBlobUrl as string);
    expect(raw.status).toBe(200);
    expect(Buffer.from(await raw.arrayBuffer()).equals(photo)).toBe(true);

    server.enqueue(jsonReply(answer));
    expect(await t.drain()).toBe(1);
    const [request] = server.requests;
    expect(request?.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { name: 'clothing_metadata', strict: true } });
    expect(JSON.stringify(request?.messages)).toContain('data:image/webp;base64,');

    expect(await blobs.list('drafts-images', 'alice/')).toEqual([`alice/${id}.webp`]);
    const { items } = (await t.list('alice')).json as { items: Record<string, unknown>[] };
    expect(items[0]).toMatchObject({
      id, draftStatus: 'Ready', category: 'outerwear', brand: 'Burberry', tags: ['trench', 'belted'], aestheticTags: ['classic', 'minimalist'],
      colours: [{ name: 'camel', hex: '#c19a6b' }],
    });
    const image = await fetch(items[0]!.imageUrl as string);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(Buffer.from(await image.arrayBuffer())).metadata()).toMatchObject({ format: 'webp', width: 2048, height: 1024 });

    const accepted = await t.accept('alice', id);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json).not.toHaveProperty('draftStatus');
    expect((await fetch(accepted.json!.imageUrl as string)).status).toBe(200);
  });
});
