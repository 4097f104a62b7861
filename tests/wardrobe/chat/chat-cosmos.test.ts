/**
 * The chat on the Cosmos DB store (embedded emulator, real SDK): the queries the chat depends on
 * (turns by conversation ordered by seq, conversations by activity, items by wear count), real
 * continuation tokens, and the ETag-guarded memory and stream-lease documents.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import { ModelError } from '../../../domain/ai.ts';
import { chatContainers } from '../../../handlers/wardrobe/chat/store.ts';
import { itemsContainers } from '../../../handlers/wardrobe/items/store.ts';
import { testClock } from '../../support/jobs.ts';
import { conversationOf, names, setup } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const clock = testClock();

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `chat-${randomUUID()}` }, clock);
  await store.ensure([...chatContainers, ...itemsContainers]);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('chat on Cosmos DB', () => {
  it('remembers across turns, keeps the turns in order, pages, and stores a failed answer incomplete', async () => {
    const t = setup({ documents: store, clock, scripts: [{ deltas: ['Noted.'] }, { deltas: ['Partial'], error: new ModelError('unavailable') }, { deltas: ['A navy tie.'] }], settings: { maxStreamsPerUser: 1 } });
    await t.addItem('cosmos-ann', { category: 'Grey suit', wearCount: 3 });
    await t.addItem('cosmos-ann', { category: 'White shirt', wearCount: 9 });

    const first = await t.chat('cosmos-ann', { message: 'Remember that I prefer navy.' });
    const conversationId = conversationOf(first.events);
    const failed = await t.chat('cosmos-ann', { message: 'Shoes?', conversationId });
    expect(names(failed.events)).toEqual(['tool_use', 'tool_result', 'token', 'error', 'done']);
    clock.advance(1000);
    await t.chat('cosmos-ann', { message: 'Which tie?', conversationId });

    const prompt = t.model.requests[2]!.messages;
    expect(prompt[0]!.content).toContain('- I prefer navy');
    expect(prompt[0]!.content.indexOf('White shirt')).toBeLessThan(prompt[0]!.content.indexOf('Grey suit'));
    // The incomplete answer is left out of the prompt; the user's turns and the complete answer are in order.
    expect(prompt.slice(1).map((message) => message.content)).toEqual(['Remember that I prefer navy.', 'Noted.', 'Shoes?', 'Which tie?']);

    expect((await t.conversations('cosmos-ann')).json?.items).toEqual([expect.objectContaining({ id: conversationId, messageCount: 6 })]);
    const turns: { seq: number; status: string; content: string }[] = [];
    let query = 'limit=4';
    for (;;) {
      const page = await t.conversation('cosmos-ann', conversationId, query);
      turns.push(...(page.json?.turns as typeof turns));
      const continuation = page.json?.continuation as string | undefined;
      if (!continuation) break;
      query = `limit=4&continuation=${encodeURIComponent(continuation)}`;
    }
    expect(turns.map((turn) => [turn.seq, turn.status, turn.content])).toEqual([
      [1, 'complete', 'Remember that I prefer navy.'], [2, 'complete', 'Noted.'],
      [3, 'complete', 'Shoes?'], [4, 'incomplete', 'Partial'],
      [5, 'complete', 'Which tie?'], [6, 'complete', 'A navy tie.'],
    ]);

    // Streams released their leases (the cap is 1, and three chats ran one after another); memory and lists are per user.
    expect((await t.memory('cosmos-ann')).json).toMatchObject({ summary: '- I prefer navy' });
    await t.putMemory('cosmos-ann', { summary: ' Rewritten. ' });
    expect((await t.memory('cosmos-ann')).json).toMatchObject({ summary: 'Rewritten.' });
    // Deleting the conversation removes its six turns from the emulator.
    expect((await t.deleteConversation('cosmos-ann', conversationId)).statusCode).toBe(204);
    expect((await t.conversation('cosmos-ann', conversationId)).statusCode).toBe(404);
    expect((await t.conversations('cosmos-bob')).json).toEqual({ items: [] });
    expect((await t.conversation('cosmos-bob', conversationId)).statusCode).toBe(404);
  });
});
