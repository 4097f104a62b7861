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
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { chatContainers } from '../../../handlers/wardrobe/chat/store.ts';
import * as routes from '../../../handlers/wardrobe/chat/chat.routes.ts';
import * as defs from '../../../handlers/wardrobe/chat/functions.ts';
import { loadChatSettings, type ChatSettings } from '../../../handlers/wardrobe/chat/settings.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import type { Ports } from '../../../app/ports.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { isStreamingResult } from '../../../middleware/sse.ts';
import { readAll } from '../../streaming/frames.ts';
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

/** One PluckIt chat frame: its JSON. */
export type Frame = { type: string; traceId?: string } & Record<string, unknown>;

/**
 * The frames of a PluckIt chat stream, read as the web client reads them (split on a blank
 * line), and held to the contract: every part is exactly one `data: <json>` line, with nothing
 * after the last blank line. Empty `token` frames (the heartbeat) are dropped.
 */
export function chatFrames(text: string): Frame[] {
  const parts = text.split('\n\n');
  const rest = parts.pop();
  if (rest !== '') throw new Error(`text after the last frame: ${JSON.stringify(rest)}`);
  return parts
    .map((part) => {
      if (!/^data: [^\n]*$/.test(part)) throw new Error(`not one data line: ${JSON.stringify(part)}`);
      return JSON.parse(part.slice('data: '.length)) as Frame;
    })
    .filter((frame) => !(frame.type === 'token' && frame.content === ''));
}

export interface ChatReply {
  statusCode: number;
  headers: Record<string, string>;
  /** The problem or JSON answer (not streamed). */
  json?: Record<string, unknown>;
  /** The frames (streamed). */
  events?: Frame[];
  /** The stream's wire text. */
  raw?: string;
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

type ChatRoute = 'chat' | 'listConversations' | 'getConversation' | 'deleteConversation' | 'getMemory' | 'putMemory';

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
        deleteConversation: httpHandler(defs.deleteConversation, routes.deleteConversation(deps), platform),
        getMemory: httpHandler(defs.getMemory, routes.getMemory(deps), platform),
        putMemory: httpHandler(defs.putMemory, routes.putMemory(deps), platform),
      };

  const headersFor = (user: string, body: boolean) => ({ authorization: `Bearer user:${user}`, ...(body ? { 'content-type': 'application/json' } : {}) });

  /** Calls a route; a stream is read to its end. */
  async function call(handler: HttpLambda, init: EventInit, pathParameters?: Record<string, string>): Promise<ChatReply> {
    const result: unknown = await handler({ ...httpEvent(init), ...(pathParameters ? { pathParameters } : {}) }, lambdaContext());
    const { statusCode, headers } = result as { statusCode: number; headers: Record<string, string> };
    if (isStreamingResult(result)) {
      const raw = await readAll(result.body);
      return { statusCode, headers, raw, events: chatFrames(raw) };
    }
    const body = (result as { body?: string }).body;
    return { statusCode, headers, ...(body ? { json: JSON.parse(body) as Record<string, unknown> } : {}) };
  }

  /** POST /api/chat, returning the raw result so a test can read (or abandon) the stream itself. */
  const startChat = (user: string, body: unknown) =>
    http.chat(httpEvent({ method: 'POST', path: '/api/chat', headers: headersFor(user, true), body: JSON.stringify(body) }), lambdaContext());

  const chat = (user: string, body: unknown, headers: Record<string, string> = {}) =>
    call(http.chat, { method: 'POST', path: '/api/chat', headers: { ...headersFor(user, true), accept: 'text/event-stream', ...headers }, body: JSON.stringify(body) });
  const conversations = (user: string, query = '') => call(http.listConversations, { path: '/api/chat/conversations', query, headers: headersFor(user, false) });
  const conversation = (user: string, id: string, query = '') =>
    call(http.getConversation, { path: `/api/chat/conversations/${encodeURIComponent(id)}`, query, headers: headersFor(user, false) }, { id });
  const deleteConversation = (user: string, id: string) =>
    call(http.deleteConversation, { method: 'DELETE', path: `/api/chat/conversations/${encodeURIComponent(id)}`, headers: headersFor(user, false) }, { id });
  const memory = (user: string) => call(http.getMemory, { path: '/api/chat/memory', headers: headersFor(user, false) });
  const putMemory = (user: string, body: unknown) => call(http.putMemory, { method: 'PUT', path: '/api/chat/memory', headers: headersFor(user, true), body: JSON.stringify(body) });

  /** Every document in the chat containers and the items container, for "nothing stored" checks. */
  async function snapshot(): Promise<string> {
    const all: Record<string, Document[]> = {};
    for (const spec of [...chatContainers, itemsContainer]) {
      const page = await documents.repository(spec).query({ limit: 1000 });
      all[spec.name] = page.items.map(({ etag: _etag, ...doc }) => doc);
    }
    return JSON.stringify(all);
  }

  /** Stores a clothing item as the items area stores it (StoredClothingItem); answers its id. */
  async function addItem(userId: string, item: Partial<StoredClothingItem> = {}): Promise<string> {
    const itemId = item.id ?? `item-${run}-${++id}`;
    await documents.repository(itemsContainer).create({ tags: [], colours: [], wearCount: 0, isWishlisted: false, ...item, id: itemId, userId } as StoredClothingItem & Document);
    return itemId;
  }

  return { clock, documents, platform, deps, http, model: scripted, call, startChat, chat, conversations, conversation, deleteConversation, memory, putMemory, snapshot, addItem };
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
    deleteConversation: bound(defs.deleteConversation),
    getMemory: bound(defs.getMemory),
    putMemory: bound(defs.putMemory),
  };
}

/** The frames' types in order. */
export const names = (events: readonly Frame[] = []) => events.map((frame) => frame.type);
/** The streamed answer text. */
export const textOf = (events: readonly Frame[] = []) =>
  events.filter((frame) => frame.type === 'token').map((frame) => frame.content as string).join('');
/** The conversation id the `done` frame names. */
export const conversationOf = (events: readonly Frame[] = []) => events.find((frame) => frame.type === 'done')?.conversationId as string;
