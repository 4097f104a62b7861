/** The conversation and memory routes: paging, the memory's bounds and dedupe, and ownership (404, never another user's data). */
import { describe, expect, it } from '@jest/globals';
import { setup } from './support.ts';

const metaOf = (events: { event?: string; data?: unknown }[] = []) => events.find((frame) => frame.event === 'meta')?.data as { conversationId: string; messageId: string };

describe('GET /api/chat/conversations', () => {
  it('pages the user\'s conversations, most recently active first, with a continuation token', async () => {
    const t = setup();
    const ids: string[] = [];
    for (const message of ['one', 'two', 'three']) {
      ids.push(metaOf((await t.chat('alice', { message })).events).conversationId);
      t.clock.advance(1000);
    }
    // Talking in the first conversation again makes it the most recent.
    await t.chat('alice', { message: 'one again', conversationId: ids[0] });

    const first = await t.conversations('alice', 'limit=2');
    expect(first.statusCode).toBe(200);
    expect((first.json?.items as { id: string }[]).map((item) => item.id)).toEqual([ids[0], ids[2]]);
    expect(first.json?.items).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'one', messageCount: 4 })]));
    const continuation = first.json?.continuation as string;
    expect(continuation).toEqual(expect.any(String));
    const second = await t.conversations('alice', `limit=2&continuation=${encodeURIComponent(continuation)}`);
    expect((second.json?.items as { id: string }[]).map((item) => item.id)).toEqual([ids[1]]);
    expect(second.json?.continuation).toBeUndefined();
  });

  it('refuses a limit out of range', async () => {
    const t = setup();
    expect((await t.conversations('alice', 'limit=0')).statusCode).toBe(400);
    expect((await t.conversations('alice', 'limit=101')).statusCode).toBe(400);
  });
});

describe('GET /api/chat/conversations/{id}', () => {
  it('answers the turns in order, paged', async () => {
    const t = setup({ scripts: [{ deltas: ['A1'] }, { deltas: ['A2'] }] });
    const id = metaOf((await t.chat('alice', { message: 'Q1' })).events).conversationId;
    await t.chat('alice', { message: 'Q2', conversationId: id });
    const page = await t.conversation('alice', id, 'limit=3');
    expect((page.json?.turns as { content: string; seq: number }[]).map((turn) => [turn.seq, turn.content])).toEqual([[1, 'Q1'], [2, 'A1'], [3, 'Q2']]);
    const rest = await t.conversation('alice', id, `limit=3&continuation=${encodeURIComponent(page.json?.continuation as string)}`);
    expect((rest.json?.turns as { content: string }[]).map((turn) => turn.content)).toEqual(['A2']);
  });

  it('an unknown id is 404, and a malformed one 400', async () => {
    const t = setup();
    expect((await t.conversation('alice', 'nope')).json).toMatchObject({ status: 404, code: 'not_found' });
    expect((await t.conversation('alice', 'a?b')).statusCode).toBe(400);
  });
});

describe('/api/chat/memory', () => {
  it('adds, lists, dedupes and deletes facts', async () => {
    const t = setup();
    const added = await t.remember('alice', { fact: '  I prefer   navy. ' });
    expect(added.statusCode).toBe(201);
    expect(added.json).toMatchObject({ created: true, fact: { text: 'I prefer navy', source: 'api' } });
    const again = await t.remember('alice', { fact: 'i prefer navy' });
    expect(again.statusCode).toBe(200);
    expect(again.json).toEqual({ created: false, fact: added.json?.fact });
    await t.remember('alice', { fact: 'No polyester' });
    const listed = await t.memory('alice');
    expect((listed.json?.facts as { text: string }[]).map((fact) => fact.text)).toEqual(['I prefer navy', 'No polyester']);

    const id = (added.json?.fact as { id: string }).id;
    expect((await t.forget('alice', id)).statusCode).toBe(204);
    expect((await t.forget('alice', id)).statusCode).toBe(404);
    expect((await t.memory('alice')).json?.facts).toEqual([expect.objectContaining({ text: 'No polyester' })]);
  });

  it('bounds the number and the length of facts', async () => {
    const t = setup({ settings: { memoryMaxFacts: 2, memoryMaxFactChars: 20 } });
    expect((await t.remember('alice', { fact: 'x'.repeat(21) })).json).toMatchObject({ status: 400, code: 'fact_too_long' });
    expect((await t.remember('alice', { fact: '...' })).json).toMatchObject({ status: 400, code: 'invalid_fact' });
    expect((await t.remember('alice', { fact: 'one' })).statusCode).toBe(201);
    expect((await t.remember('alice', { fact: 'two' })).statusCode).toBe(201);
    expect((await t.remember('alice', { fact: 'three' })).json).toMatchObject({ status: 409, code: 'memory_full' });
    // A duplicate is not a new fact, so a full memory still answers it.
    expect((await t.remember('alice', { fact: 'ONE' })).statusCode).toBe(200);
  });

  it('concurrent adds never exceed the bound or store a duplicate', async () => {
    const t = setup({ settings: { memoryMaxFacts: 5 } });
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => t.remember('alice', { fact: `fact ${i % 8}` })));
    expect(replies.every((reply) => [200, 201, 409].includes(reply.statusCode))).toBe(true);
    const facts = (await t.memory('alice')).json?.facts as { text: string }[];
    expect(facts).toHaveLength(5);
    expect(new Set(facts.map((fact) => fact.text)).size).toBe(5);
  });
});

