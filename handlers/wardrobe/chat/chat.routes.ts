/**
 * The chat routes (see functions.ts), one factory per function. `POST /api/chat` does every
 * check that can refuse the request first (body, message length, conversation ownership, the
 * per-user stream cap) and answers those as problem+json; only then does it store anything and
 * start the event stream. From that point every failure, the model's included (even before its
 * first token), is an in-band `error` frame followed by `done`, and the answer is stored
 * `incomplete` with whatever text it had.
 *
 * The stream is PluckIt's (contract section 7.1): every frame is one `data: <json>` line and a
 * blank line, typed `token`, `tool_use`, `tool_result`, `error`, `memory_update`, `done`, in
 * that order, `done` last because both clients stop reading there.
 */
import { ModelError, type LanguageModel, type ModelUsage } from '../../../domain/ai.ts';
import { AppError, badRequest, notFound } from '../../../domain/errors.ts';
import type { Clock, Document, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { isFinalised, type StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { detectMemoryFact } from '../../../domain/wardrobe/memory.ts';
import { buildPrompt, CHAT_SYSTEM_PROMPT, offlineChatAnswer, summariseWardrobe, type Turn } from '../../../domain/wardrobe/prompt.ts';
import type { PorticoContext } from '../../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { callTrace } from '../../../middleware/trace-context.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import { sseResponse, streamEndCode, type SseEvent } from '../../../middleware/sse.ts';
import { itemsContainer } from '../items/store.ts';
import { chatRequestOf, type ChatBody } from './request.ts';
import { conversationView, createConversationStore, createMemoryStore, turnView, type MessageDoc } from './store.ts';
import type { ChatSettings } from './settings.ts';
import { createStreamSlots } from './stream-slots.ts';

export type { ChatBody } from './request.ts';

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

/** A lease outlives the longest stream a little, so a crashed instance's lease stops counting soon after. */
const LEASE_MARGIN_MS = 30_000;
/** The wardrobe read, reported to the client as the turn's one tool step. */
export const WARDROBE_TOOL = 'search_wardrobe';
/** The upstream's texts: the clients show them as they are. */
export const CHAT_ERROR_TEXT = 'Something went wrong. Please try again.';
const SUMMARY_CHARS = 120;

const idOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';

/** A tool's output as the client sees it: at most 120 characters, then an ellipsis. */
export const toolSummary = (text: string) => (text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}…` : text);

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

/** POST /api/chat (and /api/chat/): the answer as PluckIt's Server-Sent Events. */
export const chat = (deps: ChatStreamDeps): PorticoHttpHandler<ChatBody> => {
  const settings = deps.settings.chat;
  const conversations = createConversationStore(deps);
  const memory = createMemoryStore(deps);
  const slots = createStreamSlots({ ...portsOf(deps), maxPerUser: settings.maxStreamsPerUser, leaseMs: settings.streamMaxSeconds * 1000 + LEASE_MARGIN_MS });
  const items = deps.documents.repository<StoredClothingItem & Document>(itemsContainer);

  /** The selected items the user owns (others are skipped: another user's id is simply unknown), then the most worn, bounded. */
  async function wardrobeOf(userId: string, selectedIds: readonly string[]): Promise<StoredClothingItem[]> {
    const selected = (await Promise.all(selectedIds.slice(0, settings.summaryMaxItems).map((id) => items.get(id, userId)))).filter(
      (item): item is NonNullable<typeof item> => item !== undefined && isFinalised(item),
    );
    // Drafts have no wears and sort last; the extra rows leave room to drop them.
    const worn = await items.query({ partitionKey: userId, orderBy: { field: 'wearCount', direction: 'desc' }, limit: Math.min(1000, settings.summaryMaxItems * 2) });
    const chosen = new Set(selected.map((item) => item.id));
    return [...selected, ...worn.items.filter((item) => isFinalised(item) && !chosen.has(item.id))].slice(0, settings.summaryMaxItems);
  }

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
    const request = chatRequestOf(event.json, event.headers ?? {});
    const { message, conversationId, traceId } = request;
    // ---- every refusal comes before anything is written
    if (message.length > settings.maxMessageChars) throw badRequest('message_too_long', `A message may be at most ${settings.maxMessageChars} characters.`);
    if (conversationId !== undefined && !(await conversations.get(userId, conversationId))) throw notFound('No such conversation.');
    const lease = await slots.acquire(userId);

    let prepared;
    try {
      // A "remember …" fact goes into the summary first, so this very answer already knows it.
      const fact = detectMemoryFact(message);
      const remembered = fact ? await memory.addFact(userId, fact) : false;
      const [saved, stored] = await Promise.all([
        memory.get(userId),
        // The client's own history wins; stored turns only continue a conversation it names.
        request.history === undefined && conversationId ? conversations.recentTurns(userId, conversationId, settings.historyTurns) : Promise.resolve<Turn[]>([]),
      ]);
      const history = request.history ?? stored;
      const exchange = await conversations.reserveExchange(userId, conversationId, message);
      const answer = await conversations.storeExchange(userId, exchange, message);
      prepared = { remembered, summary: saved.summary, history, answer };
    } catch (error) {
      await slots.release(userId, lease, context.log);
      throw error;
    }
    const { remembered, summary, history, answer } = prepared;
    context.log.info({ conversationId: answer.conversationId, historyTurns: history.length, selected: request.selectedItemIds.length, remembered }, 'chat stream starting');

    /** Every frame carries the trace id when there is one. */
    const frame = (data: Record<string, unknown>): SseEvent => ({ data: traceId ? { ...data, traceId } : data });

    async function* produce(signal: AbortSignal): AsyncIterable<SseEvent> {
      let text = '';
      let finished = false;
      let failure: unknown;
      try {
        try {
          yield frame({ type: 'tool_use', name: WARDROBE_TOOL });
          const wardrobe = await wardrobeOf(userId, request.selectedItemIds);
          const selected = new Set(request.selectedItemIds);
          const wardrobeText = summariseWardrobe(wardrobe, settings.summaryMaxItems, selected);
          yield frame({ type: 'tool_result', name: WARDROBE_TOOL, summary: toolSummary(wardrobeText) });
          const prompt = buildPrompt({ system: CHAT_SYSTEM_PROMPT, memory: summary, summary: wardrobeText, history, message, budget: settings.promptTokenBudget });
          context.log.info({ promptTokens: prompt.tokens, droppedTurns: prompt.droppedTurns }, 'chat prompt built');
          let done: { model: string; usage: ModelUsage; offline: boolean } | undefined;
          const stream = deps.model.stream({
            task: 'wardrobe.chat',
            messages: prompt.messages,
            maxOutputTokens: settings.maxOutputTokens,
            signal,
            userId,
            ...callTrace(context),
            offline: () => offlineChatAnswer({ message, memory: summary, items: wardrobe }),
          });
          // Each delta is written as the model produces it.
          for await (const chunk of stream) {
            if (chunk.type === 'done') {
              done = chunk;
              continue;
            }
            if (!chunk.text) continue;
            text += chunk.text;
            yield frame({ type: 'token', content: chunk.text });
          }
          if (!done) throw new ModelError('unavailable', { message: 'The language model stopped without finishing its answer.' });
          await conversations.finishAnswer(answer, { content: text, status: 'complete', model: done.model, usage: done.usage });
          finished = true;
        } catch (error) {
          // The client has gone (or the time limit passed): nothing more can be written.
          if (signal.aborted) throw error;
          failure = error;
          if (!(error instanceof AppError)) context.log.error({ err: error }, 'chat stream failed');
          else context.log.warn({ code: error.code }, 'chat stream failed');
          yield frame({ type: 'error', content: CHAT_ERROR_TEXT });
        }
        // Before `done`: both clients stop reading at `done` (the upstream sent it after, unread).
        if (finished || remembered) yield frame({ type: 'memory_update', updated: remembered });
        yield frame({ type: 'done', conversationId: answer.conversationId });
      } finally {
        // Reached on success, on an error, and when the client goes away (the stream returns us).
        if (!finished) await storeIncomplete(answer, text, incompleteReason(failure, signal), context);
        await slots.release(userId, lease, context.log);
      }
    }

    return sseResponse(
      produce,
      {
        heartbeatMs: settings.heartbeatSeconds * 1000,
        maxDurationMs: settings.streamMaxSeconds * 1000,
        log: context.log,
        // The clients read only `data:` frames: an empty token keeps proxies from closing a silent stream and adds nothing.
        comments: false,
        heartbeat: () => frame({ type: 'token', content: '' }),
        failureEvents: () => [frame({ type: 'error', content: CHAT_ERROR_TEXT }), frame({ type: 'done', conversationId: answer.conversationId })],
      },
      { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-conversation-id': answer.conversationId },
    );
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

/** DELETE /api/chat/conversations/{id}: the conversation and its turns; 404 when the user has none by that id. */
export const deleteConversation = (deps: ChatRoutesDeps): PorticoHttpHandler => {
  const conversations = createConversationStore(deps);
  return async (event, context) => {
    if (!(await conversations.remove(ownerOf(context), idOf(event)))) throw notFound('No such conversation.');
    return { statusCode: 204, headers: {}, body: '' };
  };
};

/** GET /api/chat/memory: `{ summary, updatedAt }` ('' and null before anything is remembered). */
export const getMemory = (deps: ChatRoutesDeps): PorticoHttpHandler => {
  const memory = createMemoryStore(deps);
  return async (_event, context) => json(200, await memory.get(ownerOf(context)));
};

/** PUT /api/chat/memory `{ summary }`: stored trimmed; over 2000 characters is a 400 (the schema). */
export const putMemory = (deps: ChatRoutesDeps): PorticoHttpHandler<{ summary: string }> => {
  const memory = createMemoryStore(deps);
  return async (event, context) => {
    await memory.put(ownerOf(context), event.json.summary);
    return json(200, { status: 'updated' });
  };
};
