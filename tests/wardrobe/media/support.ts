/**
 * The media routes on memory ports with the real sharp adapter: generated images, a fake model, a
 * token-free authenticator. Each factory is called with the ports and its handler wrapped in the
 * real httpHandler stack of its definition, with the route's own authenticator, as `bind` does.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { SharpImages } from '../../../adapters/images/sharp-images.ts';
import { MemoryBlobStore } from '../../../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import type { HttpLambda } from '../../../kernel/functions.ts';
import type { LanguageModel, StructuredRequest, StructuredResult } from '../../../domain/ai.ts';
import { unauthorized } from '../../../domain/errors.ts';
import type { BlobStore, DocumentStore } from '../../../domain/ports.ts';
import type { BackgroundRemover } from '../../../domain/wardrobe/media.ts';
import { imagesContainer, type WardrobeImageDoc } from '../../../handlers/wardrobe/media/store.ts';
import * as defs from '../../../handlers/wardrobe/media/functions.ts';
import { extractMetadata as extractMetadataRoute, processImage as processImageRoute } from '../../../handlers/wardrobe/media/media.routes.ts';
import { loadMediaSettings, type MediaSettings } from '../../../handlers/wardrobe/media/settings.ts';
import type { Authenticator } from '../../../middleware/auth.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import type { Identity } from '../../../middleware/context.ts';
import { call } from '../../identity/support.ts';
import { testClock } from '../../support/jobs.ts';
import { testPlatform } from '../../support/platform.ts';

export { call };

/** The API key this authenticator knows (as API_KEYS would), and the route-only one. */
export const SERVICE_KEY = 'service-key-0123456789';
export const ROUTE_KEY = 'metadata-route-key-0123456789';

/** `Bearer user:<id>` is that user; `X-API-Key: SERVICE_KEY` a service. Stands in for the real authenticator. */
export const testAuthenticator: Authenticator = async (event, accepted) => {
  const key = event.headers?.['x-api-key'];
  if (key !== undefined) {
    if (key !== SERVICE_KEY || !accepted.includes('apiKey')) throw unauthorized();
    return { userId: 'service', qualifiedId: 'api-key|service', issuer: 'api-key', via: 'apiKey', roles: [], isAdmin: false } satisfies Identity;
  }
  const match = /^Bearer user:([A-Za-z0-9-]+)$/.exec(event.headers?.authorization ?? '');
  if (!match?.[1] || !accepted.includes('user')) throw unauthorized();
  return { userId: match[1], qualifiedId: `portico|${match[1]}`, issuer: 'portico', via: 'token', roles: [], isAdmin: false };
};

export const asUser = (userId: string) => ({ authorization: `Bearer user:${userId}` });

export type ModelBehaviour = 'offline' | ((request: StructuredRequest<unknown>) => unknown);

/** A LanguageModel that answers offline (as the offline provider does), with a canned value, or throws. */
export function fakeModel(behaviour: ModelBehaviour = 'offline'): LanguageModel & { requests: StructuredRequest<unknown>[] } {
  const requests: StructuredRequest<unknown>[] = [];
  return {
    provider: behaviour === 'offline' ? 'offline' : 'openai',
    model: behaviour === 'offline' ? 'offline' : 'fake-vision-1',
    requests,
    async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
      requests.push(request as StructuredRequest<unknown>);
      if (behaviour === 'offline') return { value: request.offline(), model: 'offline', usage: { inputTokens: 0, outputTokens: 0 }, offline: true };
      const value = behaviour(request as StructuredRequest<unknown>);
      return { value: value as T, model: 'fake-vision-1', usage: { inputTokens: 100, outputTokens: 50 }, offline: false };
    },
    async *stream() {
      throw new Error('not used by the media routes');
    },
  };
}

/** Segmentation settings for tests that give a BackgroundRemover: only their presence matters. */
const SEGMENTATION_SETTINGS = { endpoint: new URL('https://segmentation.test/remove'), token: 'test-token', timeoutMs: 1000 };

