/**
 * Revision 4: a conversation's turns move out of its `history_json` array (conversations version 2)
 * into their own `garage-messages` documents (messages version 1); the conversation keeps
 * `messageCount` and becomes version 3.
 */
import { forEachAtVersion, forEachDocument, unstored } from '../../../domain/migrations/documents.ts';
import { defineMigration } from '../../../kernel/migrations.ts';
import { conversationsContainer, messagesContainer } from '../containers.ts';
import type { Stamped } from './stamped.ts';

interface Turn {
  sender: 'user' | 'ai';
  text: string;
  /** When it was said (ISO); older turns may lack it. */
  at?: string;
  attachments?: unknown[];
  transcript?: string | null;
}
interface ConversationV2 extends Stamped {
  history_json?: Turn[];
  messageCount?: number;
}
interface MessageV1 extends Stamped {
  conversationId: string;
  sender: 'user' | 'ai';
  text: string;
  attachments: unknown[];
  transcript: string | null;
}

const conversationV3 = (conversation: ConversationV2): ConversationV2 => {
  const { history_json: history = [], ...rest } = conversation;
  return { ...rest, messageCount: history.length, schemaVersion: 3 };
};

/**
 * A turn as a message, with an id stable across re-runs. A turn without a time gets the
 * conversation's, a millisecond per turn later, so the messages keep their order by `createdAt`.
 */
const messageDocument = (conversation: ConversationV2, turn: Turn, index: number): MessageV1 => {
  const at = turn.at ?? new Date(Date.parse(conversation.createdAt) + index).toISOString();
  return {
    id: `${conversation.id}-${String(index + 1).padStart(4, '0')}`,
    userId: conversation.userId,
    conversationId: conversation.id,
    sender: turn.sender,
    text: turn.text,
    attachments: turn.attachments ?? [],
    transcript: turn.transcript ?? null,
    schemaVersion: 1,
    createdAt: at,
    updatedAt: at,
  };
};

export default defineMigration({
  id: '0004-conversation-messages',
  description: 'messages move out of history_json into their own garage-messages documents',
  source: import.meta.url,
  up: async (context) => {
    await context.documents.ensure([messagesContainer]);
    const conversations = context.documents.repository<ConversationV2>(conversationsContainer);
    const messages = context.documents.repository<MessageV1>(messagesContainer);
    await forEachAtVersion<ConversationV2>(context, conversationsContainer, 2, async (conversation) => {
      // The messages first: a run stopped in between leaves the conversation at version 2 for the next run.
      for (const [index, turn] of (conversation.history_json ?? []).entries()) await messages.upsert(messageDocument(conversation, turn, index));
      await conversations.replace(conversationV3(unstored(conversation)), conversation.etag);
    });
  },
  down: async (context) => {
    const conversations = context.documents.repository<ConversationV2>(conversationsContainer);
    const messages = context.documents.repository<MessageV1>(messagesContainer);
    await forEachAtVersion<ConversationV2>(context, conversationsContainer, 3, async (conversation) => {
      const said: MessageV1[] = [];
      const ofConversation = { partitionKey: conversation.userId, filters: [{ field: 'conversationId', op: '=' as const, value: conversation.id }] };
      await forEachDocument(messages, { ...ofConversation, orderBy: { field: 'createdAt', direction: 'asc' }, pageSize: context.pageSize }, async (message) => {
        said.push(unstored(message));
      });
      const history = said.map(({ sender, text, createdAt, attachments, transcript }): Turn => ({ sender, text, at: createdAt, attachments, transcript }));
      const { messageCount: _count, ...rest } = unstored(conversation);
      // The conversation first: a run stopped in between leaves the turns in place, and orphan messages at worst.
      await conversations.replace({ ...rest, history_json: history, schemaVersion: 2 }, conversation.etag);
      for (const message of said) await messages.delete(message.id, conversation.userId);
    });
  },
  reads: { [conversationsContainer.name]: { from: 2, upgrade: (document) => conversationV3(document as ConversationV2) } },
});
