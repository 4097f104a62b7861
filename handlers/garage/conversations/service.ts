/**
 * The caller's diagnose conversations: listed (optionally of one vehicle), read with their
 * messages oldest first, and deleted with their messages. Everything is in the owner's
 * partition: another user's conversation is 404 (the upstream checked no owner at all).
 */
import { notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, Stored } from '../../../domain/ports.ts';
import { unwrapToken, wrapToken, type PageRequest } from '../../../middleware/resources.ts';
import { conversationsContainer, garageRepository, messagesContainer, type ConversationDoc, type MessageDoc } from '../store.ts';
import { drain, pageOfOwned } from '../vehicles/service.ts';

export interface ConversationsDeps {
  documents: DocumentStore;
  clock: Clock;
}

export function conversationView(doc: Stored<ConversationDoc>) {
  return { id: doc.id, vehicle_id: doc.vehicleId, title: doc.title, route: doc.route, message_count: doc.messageCount, created_at: doc.createdAt, updated_at: doc.updatedAt };
}

export function messageView(doc: Stored<MessageDoc>) {
  return {
    id: doc.id,
    sender: doc.sender,
    message: doc.text,
    attachments: doc.attachments.map((attachment) => ({ kind: attachment.kind, content_type: attachment.contentType, bytes: attachment.bytes, ...(attachment.kind === 'audio' ? { duration_seconds: attachment.durationSeconds ?? null } : {}) })),
    transcript: doc.transcript,
    created_at: doc.createdAt,
  };
}

export function createConversationsService(deps: ConversationsDeps) {
  const conversations = garageRepository<ConversationDoc>(deps.documents, conversationsContainer);
  const messages = garageRepository<MessageDoc>(deps.documents, messagesContainer);
  const missing = (id: string) => notFound(`No conversation ${id}.`);

  async function find(userId: string, id: string): Promise<Stored<ConversationDoc>> {
    const found = await conversations.get(id, userId);
    if (!found) throw missing(id);
    return found;
  }

  return {
    async list(userId: string, page: PageRequest, vehicleId: string | undefined) {
      const found = await pageOfOwned(conversations, userId, page, vehicleId === undefined ? undefined : { field: 'vehicleId', value: vehicleId });
      return { items: found.items.map(conversationView), ...(found.continuation ? { continuation: found.continuation } : {}) };
    },

    /** The conversation and a page of its messages, oldest first. */
    async get(userId: string, id: string, page: PageRequest) {
      const conversation = await find(userId, id);
      const filters = [{ field: 'conversationId', op: '=' as const, value: id }];
      const shape = { filters, sort: 'createdAt' };
      const continuation = unwrapToken(shape, page.continuation);
      const found = await messages.query({ partitionKey: userId, filters, orderBy: { field: 'createdAt', direction: 'asc' }, limit: page.limit, ...(continuation !== undefined ? { continuation } : {}) });
      const token = wrapToken(shape, found.continuation);
      return { ...conversationView(conversation), messages: found.items.map(messageView), ...(token ? { continuation: token } : {}) };
    },

    /** Its messages first, then the conversation: an interrupted delete is finished by repeating it. */
    async remove(userId: string, id: string): Promise<void> {
      await find(userId, id);
      await drain(messages, userId, 'conversationId', id, (message) => messages.delete(message.id, userId));
      if (!(await conversations.delete(id, userId))) throw missing(id);
    },
  };
}