export interface SetupOptions {
  /** On top of the defaults and METADATA_EXTRACT_API_KEY = ROUTE_KEY. */
  settings?: Partial<MediaSettings>;
  /** Background removal; the settings then configure segmentation. */
  segmentation?: BackgroundRemover;
  model?: LanguageModel;
  blobs?: BlobStore;
  documents?: DocumentStore;
}

export function setup(options: SetupOptions = {}) {
  const clock = testClock();
  const settings: MediaSettings = {
    ...loadMediaSettings({}),
    metadataApiKey: ROUTE_KEY,
    ...(options.segmentation ? { segmentation: SEGMENTATION_SETTINGS } : {}),
    ...options.settings,
  };
  const platform = testPlatform({ authenticate: testAuthenticator });
  const documents = options.documents ?? new MemoryDocumentStore(clock);
  const blobs = options.blobs ?? new MemoryBlobStore({ clock });
  const model = options.model ?? fakeModel();
  const segmentation = options.segmentation;
  const deps = {
    platform,
    documents,
    blobs,
    images: (imageOptions: { maxInputPixels: number }) => new SharpImages(imageOptions),
    segmentation: (): BackgroundRemover => {
      if (!segmentation) throw new Error('The routes asked for background removal, but the settings do not configure it.');
      return segmentation;
    },
    settings: { media: settings },
    ids: { next: () => randomUUID() },
    clock,
    model,
  };
  const processImage: HttpLambda = httpHandler(defs.processImage, processImageRoute(deps), platform);
  const metadataRoute = extractMetadataRoute(deps);
  const extractMetadata: HttpLambda = httpHandler(defs.extractMetadata, metadataRoute.handler, { ...platform, authenticate: metadataRoute.authenticate });

  const upload = (headers: Record<string, string>, bytes: Uint8Array, contentType: string) =>
    call(processImage, { method: 'POST', path: '/api/process-image', headers: { 'content-type': contentType, ...headers }, body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true });

  const extract = (headers: Record<string, string>, body: unknown) =>
    call(extractMetadata, { method: 'POST', path: '/api/extract-clothing-metadata', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  /** Everything stored: image documents and blob names in both containers. */
  async function stored() {
    const docs = await documents.repository<WardrobeImageDoc>(imagesContainer).query({ limit: 1000 });
    return { documents: docs.items, archive: await blobs.list(settings.archiveContainer), images: await blobs.list(settings.imagesContainer) };
  }

  return { settings, platform, documents, blobs, model, processImage, extractMetadata, upload, extract, stored };
}

// ---------------------------------------------------------------- generated images

export type Colour = { r: number; g: number; b: number; alpha?: number };

export const solid = (width: number, height: number, background: Colour) => sharp({ create: { width, height, channels: 4, background: { alpha: 1, ...background } } });

export const png = (width: number, height: number, background: Colour) => solid(width, height, background).png().toBuffer();
export const jpeg = (width: number, height: number, background: Colour) => solid(width, height, background).jpeg({ quality: 95 }).toBuffer();
export const webp = (width: number, height: number, background: Colour) => solid(width, height, background).webp({ lossless: true }).toBuffer();
export const avif = (width: number, height: number, background: Colour) => solid(width, height, background).avif({ lossless: true }).toBuffer();

/** A landscape JPEG whose EXIF says "rotate 90°": shown as portrait, with GPS-like metadata to strip. */
export const rotatedJpeg = (width: number, height: number) =>
  solid(width, height, { r: 200, g: 30, b: 40 }).jpeg().withMetadata({ orientation: 6 }).withExif({ IFD0: { Copyright: 'secret-owner', Artist: 'someone' } }).toBuffer();

/** A cut-out as a segmentation service would return it: a garment in the middle, transparent around it. */
export async function cutout(width: number, height: number, garment: Colour): Promise<Buffer> {
  const inner = await solid(Math.floor(width / 2), Math.floor(height / 2), garment).png().toBuffer();
  return solid(width, height, { r: 255, g: 255, b: 255, alpha: 0 })
    .composite([{ input: inner, gravity: 'centre' }])
    .png()
    .toBuffer();
}