// Once on the factories, and once on the handlers the app binds from functions.ts (default settings from an empty environment).
describe.each([
  ['built from the factories', {}],
  ['bound by the app', { app: {} }],
] as const)('ownership: user B never sees or touches user A\'s chat data (%s)', (_mode, options) => {
  it('404 on every route that takes A\'s id, and B\'s lists are empty', async () => {
    const t = setup(options);
    const conversationId = metaOf((await t.chat('alice', { message: 'Remember that I prefer navy' })).events).conversationId;
    const factId = ((await t.memory('alice')).json?.facts as { id: string }[])[0]!.id;

    expect((await t.conversation('bob', conversationId)).statusCode).toBe(404);
    expect((await t.chat('bob', { message: 'hi', conversationId })).statusCode).toBe(404);
    expect((await t.forget('bob', factId)).statusCode).toBe(404);

    expect((await t.conversations('bob')).json).toEqual({ items: [] });
    expect((await t.memory('bob')).json).toEqual({ facts: [], maxFacts: 30 });
    // B's own chat does not see A's memory either.
    await t.chat('bob', { message: 'hello' });
    expect(t.model.requests.at(-1)!.messages[0]!.content).not.toContain('navy');

    // A's data is intact.
    expect((await t.conversation('alice', conversationId)).statusCode).toBe(200);
    expect((await t.memory('alice')).json?.facts).toHaveLength(1);
  });
});

describe('the chat routes bound by the app', () => {
  it('resolve every handler string of functions.ts, and read deps.settings.chat from the environment', async () => {
    const t = setup({ app: { CHAT_MEMORY_MAX_FACTS: '7', CHAT_HEARTBEAT_SECONDS: '60' }, scripts: [{ deltas: ['Noted.'] }] });
    const chat = await t.chat('alice', { message: 'Remember that I prefer navy.' });
    expect(chat.statusCode).toBe(200);
    expect(chat.headers['content-type']).toContain('text/event-stream');
    expect(chat.events?.map((frame) => frame.event)).toEqual(['meta', 'token', 'done']);
    const conversationId = metaOf(chat.events).conversationId;
    expect((await t.conversations('alice')).json).toMatchObject({ items: [{ id: conversationId, messageCount: 2 }] });
    expect((await t.conversation('alice', conversationId)).json?.turns).toEqual([
      expect.objectContaining({ role: 'user', content: 'Remember that I prefer navy.' }),
      expect.objectContaining({ role: 'assistant', content: 'Noted.', status: 'complete' }),
    ]);
    const memory = await t.memory('alice');
    expect(memory.json).toMatchObject({ facts: [{ text: 'I prefer navy', source: 'chat' }], maxFacts: 7 });
    expect((await t.remember('alice', { fact: 'No polyester' })).statusCode).toBe(201);
    expect((await t.forget('alice', (memory.json?.facts as { id: string }[])[0]!.id)).statusCode).toBe(204);
    expect((await t.memory('alice')).json?.facts).toEqual([expect.objectContaining({ text: 'No polyester' })]);
  });
});
