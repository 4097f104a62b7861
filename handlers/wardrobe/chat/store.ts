/**
 * The chat's store: its containers, all partitioned by the owner's user id, so a read with
 * another user's id finds nothing (404, never 403) and a user's data is one partition; and the
 * repositories over them: conversations with their turns, and the user's memory summary.
 */
import type { ModelUsage } from '../../../domain/ai.ts';
import { readModifyWrite } from '../../../domain/documents.ts';
import { notFound } from '../../../domain/errors.ts';
import type { Clock, ContainerSpec, Document, DocumentStore, IdSource, Page, Stored } from '../../../domain/ports.ts';
import { addFactToSummary } from '../../../domain/wardrobe/memory.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { Turn } from '../../../domain/wardrobe/prompt.ts';
import type { PageRequest } from '../../../middleware/resources.ts';

/** A conversation's header; `messageCount` also hands out each message's `seq` (ETag-guarded). */
export const conversationsContainer: ContainerSpec = { name: 'chat-conversations', partitionKey: 'userId' };
/** One document per turn: the user's message or the assistant's answer. */
export const messagesContainer: ContainerSpec = { name: 'chat-messages', partitionKey: 'userId' };
/** One document per user (`id: 'summary'`): the memory summary the chat reads and adds to. */
export const memoryContainer: ContainerSpec = { name: 'chat-memory', partitionKey: 'userId' };
/** One document per user (`id: 'streams'`): the leases of the streams in flight, for the per-user cap. */
export const streamsContainer: ContainerSpec = { name: 'chat-streams', partitionKey: 'userId' };

