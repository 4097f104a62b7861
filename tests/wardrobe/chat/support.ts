/**
 * The chat routes through the real HTTP stack on memory ports, with a scripted language model.
 * By default each factory of chat.routes.ts is called with memory ports and wrapped as `bind`
 * wraps it (`httpHandler(def, inner, platform)`), so tests can give settings the environment
 * cannot (a stream limit under a second). With `app`, the handlers are the app's own: the
 * wardrobe manifest through testApp's `bind` (functions.ts handler strings, deps.settings.chat
 * read from that environment), on the same memory ports.
 */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import { ModelError, type LanguageModel, type StreamChunk, type StreamRequest } from '../../../domain/ai.ts';
import type { Document, DocumentStore } from '../../../domain/ports.ts';
import type { Env } from '../../../kernel/env.ts';
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';
import { chatContainers } from '../../../handlers/wardrobe/chat/store.ts';
import * as routes from '../../../handlers/wardrobe/chat/chat.routes.ts';
import * as defs from '../../../handlers/wardrobe/chat/functions.ts';
import { loadChatSettings, type ChatSettings } from '../../../handlers/wardrobe/chat/settings.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import type { Ports } from '../../../app/ports.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { isStreamingResult } from '../../../middleware/sse.ts';
import { eventsOf, parseFrames, readAll, type Frame } from '../../streaming/frames.ts';
import { testApp } from '../../support/app.ts';
import { testClock } from '../../support/jobs.ts';
import { asUser, httpEvent, lambdaContext, testPlatform, type EventInit } from '../../support/platform.ts';

export { asUser };

/** One scripted model call: the deltas it yields, then `done`, or a failure. */
export interface Script {
  deltas?: string[];
  /** Throw this after yielding `failAfter` deltas (default: all of them). */
  error?: unknown;
  failAfter?: number;
  /** End without a `done` chunk (a broken stream). */
  noDone?: boolean;
  /** After the deltas, wait until the request's signal aborts (a stall). */
  stall?: boolean;
}

/** A LanguageModel that plays scripts in order (then streams the request's offline answer) and records every request. */
export function scriptedModel(scripts: Script[] = []) {
  const requests: StreamRequest[] = [];
  const model: LanguageModel = {
    provider: 'offline',
    model: 'scripted',
    structured: async () => {
      throw new Error('not used by chat');
    },
    async *stream(request): AsyncGenerator<StreamChunk> {
      requests.push(request);
      const script = scripts.shift() ?? { deltas: request.offline().match(/\S+\s*/g) ?? [] };
      const deltas = script.deltas ?? [];
      const failAfter = script.failAfter ?? deltas.length;
      for (const [index, text] of deltas.entries()) {
        if (script.error !== undefined && index === failAfter) throw script.error;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (request.signal?.aborted) throw new ModelError('aborted');
        yield { type: 'delta', text };
      }
      if (script.error !== undefined) throw script.error;
      if (script.stall) {
        await new Promise<void>((resolve) => request.signal?.addEventListener('abort', () => resolve(), { once: true }));
        throw new ModelError('aborted');
      }
      if (!script.noDone) yield { type: 'done', model: 'scripted', usage: { inputTokens: 10, outputTokens: deltas.length }, offline: false };
    },
  };
  return { model, requests, scripts };
}

export interface ChatReply {
  statusCode: number;
  headers: Record<string, string>;
  /** The problem or JSON answer (not streamed). */
  json?: Record<string, unknown>;
  /** The event frames, heartbeats dropped (streamed). */
  events?: Frame[];
}

export const testSettings = (overrides: Partial<ChatSettings> = {}): ChatSettings => ({ ...loadChatSettings({}), heartbeatSeconds: 60, ...overrides });

export interface SetupOptions {
  settings?: Partial<ChatSettings>;
  scripts?: Script[];
  model?: LanguageModel;
  documents?: DocumentStore;
  clock?: ReturnType<typeof testClock>;
  /** Bind the app's handlers with this environment instead (`settings` is then ignored). */
  app?: Env;
}

type ChatRoute = 'chat' | 'listConversations' | 'getConversation' | 'listMemory' | 'addMemory' | 'deleteMemory';

