/**
 * POST /api/extract-clothing-metadata through the real HTTP stack: the offline answer from the
 * image's real statistics, the model's structured answer, ownership, API-key callers, model
 * failures as problem+json, and the route's settings.
 */
import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { ModelError } from '../../../domain/ai.ts';
import type { ConfigError } from '../../../kernel/env.ts';
import { clothingMetadataSchema } from '../../../domain/wardrobe/metadata.ts';
import { withRouteApiKey } from '../../../handlers/wardrobe/media/route-auth.ts';
import { checkMetadataEntraSettings, loadMediaSettings, metadataAuthClasses } from '../../../handlers/wardrobe/media/settings.ts';
import { loadAuthSettings } from '../../../middleware/auth/settings.ts';
import { httpEvent } from '../../support/platform.ts';
import { asUser, cutout, fakeModel, png, ROUTE_KEY, SERVICE_KEY, setup, testAuthenticator } from './support.ts';

const NAVY = { r: 27, g: 42, b: 74 };
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function uploaded(t: ReturnType<typeof setup>, user: string, bytes: Uint8Array): Promise<string> {
  const reply = await t.upload(asUser(user), bytes, 'image/png');
  expect(reply.statusCode).toBe(201);
  return reply.json!.imageId as string;
}

describe('POST /api/extract-clothing-metadata', () => {
  it('answers offline from the image itself: real colours, a shape guess, low confidence, deterministic', async () => {
    const t = setup();
    // A tall navy cut-out: the garment is 30 × 60 inside a transparent 60 × 120 canvas.
    const imageId = await uploaded(t, 'alice', await cutout(60, 120, NAVY));
    const first = await t.extract(asUser('alice'), { imageId });
    expect(first.statusCode).toBe(200);
    // The stored image is a lossy WebP: its colour is navy within a step or two per channel.
    const [colour] = first.json!.colours as { name: string; hex: string }[];
    expect(colour?.name).toBe('navy');
    const channels = [1, 3, 5].map((i) => parseInt(colour!.hex.slice(i, i + 2), 16));
    [27, 42, 74].forEach((value, i) => expect(Math.abs(channels[i]! - value)).toBeLessThanOrEqual(3));
    // Aspect 2 (taller than trousers' range): a dress, by the shape rules.
    expect(first.json).toEqual({
      category: 'dresses', subcategory: 'dress', colours: [colour], brand: '', pattern: 'solid', material: 'unknown',
      seasons: ['autumn', 'winter'], formality: 'smart-casual', tags: ['dresses', 'dress', 'navy', 'solid'], aestheticTags: [], confidence: 0.25, model: 'offline',
    });
    expect((await t.extract(asUser('alice'), { imageId })).json).toEqual(first.json);
    const wide = await t.extract(asUser('alice'), { imageBase64: base64(await png(90, 30, { r: 248, g: 248, b: 248 })) });
    expect(wide.json).toMatchObject({ category: 'shoes', colours: [{ name: 'white', hex: '#f8f8f8' }], model: 'offline' });
  });

  it("asks the model for structured output with the image attached, and answers its cleaned answer and the model's name", async () => {
    const model = fakeModel(() => ({
      category: 'outerwear', subcategory: 'Rain Jacket', colours: [{ name: 'Navy', hex: '#1B2A4A' }], brand: 'Rainwear Co', pattern: 'solid', material: 'nylon',
      seasons: ['autumn', 'spring'], formality: 'casual', tags: ['waterproof', 'hood'], aestheticTags: ['Gorpcore'], confidence: 0.91,
    }));
    const t = setup({ model });
    const reply = await t.extract(asUser('alice'), { imageBase64: base64(await png(3000, 1500, NAVY)) });
    expect(reply.json).toEqual({
      category: 'outerwear', subcategory: 'rain jacket', colours: [{ name: 'navy', hex: '#1b2a4a' }], brand: 'Rainwear Co', pattern: 'solid', material: 'nylon',
      seasons: ['spring', 'autumn'], formality: 'casual', tags: ['waterproof', 'hood'], aestheticTags: ['gorpcore'], confidence: 0.91, model: 'fake-vision-1',
    });
    const [request] = model.requests;
    expect(request?.task).toBe('wardrobe.extract-metadata');
    expect(request?.schema).toBe(clothingMetadataSchema);
    expect(request?.messages[0]?.role).toBe('system');
    const image = request?.messages[1]?.images?.[0];
    expect(image?.mediaType).toBe('image/webp');
    // Shown to the model at most 1024 px on the long side.
    expect(await sharp(Buffer.from(image!.base64, 'base64')).metadata()).toMatchObject({ format: 'webp', width: 1024, height: 512 });
    expect(request?.userId).toBe('portico|alice');
    // The offline answer travels with every request, so the offline provider can always answer.
    expect(request?.offline()).toMatchObject({ category: 'shoes', colours: [{ name: 'navy' }] });
  });

  it("answers 404 for another user's imageId, and for an unknown one, never the image", async () => {
    const model = fakeModel();
    const t = setup({ model });
    const imageId = await uploaded(t, 'alice', await png(20, 20, NAVY));
    const bob = await t.extract(asUser('bob'), { imageId });
    expect([bob.statusCode, bob.json?.code, bob.headers['content-type']]).toEqual([404, 'not_found', 'application/problem+json']);
    expect((await t.extract(asUser('alice'), { imageId: '00000000-0000-0000-0000-000000000000' })).statusCode).toBe(404);
    expect(model.requests).toHaveLength(0);
    expect((await t.extract(asUser('alice'), { imageId })).statusCode).toBe(200);
  });

  it('takes imageBase64 from an API-key caller (API_KEYS or METADATA_EXTRACT_API_KEY), but not imageId: no user owns it', async () => {
    const t = setup();
    const image = base64(await png(20, 20, NAVY));
    expect((await t.extract({ 'x-api-key': SERVICE_KEY }, { imageBase64: image })).statusCode).toBe(200);
    expect((await t.extract({ 'x-api-key': ROUTE_KEY }, { imageBase64: image })).statusCode).toBe(200);
    expect((await t.extract({ 'x-api-key': 'wrong-key-0123456789abc' }, { imageBase64: image })).statusCode).toBe(401);
    expect((await t.extract({}, { imageBase64: image })).statusCode).toBe(401);
    const imageId = await uploaded(t, 'alice', await png(20, 20, NAVY));
    const byKey = await t.extract({ 'x-api-key': ROUTE_KEY }, { imageId });
    expect([byKey.statusCode, byKey.json?.code]).toEqual([400, 'user_required']);
  });

  it('accepts a data: URL, and refuses bad base64, a mismatched type, a non-image and an oversized image with 4xx', async () => {
    const t = setup();
    const image = base64(await png(20, 20, NAVY));
    expect((await t.extract(asUser('alice'), { imageBase64: `data:image/png;base64,${image}` })).statusCode).toBe(200);
    const codes = async (body: unknown) => {
      const reply = await t.extract(asUser('alice'), body);
      return [reply.statusCode, reply.json?.code];
    };
    expect(await codes({ imageBase64: `data:image/jpeg;base64,${image}` })).toEqual([400, 'image_type_mismatch']);
    expect(await codes({ imageBase64: `data:image/gif;base64,${image}` })).toEqual([415, 'unsupported_media_type']);
    expect(await codes({ imageBase64: 'not base64!' })).toEqual([400, 'invalid_base64']);
    expect(await codes({ imageBase64: image.slice(0, -1) })).toEqual([400, 'invalid_base64']);
    expect(await codes({ imageBase64: base64(new TextEncoder().encode('hello world, not an image')) })).toEqual([400, 'invalid_image']);
    expect(await codes({ imageBase64: base64(new Uint8Array(5 * 1024 * 1024 + 3)) })).toEqual([413, 'body_too_large']);
    expect(await codes({ imageBase64: image, imageId: 'x' })).toEqual([400, 'validation_failed']);
    expect(await codes({})).toEqual([400, 'validation_failed']);
    expect(await codes({ imageUrl: 'https://example.com/x.png' })).toEqual([400, 'validation_failed']);
    expect(await codes({ imageId: '../other' })).toEqual([400, 'validation_failed']);
  });

  it.each([
    [new ModelError('rate_limited', { retryAfterSeconds: 7 }), 503, 'model_rate_limited'],
    [new ModelError('timeout'), 504, 'model_timeout'],
    [new ModelError('unavailable'), 502, 'model_unavailable'],
    [new ModelError('invalid_output'), 502, 'model_invalid_output'],
  ] as const)('turns a model failure into a clean problem+json (%s)', async (error, status, code) => {
    const t = setup({ model: fakeModel(() => { throw error; }) });
    const reply = await t.extract(asUser('alice'), { imageBase64: base64(await png(20, 20, NAVY)) });
    expect([reply.statusCode, reply.json?.code, reply.headers['content-type']]).toEqual([status, code, 'application/problem+json']);
    expect(reply.body).not.toMatch(/at .*\.ts:\d+/);
    if (code === 'model_rate_limited') expect(reply.headers['retry-after']).toBe('7');
  });
});