export interface ConversationDoc extends Document {
  userId: string;
  title: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

export type TurnStatus = 'complete' | 'incomplete';

export interface MessageDoc extends Document {
  userId: string;
  conversationId: string;
  /** Order within the conversation, from 1. */
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  /** An answer is stored `incomplete` before it starts and only becomes `complete` after the model's `done`. */
  status: TurnStatus;
  /** Why an answer is incomplete (an error code, `client_closed`, `server_shutdown`, `stream_time_limit`). */
  error?: string;
  model?: string;
  usage?: ModelUsage;
  createdAt: string;
  updatedAt: string;
}

export interface MemoryDoc extends Document {
  userId: string;
  summary: string;
  updatedAt: string;
}

export interface StreamLease {
  id: string;
  /** Epoch ms after which a lease whose stream never released it (a crash) stops counting. */
  until: number;
}

export interface StreamsDoc extends Document {
  userId: string;
  leases: StreamLease[];
}

export const chatContainers: readonly ContainerSpec[] = [conversationsContainer, messagesContainer, memoryContainer, streamsContainer];

// ---- conversations and their turns, both in the user's partition

const TITLE_CHARS = 80;
/** A conversation is titled by its first message, on one line. */
export function titleOf(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

/** Sortable and unique within the conversation. */
const messageId = (conversationId: string, seq: number) => `${conversationId}-${String(seq).padStart(6, '0')}`;

export const conversationView = ({ id, title, messageCount, createdAt, updatedAt }: ConversationDoc) => ({ id, title, messageCount, createdAt, updatedAt });

export const turnView = (doc: MessageDoc) => ({
  id: doc.id,
  seq: doc.seq,
  role: doc.role,
  content: doc.content,
  status: doc.status,
  ...(doc.error ? { error: doc.error } : {}),
  ...(doc.model ? { model: doc.model } : {}),
  ...(doc.usage ? { usage: doc.usage } : {}),
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

const pageSpec = (page: PageRequest) => ({ limit: page.limit, ...(page.continuation ? { continuation: page.continuation } : {}) });

export function createConversationStore(deps: { documents: DocumentStore; clock: Clock; ids: IdSource }) {
  const conversations = deps.documents.repository<ConversationDoc>(conversationsContainer);
  const messages = deps.documents.repository<MessageDoc>(messagesContainer);

  return {
    get: (userId: string, id: string): Promise<Stored<ConversationDoc> | undefined> => conversations.get(id, userId),

    list: (userId: string, page: PageRequest): Promise<Page<Stored<ConversationDoc>>> =>
      conversations.query({ partitionKey: userId, orderBy: { field: 'updatedAt', direction: 'desc' }, ...pageSpec(page) }),

    turns: (userId: string, conversationId: string, page: PageRequest): Promise<Page<Stored<MessageDoc>>> =>
      messages.query({ partitionKey: userId, filters: [{ field: 'conversationId', op: '=', value: conversationId }], orderBy: { field: 'seq', direction: 'asc' }, ...pageSpec(page) }),

    /**
     * The newest `count` turns for the prompt, oldest first. Answers that never completed are
     * left out: a half sentence would only confuse the model.
     */
    async recentTurns(userId: string, conversationId: string, count: number): Promise<Turn[]> {
      if (count === 0) return [];
      const page = await messages.query({
        partitionKey: userId,
        filters: [{ field: 'conversationId', op: '=', value: conversationId }],
        orderBy: { field: 'seq', direction: 'desc' },
        limit: count,
      });
      return page.items
        .filter((turn) => turn.role === 'user' || turn.status === 'complete')
        .reverse()
        .map(({ role, content }) => ({ role, content }));
    },

    /**
     * Reserves the next two turns (the message and its answer) of a conversation, creating it
     * when `conversationId` is absent. ETag-checked, so concurrent chats never share a seq.
     */
    async reserveExchange(userId: string, conversationId: string | undefined, message: string) {
      const now = isoSeconds(deps.clock.now());
      const id = conversationId ?? deps.ids.next();
      const conversation = await readModifyWrite(conversations, id, userId, (current) => {
        if (!current && conversationId) throw notFound('No such conversation.');
        if (!current) return { id, userId, title: titleOf(message), messageCount: 2, createdAt: now, updatedAt: now };
        return { ...current, messageCount: current.messageCount + 2, updatedAt: now };
      });
      const count = conversation!.messageCount;
      return { conversationId: id, userSeq: count - 1, assistantSeq: count };
    },

    /** Stores the user's message (complete) and a placeholder answer (incomplete, until the model finishes). */
    async storeExchange(userId: string, exchange: { conversationId: string; userSeq: number; assistantSeq: number }, message: string): Promise<Stored<MessageDoc>> {
      const now = isoSeconds(deps.clock.now());
      const base = { userId, conversationId: exchange.conversationId, createdAt: now, updatedAt: now };
      await messages.create({ ...base, id: messageId(exchange.conversationId, exchange.userSeq), seq: exchange.userSeq, role: 'user', content: message, status: 'complete' });
      return messages.create({ ...base, id: messageId(exchange.conversationId, exchange.assistantSeq), seq: exchange.assistantSeq, role: 'assistant', content: '', status: 'incomplete' });
    },

    /**
     * Deletes a conversation and every turn of it: false when the user has no such conversation.
     * The turns go first, so a failure part way leaves the header and a retry finishes the job.
     */
    async remove(userId: string, conversationId: string): Promise<boolean> {
      if (!(await conversations.get(conversationId, userId))) return false;
      for (;;) {
        const page = await messages.query({ partitionKey: userId, filters: [{ field: 'conversationId', op: '=', value: conversationId }], limit: 100 });
        await Promise.all(page.items.map((turn) => messages.delete(turn.id, userId)));
        if (!page.continuation) break;
      }
      return conversations.delete(conversationId, userId);
    },

    /** Writes the answer's final state; `complete` only ever after the model's `done`. */
    async finishAnswer(answer: MessageDoc, update: Pick<MessageDoc, 'content' | 'status'> & Partial<Pick<MessageDoc, 'error' | 'model' | 'usage'>>): Promise<void> {
      const { etag: _etag, ...doc } = answer as Stored<MessageDoc>;
      await messages.upsert({ ...doc, ...update, updatedAt: isoSeconds(deps.clock.now()) });
    },
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;

// ---- the user's memory summary: one document per user, written whole (PUT) or added to by the chat

const MEMORY_DOC_ID = 'summary';

export interface MemoryView {
  summary: string;
  updatedAt: string | null;
}

export function createMemoryStore(deps: { documents: DocumentStore; clock: Clock }) {
  const repository = deps.documents.repository<MemoryDoc>(memoryContainer);

  return {
    async get(userId: string): Promise<MemoryView> {
      const doc = await repository.get(MEMORY_DOC_ID, userId);
      return { summary: doc?.summary ?? '', updatedAt: doc?.updatedAt ?? null };
    },

    /** Replaces the summary (trimmed; the schema bounds its length). */
    async put(userId: string, summary: string): Promise<void> {
      await repository.upsert({ id: MEMORY_DOC_ID, userId, summary: summary.trim(), updatedAt: isoSeconds(deps.clock.now()) });
    },

    /**
     * Adds a fact the user asked the chat to remember, under an ETag check so a concurrent PUT is
     * never overwritten. True when the summary changed (false: already there, or no room).
     */
    async addFact(userId: string, fact: string): Promise<boolean> {
      let changed = false;
      await readModifyWrite(repository, MEMORY_DOC_ID, userId, (current) => {
        const next = addFactToSummary(current?.summary ?? '', fact);
        changed = next !== undefined;
        return next === undefined ? undefined : { id: MEMORY_DOC_ID, userId, summary: next, updatedAt: isoSeconds(deps.clock.now()) };
      });
      return changed;
    },
  };
}

export type MemoryStore = ReturnType<typeof createMemoryStore>;
