/**
 * The conversation routes through bind on memory ports: the owner's conversations, newest first
 * and filtered by vehicle; one with its messages oldest first, paged; delete with its messages;
 * and another user gets 404 on every one (the upstream served them to anyone).
 */
import { describe, expect, it } from '@jest/globals';
import { conversationsContainer, garageRepository, messagesContainer, type ConversationDoc, type MessageDoc } from '../../../handlers/garage/store.ts';
import { setup } from '../vehicles/support.ts';

async function seed(t: ReturnType<typeof setup>, userId: string, id: string, vehicleId: string | null, messages: number) {
  const conversations = garageRepository<ConversationDoc>(t.ports.documents, conversationsContainer);
  const store = garageRepository<MessageDoc>(t.ports.documents, messagesContainer);
  t.clock.advance(1000);
  const at = t.clock.now().toISOString();
  await conversations.create({ id, userId, schemaVersion: 3, vehicleId, title: `Title ${id}`, messageCount: messages, route: 'v2', createdAt: at, updatedAt: at });
  for (let i = 0; i < messages; i++) {
    t.clock.advance(1000);
    const stamp = t.clock.now().toISOString();
    await store.create({
      id: `${id}-m${i}`, userId, schemaVersion: 1, conversationId: id, sender: i % 2 === 0 ? 'user' : 'ai', text: `message ${i}`,
      attachments: i === 0 ? [{ kind: 'audio', contentType: 'audio/wav', bytes: 1234, durationSeconds: 2.5 }] : [], transcript: i === 0 ? 'it squeaks' : null, createdAt: stamp, updatedAt: stamp,
    });
  }
}

describe('garage conversations', () => {
  it('lists the owner\'s conversations newest first, paged and by vehicle, and reads one with its messages oldest first', async () => {
    const t = setup();
    await seed(t, 'ann', 'c1', 'v1', 5);
    await seed(t, 'ann', 'c2', 'v2', 0);
    await seed(t, 'ann', 'c3', 'v1', 0);
    await seed(t, 'bob', 'c4', 'v1', 1);

    const all = await t.as('ann').call('garage-conversations-list');
    expect(all.json!.items.map((c: { id: string }) => c.id)).toEqual(['c3', 'c2', 'c1']);
    expect(all.json!.items[2]).toMatchObject({ id: 'c1', vehicle_id: 'v1', title: 'Title c1', route: 'v2', message_count: 5 });
    const v1 = await t.as('ann').call('garage-conversations-list', { query: 'vehicle_id=v1&limit=1' });
    expect(v1.json!.items.map((c: { id: string }) => c.id)).toEqual(['c3']);
    const next = await t.as('ann').call('garage-conversations-list', { query: `vehicle_id=v1&limit=1&continuation=${encodeURIComponent(v1.json!.continuation)}` });
    expect(next.json!.items.map((c: { id: string }) => c.id)).toEqual(['c1']);
    // A token is bound to its query: replayed without the filter it is refused.
    expect((await t.as('ann').call('garage-conversations-list', { query: `limit=1&continuation=${encodeURIComponent(v1.json!.continuation)}` })).json!.code).toBe('invalid_continuation');

    const page1 = await t.as('ann').call('garage-conversation-get', { params: { id: 'c1' }, query: 'limit=3' });
    expect(page1.json).toMatchObject({ id: 'c1', vehicle_id: 'v1' });
    expect(page1.json!.messages.map((m: { message: string }) => m.message)).toEqual(['message 0', 'message 1', 'message 2']);
    expect(page1.json!.messages[0]).toMatchObject({ sender: 'user', transcript: 'it squeaks', attachments: [{ kind: 'audio', content_type: 'audio/wav', bytes: 1234, duration_seconds: 2.5 }] });
    const page2 = await t.as('ann').call('garage-conversation-get', { params: { id: 'c1' }, query: `limit=3&continuation=${encodeURIComponent(page1.json!.continuation)}` });
    expect(page2.json!.messages.map((m: { message: string }) => m.message)).toEqual(['message 3', 'message 4']);
    expect(page2.json!.continuation).toBeUndefined();
  });

  it('deletes a conversation with its messages; another user gets 404 on every conversation route', async () => {
    const t = setup();
    await seed(t, 'ann', 'c1', 'v1', 3);
    for (const [name, init] of [['garage-conversation-get', { params: { id: 'c1' } }], ['garage-conversation-delete', { params: { id: 'c1' } }]] as const) {
      const reply = await t.as('bob').call(name, init);
      expect([reply.statusCode, reply.json!.code]).toEqual([404, 'not_found']);
    }
    expect((await t.as('bob').call('garage-conversations-list')).json!.items).toEqual([]);
    expect((await t.as('bob').call('garage-conversations-list', { query: 'vehicle_id=v1' })).json!.items).toEqual([]);
    expect((await t.as('ann').call('garage-conversation-get', { params: { id: 'c1' } })).json!.messages).toHaveLength(3);

    expect((await t.as('ann').call('garage-conversation-delete', { params: { id: 'c1' } })).statusCode).toBe(204);
    expect((await t.as('ann').call('garage-conversation-get', { params: { id: 'c1' } })).statusCode).toBe(404);
    const left = await t.ports.documents.repository<MessageDoc>(messagesContainer).query({ partitionKey: 'ann', limit: 100 });
    expect(left.items).toEqual([]);
    expect((await t.as('ann').call('garage-conversation-delete', { params: { id: 'c1' } })).statusCode).toBe(404);
  });
});
