/** Revision 3: conversations gain `vehicleId` (null: the turns so far name no vehicle); version 1 -> 2. */
import { forEachAtVersion, unstored } from '../../../domain/migrations/documents.ts';
import { defineMigration } from '../../../kernel/migrations.ts';
import { conversationsContainer } from '../containers.ts';
import type { Stamped } from './stamped.ts';

interface Conversation extends Stamped {
  vehicleId?: string | null;
}

const conversationV2 = (conversation: Conversation): Conversation => ({ ...conversation, vehicleId: conversation.vehicleId ?? null, schemaVersion: 2 });

export default defineMigration({
  id: '0003-conversation-vehicle',
  description: 'conversations gain vehicleId',
  source: import.meta.url,
  up: async (context) => {
    const conversations = context.documents.repository<Conversation>(conversationsContainer);
    await forEachAtVersion<Conversation>(context, conversationsContainer, 1, async (conversation) => {
      await conversations.replace(conversationV2(unstored(conversation)), conversation.etag);
    });
  },
  down: async (context) => {
    const conversations = context.documents.repository<Conversation>(conversationsContainer);
    await forEachAtVersion<Conversation>(context, conversationsContainer, 2, async (conversation) => {
      const { vehicleId: _vehicleId, ...rest } = unstored(conversation);
      await conversations.replace({ ...rest, schemaVersion: 1 }, conversation.etag);
    });
  },
  reads: { [conversationsContainer.name]: { from: 1, upgrade: (document) => conversationV2(document as Conversation) } },
});
