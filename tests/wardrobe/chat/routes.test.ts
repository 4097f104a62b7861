/** The conversation and memory routes: paging, deleting, the memory summary, and ownership (404, never another user's data). */
import { describe, expect, it } from '@jest/globals';
import { conversationOf, setup, type Frame } from './support.ts';

const metaOf = (events: Frame[] = []) => ({ conversationId: conversationOf(events) });

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

describe('DELETE /api/chat/conversations/{id}', () => {
  it('deletes the conversation and every turn of it: 204, then 404; other conversations stay', async () => {
    const t = setup();
    const gone = metaOf((await t.chat('alice', { message: 'Q1' })).events).conversationId;
    await t.chat('alice', { message: 'Q2', conversationId: gone });
    const kept = metaOf((await t.chat('alice', { message: 'Other' })).events).conversationId;
    const removed = await t.deleteConversation('alice', gone);
    expect(removed.statusCode).toBe(204);
    expect((await t.conversation('alice', gone)).statusCode).toBe(404);
    expect((await t.deleteConversation('alice', gone)).json).toMatchObject({ status: 404, code: 'not_found' });
    const turns = await t.documents.repository({ name: 'chat-messages', partitionKey: 'userId' }).query({ partitionKey: 'alice', limit: 100 });
    expect(turns.items.map((turn) => turn.conversationId)).toEqual([kept, kept]);
    expect((await t.conversations('alice')).json).toMatchObject({ items: [{ id: kept }] });
  });
});

describe('/api/chat/memory', () => {
  it('GET before anything is remembered is an empty summary and a null updatedAt', async () => {
    const t = setup();
    const reply = await t.memory('alice');
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual({ summary: '', updatedAt: null });
  });

  it('PUT stores the summary trimmed, answers { status: "updated" }, and GET reads it back with a whole-second time', async () => {
    const t = setup();
    const put = await t.putMemory('alice', { summary: '  Prefers navy; no polyester.\n ' });
    expect([put.statusCode, put.json]).toEqual([200, { status: 'updated' }]);
    const got = await t.memory('alice');
    expect(got.json).toEqual({ summary: 'Prefers navy; no polyester.', updatedAt: t.clock.now().toISOString().slice(0, 19) + 'Z' });
  });

  it('a summary of 2000 characters is stored; 2001 is 400 problem+json, and nothing changes', async () => {
    const t = setup();
    expect((await t.putMemory('alice', { summary: 'x'.repeat(2000) })).statusCode).toBe(200);
    const long = await t.putMemory('alice', { summary: 'y'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.headers['content-type']).toBe('application/problem+json');
    expect(long.json).toMatchObject({ code: 'validation_failed' });
    expect((await t.memory('alice')).json?.summary).toBe('x'.repeat(2000));
    expect((await t.putMemory('alice', {})).statusCode).toBe(400);
    expect((await t.putMemory('alice', { summary: 7 })).statusCode).toBe(400);
  });

  it('the summary a user wrote is what the chat reads, and a remembered fact is added below it', async () => {
    const t = setup({ scripts: [{ deltas: ['Ok.'] }, { deltas: ['Ok.'] }] });
    await t.putMemory('alice', { summary: 'Works in an office.' });
    await t.chat('alice', { message: 'Hi' });
    expect(t.model.requests[0]!.messages[0]!.content).toContain('Works in an office.');
    await t.chat('alice', { message: 'Please remember that I cycle to work.' });
    expect((await t.memory('alice')).json?.summary).toBe('Works in an office.\n- I cycle to work');
  });
});

describe.each([
  ['built from the factories', {}],
  ['bound by the app', { app: {} }],
] as const)('ownership: user B never sees or touches user A\'s chat data (%s)', (_mode, options) => {
  it('404 on every route that takes A\'s id, and B\'s lists are empty', async () => {
    const t = setup(options);
    const conversationId = metaOf((await t.chat('alice', { message: 'Remember that I prefer navy' })).events).conversationId;

    expect((await t.conversation('bob', conversationId)).statusCode).toBe(404);
    expect((await t.chat('bob', { message: 'hi', conversationId })).statusCode).toBe(404);
    expect((await t.deleteConversation('bob', conversationId)).statusCode).toBe(404);

    expect((await t.conversations('bob')).json).toEqual({ items: [] });
    expect((await t.memory('bob')).json).toEqual({ summary: '', updatedAt: null });
    // B's own chat does not see A's memory either.
    await t.chat('bob', { message: 'hello' });
    expect(t.model.requests.at(-1)!.messages[0]!.content).not.toContain('navy');

    // A's data is intact.
    expect((await t.conversation('alice', conversationId)).statusCode).toBe(200);
    expect((await t.memory('alice')).json?.summary).toBe('- I prefer navy');
  });
});

describe('the chat routes bound by the app', () => {
  it('resolve every handler string of functions.ts, and read deps.settings.chat from the environment', async () => {
    const t = setup({ app: { CHAT_MAX_MESSAGE_CHARS: '120', CHAT_HEARTBEAT_SECONDS: '60' }, scripts: [{ deltas: ['Noted.'] }] });
    const chat = await t.chat('alice', { message: 'Remember that I prefer navy.' });
    expect(chat.statusCode).toBe(200);
    expect(chat.headers['content-type']).toBe('text/event-stream');
    expect(chat.events?.map((frame) => frame.type)).toEqual(['tool_use', 'tool_result', 'token', 'memory_update', 'done']);
    const conversationId = metaOf(chat.events).conversationId;
    expect((await t.conversations('alice')).json).toMatchObject({ items: [{ id: conversationId, messageCount: 2 }] });
    expect((await t.conversation('alice', conversationId)).json?.turns).toEqual([
      expect.objectContaining({ role: 'user', content: 'Remember that I prefer navy.' }),
      expect.objectContaining({ role: 'assistant', content: 'Noted.', status: 'complete' }),
    ]);
    expect((await t.memory('alice')).json).toMatchObject({ summary: '- I prefer navy' });
    expect((await t.putMemory('alice', { summary: 'No polyester' })).json).toEqual({ status: 'updated' });
    expect((await t.chat('alice', { message: 'x'.repeat(121) })).json).toMatchObject({ code: 'message_too_long' });
    expect((await t.deleteConversation('alice', conversationId)).statusCode).toBe(204);
  });
});
