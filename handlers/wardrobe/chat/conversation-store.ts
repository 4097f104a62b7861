/** Conversations and their turns, both in the user's partition. */
import { readModifyWrite } from '../../../domain/documents.ts';
import { notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource, Page, Stored } from '../../../domain/ports.ts';
import type { Turn } from '../../../domain/wardrobe/prompt.ts';
import type { PageRequest } from '../../../middleware/resources.ts';
import { conversationsContainer, messagesContainer, type ConversationDoc, type MessageDoc } from './store.ts';

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
      const now = deps.clock.now().toISOString();
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
      const now = deps.clock.now().toISOString();
      const base = { userId, conversationId: exchange.conversationId, createdAt: now, updatedAt: now };
      await messages.create({ ...base, id: messageId(exchange.conversationId, exchange.userSeq), seq: exchange.userSeq, role: 'user', content: message, status: 'complete' });
      return messages.create({ ...base, id: messageId(exchange.conversationId, exchange.assistantSeq), seq: exchange.assistantSeq, role: 'assistant', content: '', status: 'incomplete' });
    },

    /** Writes the answer's final state; `complete` only ever after the model's `done`. */
    async finishAnswer(answer: MessageDoc, update: Pick<MessageDoc, 'content' | 'status'> & Partial<Pick<MessageDoc, 'error' | 'model' | 'usage'>>): Promise<void> {
      const { etag: _etag, ...doc } = answer as Stored<MessageDoc>;
      await messages.upsert({ ...doc, ...update, updatedAt: deps.clock.now().toISOString() });
    },
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;
