/**
 * The chat routes (see functions.ts), one factory per function. `POST /api/chat` does every
 * check that can refuse the request first (message length, conversation ownership, the memory
 * fact, the per-user stream cap) and answers those as problem+json; only then does it store
 * anything and start the event stream. From that point every failure, the model's included (even
 * before its first token), is an in-band `error` event, and the answer is stored `incomplete`
 * with whatever text it had.
 */
import { ModelError, type LanguageModel, type ModelUsage } from '../../../domain/ai.ts';
import { AppError, badRequest, notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { detectMemoryFact } from '../../../domain/wardrobe/memory.ts';
import { buildPrompt, CHAT_SYSTEM_PROMPT, offlineChatAnswer, summariseWardrobe, type SummaryItem } from '../../../domain/wardrobe/prompt.ts';
import type { PorticoContext } from '../../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { callTrace } from '../../../middleware/trace-context.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import { sseResponse, streamEndCode, type SseEvent } from '../../../middleware/sse.ts';
import { itemsContainer, type WardrobeItemDoc } from '../items/store.ts';
import { conversationView, createConversationStore, createMemoryStore, factView, turnView, type MessageDoc } from './store.ts';
import type { ChatSettings } from './settings.ts';
import { createStreamSlots } from './stream-slots.ts';

/** What the conversation and memory routes use. */
export interface ChatRoutesDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
  settings: { chat: ChatSettings };
}

/** What the streamed chat uses: the same, and the language model. */
export interface ChatStreamDeps extends ChatRoutesDeps {
  model: LanguageModel;
}

export interface ChatBody {
  message: string;
  conversationId?: string;
}

/** A lease outlives the longest stream a little, so a crashed instance's lease stops counting soon after. */
const LEASE_MARGIN_MS = 30_000;

const idOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';

/** Why an answer stopped short, as stored on it: the stream's own reason first, then the error's code. */
function incompleteReason(error: unknown, signal: AbortSignal): string {
  const ended = streamEndCode(signal);
  if (ended) return ended;
  if (error instanceof AppError) return error.code;
  return error === undefined ? 'client_closed' : 'internal';
}

/**
 * The ports are named one by one, never spread: the app's Deps inherits them from the port
 * catalog (its prototype), and a spread copies only own properties.
 */
const portsOf = ({ documents, clock, ids }: ChatRoutesDeps) => ({ documents, clock, ids });

const memoryOf = (deps: ChatRoutesDeps) => createMemoryStore({ ...portsOf(deps), limits: deps.settings.chat });