export function setup(options: SetupOptions = {}) {
  const clock = options.clock ?? testClock();
  const documents = options.documents ?? new MemoryDocumentStore(clock);
  const platform = testPlatform({ authenticate: asUser });
  const scripted = scriptedModel(options.scripts);
  // Unique per setup, so tests sharing one store (the emulator) never collide.
  const run = Math.random().toString(36).slice(2, 8);
  let id = 0;
  const deps: routes.ChatStreamDeps = {
    documents,
    model: options.model ?? scripted.model,
    clock,
    ids: { next: () => `id-${run}-${++id}` },
    settings: { chat: options.app ? loadChatSettings(options.app) : testSettings(options.settings) },
  };
  const http: Record<ChatRoute, HttpLambda> = options.app
    ? boundByApp(options.app, { documents, clock, ids: deps.ids, model: deps.model, platform })
    : {
        chat: httpHandler(defs.chat, routes.chat(deps), platform),
        listConversations: httpHandler(defs.listConversations, routes.listConversations(deps), platform),
        getConversation: httpHandler(defs.getConversation, routes.getConversation(deps), platform),
        listMemory: httpHandler(defs.listMemory, routes.listMemory(deps), platform),
        addMemory: httpHandler(defs.addMemory, routes.addMemory(deps), platform),
        deleteMemory: httpHandler(defs.deleteMemory, routes.deleteMemory(deps), platform),
      };

  const headersFor = (user: string, body: boolean) => ({ authorization: `Bearer user:${user}`, ...(body ? { 'content-type': 'application/json' } : {}) });

  /** Calls a route; a stream is read to its end. */
  async function call(handler: HttpLambda, init: EventInit, pathParameters?: Record<string, string>): Promise<ChatReply> {
    const result: unknown = await handler({ ...httpEvent(init), ...(pathParameters ? { pathParameters } : {}) }, lambdaContext());
    const { statusCode, headers } = result as { statusCode: number; headers: Record<string, string> };
    if (isStreamingResult(result)) return { statusCode, headers, events: eventsOf(parseFrames(await readAll(result.body))) };
    const body = (result as { body?: string }).body;
    return { statusCode, headers, ...(body ? { json: JSON.parse(body) as Record<string, unknown> } : {}) };
  }

  /** POST /api/chat, returning the raw result so a test can read (or abandon) the stream itself. */
  const startChat = (user: string, body: unknown) =>
    http.chat(httpEvent({ method: 'POST', path: '/api/chat', headers: headersFor(user, true), body: JSON.stringify(body) }), lambdaContext());

  const chat = (user: string, body: unknown) => call(http.chat, { method: 'POST', path: '/api/chat', headers: headersFor(user, true), body: JSON.stringify(body) });
  const conversations = (user: string, query = '') => call(http.listConversations, { path: '/api/chat/conversations', query, headers: headersFor(user, false) });
  const conversation = (user: string, id: string, query = '') =>
    call(http.getConversation, { path: `/api/chat/conversations/${encodeURIComponent(id)}`, query, headers: headersFor(user, false) }, { id });
  const memory = (user: string) => call(http.listMemory, { path: '/api/chat/memory', headers: headersFor(user, false) });
  const remember = (user: string, body: unknown) => call(http.addMemory, { method: 'POST', path: '/api/chat/memory', headers: headersFor(user, true), body: JSON.stringify(body) });
  const forget = (user: string, id: string) => call(http.deleteMemory, { method: 'DELETE', path: `/api/chat/memory/${encodeURIComponent(id)}`, headers: headersFor(user, false) }, { id });

  /** Every document in the chat containers and the items container, for "nothing stored" checks. */
  async function snapshot(): Promise<string> {
    const all: Record<string, Document[]> = {};
    for (const spec of [...chatContainers, itemsContainer]) {
      const page = await documents.repository(spec).query({ limit: 1000 });
      all[spec.name] = page.items.map(({ etag: _etag, ...doc }) => doc);
    }
    return JSON.stringify(all);
  }

  async function addItem(userId: string, item: Partial<WardrobeItem> & Pick<WardrobeItem, 'name' | 'category'>): Promise<void> {
    const now = clock.now().toISOString();
    await documents.repository(itemsContainer).create({
      id: `item-${run}-${++id}`, userId, colours: [], brand: null, price: null, currency: null, imageId: null, imageUrl: null, tags: [], purchaseDate: null,
      wearCount: 0, lastWornAt: null, status: 'active', source: null, createdAt: now, updatedAt: now, ...item,
    });
  }

  return { clock, documents, platform, deps, http, model: scripted, call, startChat, chat, conversations, conversation, memory, remember, forget, snapshot, addItem };
}

/**
 * The app's handlers, bound on first call: the wardrobe manifest (imported then, so the other
 * chat tests never load the rest of the wardrobe) through testApp, on the given ports.
 */
function boundByApp(env: Env, ports: Pick<Ports, 'documents' | 'clock' | 'ids' | 'model' | 'platform'>): Record<ChatRoute, HttpLambda> {
  const app = import('../../../handlers/wardrobe/index.ts').then(({ default: wardrobe }) => testApp({ services: [wardrobe], env, ports }));
  const bound = (def: { name: string }): HttpLambda => async (event, context) => (await (await app).handler<HttpLambda>(def.name))(event, context);
  return {
    chat: bound(defs.chat),
    listConversations: bound(defs.listConversations),
    getConversation: bound(defs.getConversation),
    listMemory: bound(defs.listMemory),
    addMemory: bound(defs.addMemory),
    deleteMemory: bound(defs.deleteMemory),
  };
}

/** The events' names in order. */
export const names = (events: readonly Frame[] = []) => events.map((frame) => frame.event);
/** The streamed answer text. */
export const textOf = (events: readonly Frame[] = []) =>
  events.filter((frame) => frame.event === 'token').map((frame) => (frame.data as { text: string }).text).join('');
