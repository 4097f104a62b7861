/**
 * The wardrobe item routes: each factory called with memory ports (or a given store), its
 * handler wrapped in the real httpHandler stack of its definition as `bind` does; a controllable
 * clock, predictable ids, the memory blob store, and signed-in users.
 */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import type { LanguageModel } from '../../../domain/ai.ts';
import { unauthorized } from '../../../domain/errors.ts';
import type { DocumentStore } from '../../../domain/ports.ts';
import * as itemDefs from '../../../handlers/wardrobe/items/functions.ts';
import { MemoryBlobStore } from '../../../adapters/memory/blobs.ts';
import { createItem, deleteItem, getItem, listItems, replaceItem } from '../../../handlers/wardrobe/items/items.routes.ts';
import { listWearSuggestions, logWear, recordStylingActivity, updateWearSuggestion, wearHistory } from '../../../handlers/wardrobe/items/wear.routes.ts';
import { loadMediaSettings } from '../../../handlers/wardrobe/media/settings.ts';
import type { Authenticator } from '../../../middleware/auth.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { imagesContainer, type WardrobeImageDoc } from '../../../handlers/wardrobe/media/store.ts';
import { testClock } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform } from '../../support/platform.ts';

/** `Authorization: Bearer user:<id>` signs in as <id>. */
export const bearerUsers: Authenticator = async (event) => {
  const match = /^Bearer user:([A-Za-z0-9-]+)$/.exec(event.headers.authorization ?? '');
  if (!match?.[1]) throw unauthorized();
  return { userId: match[1], qualifiedId: `portico|${match[1]}`, issuer: 'portico', via: 'token', roles: [], isAdmin: false };
};

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read loosely; the assertions are the check
  json: Record<string, any>;
}

/** A model that answers what the test says (or fails), recording each request. */
export function fakeModel(answer: (offline: () => unknown) => unknown): LanguageModel & { requests: Parameters<LanguageModel['structured']>[0][] } {
  const requests: Parameters<LanguageModel['structured']>[0][] = [];
  return {
    provider: 'openai',
    model: 'fake-model',
    requests,
    structured: async <T,>(request: Parameters<LanguageModel['structured']>[0] & { offline: () => T }) => {
      requests.push(request);
      return { value: answer(request.offline) as T, model: 'fake-model', usage: { inputTokens: 1, outputTokens: 1 }, offline: false };
    },
    stream: () => {
      throw new Error('not used');
    },
  };
}

export function setup(options: { store?: DocumentStore; clock?: ReturnType<typeof testClock>; model?: LanguageModel } = {}) {
  const clock = options.clock ?? testClock();
  const documents = options.store ?? new MemoryDocumentStore(clock);
  const platform = testPlatform({ authenticate: bearerUsers, maxBodyBytes: 256 * 1024 });
  let n = 0;
  const ids = { next: () => `id-${String(++n).padStart(4, '0')}` };
  const model = options.model ?? fakeModel((offline) => offline());
  const blobs = new MemoryBlobStore({ clock });
  const deps = { documents, clock, ids, model, blobs, settings: { media: loadMediaSettings({}) } };
  const items = {
    list: httpHandler(itemDefs.listItems, listItems(deps), platform),
    create: httpHandler(itemDefs.createItem, createItem(deps), platform),
    get: httpHandler(itemDefs.getItem, getItem(deps), platform),
    replace: httpHandler(itemDefs.replaceItem, replaceItem(deps), platform),
    remove: httpHandler(itemDefs.deleteItem, deleteItem(deps), platform),
    wear: httpHandler(itemDefs.logWear, logWear(deps), platform),
    history: httpHandler(itemDefs.wearHistory, wearHistory(deps), platform),
    styling: httpHandler(itemDefs.recordStylingActivity, recordStylingActivity(deps), platform),
    suggestions: httpHandler(itemDefs.listWearSuggestions, listWearSuggestions(deps), platform),
    settle: httpHandler(itemDefs.updateWearSuggestion, updateWearSuggestion(deps), platform),
  };

  async function call(handler: HttpLambda, user: string | undefined, init: { method: string; path: string; body?: unknown; rawBody?: string; query?: string; headers?: Record<string, string> }, id?: string, idName = 'id'): Promise<Reply> {
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const event = httpEvent({
      method: init.method,
      path: init.path,
      headers: { ...(user ? { authorization: `Bearer user:${user}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(body !== undefined ? { body } : {}),
      ...(init.query ? { query: init.query } : {}),
    });
    const result = await handler({ ...event, ...(id !== undefined ? { pathParameters: { [idName]: id } } : {}) }, lambdaContext());
    const text = result.body ?? '';
    return {
      statusCode: result.statusCode ?? 0,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([key, value]) => [key.toLowerCase(), String(value)])),
      json: text ? (JSON.parse(text) as Reply['json']) : {},
    };
  }

  const as = (user: string) => ({
    post: (body: unknown) => call(items.create, user, { method: 'POST', path: '/api/wardrobe', body }),
    list: (query = '') => call(items.list, user, { method: 'GET', path: '/api/wardrobe', query }),
    get: (id: string) => call(items.get, user, { method: 'GET', path: `/api/wardrobe/${id}` }, id),
    put: (id: string, body: unknown, headers?: Record<string, string>) => call(items.replace, user, { method: 'PUT', path: `/api/wardrobe/${id}`, body, ...(headers ? { headers } : {}) }, id),
    del: (id: string, headers?: Record<string, string>) => call(items.remove, user, { method: 'DELETE', path: `/api/wardrobe/${id}`, ...(headers ? { headers } : {}) }, id),
    /** `body` undefined sends no body at all. */
    wearItem: (id: string, body?: unknown, rawBody?: string) => call(items.wear, user, { method: 'PATCH', path: `/api/wardrobe/${id}/wear`, ...(body !== undefined ? { body } : {}), ...(rawBody !== undefined ? { rawBody } : {}) }, id),
    history: (id: string, query = '') => call(items.history, user, { method: 'GET', path: `/api/wardrobe/${id}/wear-history`, query }, id),
    styling: (body: unknown) => call(items.styling, user, { method: 'POST', path: '/api/wardrobe/styling-activity', body }),
    suggestions: () => call(items.suggestions, user, { method: 'GET', path: '/api/wardrobe/suggestions/wear' }),
    settle: (id: string, body: unknown) => call(items.settle, user, { method: 'PATCH', path: `/api/wardrobe/suggestions/wear/${id}`, body }, id, 'suggestionId'),
  });

  /** An uploaded image's document, as POST /api/process-image stores it (items may only name their owner's). */
  async function seedImage(userId: string, imageId: string): Promise<void> {
    const blob = { container: 'wardrobe-images', blob: `${userId}/${imageId}.webp`, contentType: 'image/webp' as const, bytes: 1, width: 1, height: 1 };
    await documents.repository<WardrobeImageDoc>(imagesContainer).create({ id: imageId, userId, original: blob, processed: blob, dominantColours: [], backgroundRemoval: { status: 'skipped', reason: 'not_configured' }, createdAt: clock.now().toISOString() });
  }

  return { clock, documents, blobs, platform, items, model, call, as, seedImage };
}