/** POST /api/chat: the answer as Server-Sent Events (`meta`, `token`s, then `done` or an in-band `error`). */
export const chat = (deps: ChatStreamDeps): PorticoHttpHandler<ChatBody> => {
  const settings = deps.settings.chat;
  const conversations = createConversationStore(deps);
  const memory = memoryOf(deps);
  const slots = createStreamSlots({ ...portsOf(deps), maxPerUser: settings.maxStreamsPerUser, leaseMs: settings.streamMaxSeconds * 1000 + LEASE_MARGIN_MS });
  const items = deps.documents.repository<WardrobeItemDoc>(itemsContainer);

  /** The most worn active items, bounded: the summary never reads a whole wardrobe. */
  const wardrobeOf = async (userId: string): Promise<SummaryItem[]> =>
    (await items.query({ partitionKey: userId, filters: [{ field: 'status', op: '=', value: 'active' }], orderBy: { field: 'wearCount', direction: 'desc' }, limit: settings.summaryMaxItems })).items;

  async function storeIncomplete(answer: MessageDoc, text: string, reason: string, context: PorticoContext): Promise<void> {
    try {
      await conversations.finishAnswer(answer, { content: text, status: 'incomplete', error: reason });
    } catch (error) {
      // The placeholder is already stored as incomplete; only the partial text is lost.
      context.log.warn({ err: error, messageId: answer.id }, 'could not store the partial answer');
    }
    context.log.info({ messageId: answer.id, reason, chars: text.length }, 'chat answer incomplete');
  }

  return async (event, context) => {
    const userId = ownerOf(context);
    const { message, conversationId } = event.json;
    // ---- every refusal comes before anything is written
    if (message.length > settings.maxMessageChars) throw badRequest('message_too_long', `A message may be at most ${settings.maxMessageChars} characters.`);
    if (conversationId !== undefined && !(await conversations.get(userId, conversationId))) throw notFound('No such conversation.');
    const fact = detectMemoryFact(message);
    if (fact) await memory.check(userId, fact);
    const lease = await slots.acquire(userId);

    let prepared;
    try {
      // The fact goes in first, so this very answer already knows it.
      const remembered = fact ? (await memory.add(userId, fact, 'chat')).fact : undefined;
      const [wardrobe, facts, history] = await Promise.all([
        wardrobeOf(userId),
        memory.list(userId),
        conversationId ? conversations.recentTurns(userId, conversationId, settings.historyTurns) : [],
      ]);
      const memoryTexts = facts.map((saved) => saved.text);
      const prompt = buildPrompt({
        system: CHAT_SYSTEM_PROMPT,
        memory: memoryTexts,
        summary: summariseWardrobe(wardrobe, settings.summaryMaxItems),
        history,
        message,
        budget: settings.promptTokenBudget,
      });
      const exchange = await conversations.reserveExchange(userId, conversationId, message);
      const answer = await conversations.storeExchange(userId, exchange, message);
      prepared = { remembered, prompt, answer, offline: () => offlineChatAnswer({ message, memory: memoryTexts, items: wardrobe }) };
    } catch (error) {
      await slots.release(userId, lease, context.log);
      throw error;
    }
    const { remembered, prompt, answer, offline } = prepared;
    context.log.info({ conversationId: answer.conversationId, promptTokens: prompt.tokens, droppedTurns: prompt.droppedTurns, remembered: Boolean(remembered) }, 'chat stream starting');

    async function* produce(signal: AbortSignal): AsyncIterable<SseEvent> {
      let text = '';
      let finished = false;
      let failure: unknown;
      try {
        yield { event: 'meta', data: { conversationId: answer.conversationId, messageId: answer.id, ...(remembered ? { remembered: factView(remembered) } : {}) } };
        let done: { model: string; usage: ModelUsage; offline: boolean } | undefined;
        const stream = deps.model.stream({
          task: 'wardrobe.chat',
          messages: prompt.messages,
          maxOutputTokens: settings.maxOutputTokens,
          signal,
          userId,
          ...callTrace(context),
          offline,
        });
        for await (const chunk of stream) {
          if (chunk.type === 'done') {
            done = chunk;
            continue;
          }
          if (!chunk.text) continue;
          text += chunk.text;
          yield { event: 'token', data: { text: chunk.text } };
        }
        if (!done) throw new ModelError('unavailable', { message: 'The language model stopped without finishing its answer.' });
        await conversations.finishAnswer(answer, { content: text, status: 'complete', model: done.model, usage: done.usage });
        finished = true;
        yield { event: 'done', data: { conversationId: answer.conversationId, messageId: answer.id, model: done.model, offline: done.offline, usage: done.usage } };
      } catch (error) {
        failure = error;
        throw error; // written in band by sseResponse
      } finally {
        // Reached on success, on an error, and when the client goes away (the stream returns us).
        if (!finished) await storeIncomplete(answer, text, incompleteReason(failure, signal), context);
        await slots.release(userId, lease, context.log);
      }
    }

    return sseResponse(produce, { heartbeatMs: settings.heartbeatSeconds * 1000, maxDurationMs: settings.streamMaxSeconds * 1000, log: context.log });
  };
};

/** GET /api/chat/conversations: the user's conversations, most recently active first. */
export const listConversations = (deps: ChatRoutesDeps): PorticoHttpHandler => {
  const conversations = createConversationStore(deps);
  return async (event, context) => {
    const page = await conversations.list(ownerOf(context), pageRequestOf(event));
    return json(200, { items: page.items.map(conversationView), ...(page.continuation ? { continuation: page.continuation } : {}) });
  };
};

/** GET /api/chat/conversations/{id}: one conversation and a page of its turns, oldest first. */
export const getConversation = (deps: ChatRoutesDeps): PorticoHttpHandler => {
  const conversations = createConversationStore(deps);
  return async (event, context) => {
    const userId = ownerOf(context);
    const conversation = await conversations.get(userId, idOf(event));
    if (!conversation) throw notFound('No such conversation.');
    const page = await conversations.turns(userId, conversation.id, pageRequestOf(event));
    return json(200, { conversation: conversationView(conversation), turns: page.items.map(turnView), ...(page.continuation ? { continuation: page.continuation } : {}) });
  };
};

/** GET /api/chat/memory: every memory fact of the user, oldest first, and the bound. */
export const listMemory = (deps: ChatRoutesDeps): PorticoHttpHandler => {
  const memory = memoryOf(deps);
  const { memoryMaxFacts } = deps.settings.chat;
  return async (_event, context) => json(200, { facts: (await memory.list(ownerOf(context))).map(factView), maxFacts: memoryMaxFacts });
};

/** POST /api/chat/memory: 201 with the saved fact, or 200 with the same fact already saved. */
export const addMemory = (deps: ChatRoutesDeps): PorticoHttpHandler<{ fact: string }> => {
  const memory = memoryOf(deps);
  return async (event, context) => {
    const { fact, created } = await memory.add(ownerOf(context), event.json.fact, 'api');
    return json(created ? 201 : 200, { fact: factView(fact), created });
  };
};

/** DELETE /api/chat/memory/{id}: 204, or 404 for a fact the user does not have. */
export const deleteMemory = (deps: ChatRoutesDeps): PorticoHttpHandler => {
  const memory = memoryOf(deps);
  return async (event, context) => {
    if (!(await memory.remove(ownerOf(context), idOf(event)))) throw notFound('No such memory fact.');
    return { statusCode: 204, headers: {}, body: '' };
  };
};