describe('metadata route settings', () => {
  it('maps METADATA_EXTRACT_AUTH_MODE to auth classes, defaulting to either, and refuses anything else by name', () => {
    expect(metadataAuthClasses({})).toEqual(['apiKey', 'user']);
    expect(metadataAuthClasses({ METADATA_EXTRACT_AUTH_MODE: 'api_key' })).toEqual(['apiKey']);
    expect(metadataAuthClasses({ METADATA_EXTRACT_AUTH_MODE: 'api-key' })).toEqual(['apiKey']);
    expect(metadataAuthClasses({ METADATA_EXTRACT_AUTH_MODE: 'entra' })).toEqual(['user']);
    expect(metadataAuthClasses({ METADATA_EXTRACT_AUTH_MODE: 'Azure-AD' })).toEqual(['user']);
    expect(metadataAuthClasses({ METADATA_EXTRACT_AUTH_MODE: 'either' })).toEqual(['apiKey', 'user']);
    expect(() => metadataAuthClasses({ METADATA_EXTRACT_AUTH_MODE: 'anyone' })).toThrow(/METADATA_EXTRACT_AUTH_MODE must be api_key, entra or either/);
  });

  it('checks the seed\'s Entra audience and issuer against the configured identity provider', () => {
    const tenant = '11111111-2222-3333-4444-555555555555';
    const client = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const oidc = loadAuthSettings({ AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: client }).oidc;
    expect(() => checkMetadataEntraSettings({}, undefined)).not.toThrow();
    expect(() => checkMetadataEntraSettings({ METADATA_EXTRACT_AZURE_AD_AUDIENCE: `api://${client}`, METADATA_EXTRACT_AZURE_AD_ISSUER: `https://login.microsoftonline.com/${tenant}/v2.0` }, oidc)).not.toThrow();
    expect(() => checkMetadataEntraSettings({ METADATA_EXTRACT_AZURE_AD_AUDIENCE: 'api://other' }, oidc)).toThrow(/METADATA_EXTRACT_AZURE_AD_AUDIENCE/);
    expect(() => checkMetadataEntraSettings({ METADATA_EXTRACT_AZURE_AD_ISSUER: 'https://elsewhere.example.com' }, oidc)).toThrow(/METADATA_EXTRACT_AZURE_AD_ISSUER/);
    expect(() => checkMetadataEntraSettings({ METADATA_EXTRACT_AZURE_AD_AUDIENCE: 'x' }, undefined)).toThrow(/AZURE_TENANT_ID/);
  });

  it('has defaults for every media setting and refuses bad values by name', () => {
    expect(loadMediaSettings({})).toEqual({
      archiveContainer: 'wardrobe-archive', imagesContainer: 'wardrobe-images', urlTtlSeconds: 3600, maxInputPixels: 50_000_000, segmentation: undefined, metadataApiKey: undefined,
      metadataAuthClasses: ['apiKey', 'user'],
    });
    const configured = loadMediaSettings({ ARCHIVE_CONTAINER_NAME: 'originals', SEGMENTATION_ENDPOINT_URL: 'https://seg.example.com/remove', SEGMENTATION_SHARED_TOKEN: 't0k3n', METADATA_EXTRACT_API_KEY: ROUTE_KEY });
    expect(configured).toMatchObject({ archiveContainer: 'originals', segmentation: { token: 't0k3n', timeoutMs: 20_000 }, metadataApiKey: ROUTE_KEY });
    const refused = (env: Record<string, string>) => {
      try {
        loadMediaSettings(env);
      } catch (error) {
        return (error as ConfigError).variable;
      }
      return undefined;
    };
    expect(refused({ ARCHIVE_CONTAINER_NAME: 'Bad_Name' })).toBe('ARCHIVE_CONTAINER_NAME');
    expect(refused({ SEGMENTATION_ENDPOINT_URL: 'https://seg.example.com' })).toBe('SEGMENTATION_SHARED_TOKEN');
    expect(refused({ SEGMENTATION_SHARED_TOKEN: 'x' })).toBe('SEGMENTATION_ENDPOINT_URL');
    expect(refused({ SEGMENTATION_ENDPOINT_URL: 'http://seg.example.com', SEGMENTATION_SHARED_TOKEN: 'x' })).toBe('SEGMENTATION_ENDPOINT_URL');
    expect(refused({ SEGMENTATION_TIMEOUT_MS: 'soon' })).toBe('SEGMENTATION_TIMEOUT_MS');
    expect(refused({ METADATA_EXTRACT_API_KEY: 'short' })).toBe('METADATA_EXTRACT_API_KEY');
    expect(refused({ WARDROBE_IMAGE_URL_TTL_SECONDS: '0' })).toBe('WARDROBE_IMAGE_URL_TTL_SECONDS');
    // The auth mode is a media setting now (read at bind time), refused by name like the rest.
    expect(refused({ METADATA_EXTRACT_AUTH_MODE: 'anyone' })).toBe('METADATA_EXTRACT_AUTH_MODE');
    expect(loadMediaSettings({ METADATA_EXTRACT_AUTH_MODE: 'api_key' }).metadataAuthClasses).toEqual(['apiKey']);
  });

  it("accepts the route's extra key only where the route accepts API keys", async () => {
    const authenticate = withRouteApiKey(testAuthenticator, ROUTE_KEY, 'metadata-extract');
    const event = httpEvent({ method: 'POST', headers: { 'x-api-key': ROUTE_KEY } });
    await expect(authenticate(event, ['apiKey', 'user'])).resolves.toMatchObject({ userId: 'metadata-extract', via: 'apiKey' });
    await expect(authenticate(event, ['user'])).rejects.toMatchObject({ status: 401 });
    // Two keys (joined repeats) are not this key.
    await expect(authenticate(httpEvent({ headers: { 'x-api-key': `${ROUTE_KEY}, ${ROUTE_KEY}` } }), ['apiKey'])).rejects.toMatchObject({ status: 401 });
    expect(withRouteApiKey(testAuthenticator, undefined, 'x')).toBe(testAuthenticator);
  });
});
