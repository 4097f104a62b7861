/** POST /api/chat through the real stack on memory ports: the event stream, storage, memory, faults, limits. */
import { describe, expect, it } from '@jest/globals';
import { ModelError } from '../../../domain/ai.ts';
import { promptTokens } from '../../../domain/wardrobe/prompt.ts';
import { isStreamingResult, ServerShutdownError } from '../../../middleware/sse.ts';
import { eventsOf, parseFrames } from '../../streaming/frames.ts';
import { names, setup, textOf, type Script } from './support.ts';

type Turn = { role: string; content: string; status: string; error?: string; model?: string };
const turnsOf = (json: Record<string, unknown> | undefined) => (json?.turns ?? []) as Turn[];
const metaOf = (events: { event?: string; data?: unknown }[] = []) => events.find((frame) => frame.event === 'meta')?.data as { conversationId: string; messageId: string; remembered?: { id: string; text: string } };

describe('POST /api/chat', () => {
  it('streams meta, token deltas and done, and stores the conversation with both turns complete', async () => {
    const t = setup({ scripts: [{ deltas: ['Try the ', 'navy blazer.'] }] });
    const reply = await t.chat('alice', { message: 'What should I wear to dinner?' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(names(reply.events)).toEqual(['meta', 'token', 'token', 'done']);
    expect(textOf(reply.events)).toBe('Try the navy blazer.');
    const meta = metaOf(reply.events);
    expect(reply.events?.at(-1)?.data).toEqual({ conversationId: meta.conversationId, messageId: meta.messageId, model: 'scripted', offline: false, usage: { inputTokens: 10, outputTokens: 2 } });

    const stored = await t.conversation('alice', meta.conversationId);
    expect(stored.statusCode).toBe(200);
    expect(stored.json?.conversation).toMatchObject({ id: meta.conversationId, title: 'What should I wear to dinner?', messageCount: 2 });
    expect(turnsOf(stored.json)).toMatchObject([
      { role: 'user', content: 'What should I wear to dinner?', status: 'complete' },
      { id: meta.messageId, role: 'assistant', content: 'Try the navy blazer.', status: 'complete', model: 'scripted' },
    ]);
  });

  it('builds the prompt from the wardrobe (active items of this user only), the memory and the earlier turns', async () => {
    const t = setup({ scripts: [{ deltas: ['First answer.'] }, { deltas: ['Second answer.'] }] });
    await t.addItem('alice', { name: 'Navy blazer', category: 'Outerwear', wearCount: 5 });
    await t.addItem('alice', { name: 'Draft boots', category: 'Shoes', status: 'draft' });
    await t.addItem('bob', { name: 'Bob hat', category: 'Hats' });
    const first = await t.chat('alice', { message: 'Hello' });
    const conversationId = metaOf(first.events).conversationId;
    await t.chat('alice', { message: 'And for lunch?', conversationId });

    const [system, ...rest] = t.model.requests[1]!.messages;
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('- Navy blazer (outerwear; worn 5x)');
    expect(system?.content).not.toContain('Draft boots');
    expect(system?.content).not.toContain('Bob hat');
    expect(rest).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'And for lunch?' },
    ]);
    expect(t.model.requests[1]).toMatchObject({ task: 'wardrobe.chat', maxOutputTokens: 800, userId: 'alice' });
  });

  it('"remember that …" saves the fact before the prompt is built, so this turn and every later one carries it', async () => {
    const t = setup();
    const first = await t.chat('alice', { message: 'Remember that I prefer navy. What goes with grey trousers?' });
    const meta = metaOf(first.events);
    expect(meta.remembered).toMatchObject({ text: 'I prefer navy' });
    expect(t.model.requests[0]!.messages[0]!.content).toContain('- I prefer navy');
    expect(t.model.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'Remember that I prefer navy. What goes with grey trousers?' });

    // A new conversation still knows it: memory belongs to the user, not the conversation.
    await t.chat('alice', { message: 'Pick me a tie' });
    expect(t.model.requests[1]!.messages[0]!.content).toContain('- I prefer navy');
    // The offline answer (streamed by the scripted model here) repeats what it keeps in mind.
    expect(textOf(first.events)).toContain('I prefer navy');

    expect((await t.memory('alice')).json).toMatchObject({ facts: [{ text: 'I prefer navy', source: 'chat' }], maxFacts: 30 });
    // Saying it again does not add a second copy.
    await t.chat('alice', { message: 'please remember I PREFER NAVY!' });
    expect(((await t.memory('alice')).json?.facts as unknown[]).length).toBe(1);
  });

  it('keeps the prompt within the token budget by dropping the oldest turns, and always keeps the new message', async () => {
    const long = (n: number) => `${n} ${'x'.repeat(1200)}`;
    const t = setup({ settings: { promptTokenBudget: 13_000 } });
    const first = await t.chat('alice', { message: long(1) });
    const conversationId = metaOf(first.events).conversationId;
    for (let n = 2; n <= 12; n++) await t.chat('alice', { message: long(n), conversationId });
    for (const request of t.model.requests) expect(promptTokens(request.messages)).toBeLessThanOrEqual(13_000);
    const last = t.model.requests.at(-1)!.messages;
    expect(last.at(-1)).toEqual({ role: 'user', content: long(12) });
    expect(last.some((message) => message.content === long(1))).toBe(false);
    expect(last.some((message) => message.content === long(11))).toBe(true);
  });
});

describe('POST /api/chat: faults are in band once the stream has started, and never stored as complete', () => {
  it('a model failure mid-stream: meta, the tokens so far, an error event; the answer is stored incomplete with its partial text', async () => {
    const t = setup({ scripts: [{ deltas: ['Half an ', 'answer', 'never'], failAfter: 2, error: new ModelError('unavailable') }] });
    const reply = await t.chat('alice', { message: 'Hi' });
    expect(reply.statusCode).toBe(200);
    expect(names(reply.events)).toEqual(['meta', 'token', 'token', 'error']);
    expect(reply.events?.at(-1)?.data).toEqual({ code: 'model_unavailable', message: 'The language model is unavailable.' });
    const turns = turnsOf((await t.conversation('alice', metaOf(reply.events).conversationId)).json);
    expect(turns[1]).toMatchObject({ role: 'assistant', content: 'Half an answer', status: 'incomplete', error: 'model_unavailable' });
  });

  it.each([
    ['a 429 before the first token', { error: new ModelError('rate_limited', { retryAfterSeconds: 3 }) }, 'model_rate_limited'],
    ['a timeout before the first token', { error: new ModelError('timeout') }, 'model_timeout'],
    ['a stream that ends without done', { deltas: ['cut'], noDone: true }, 'model_unavailable'],
    ['an unexpected bug in the model adapter', { error: new TypeError('boom') }, 'internal'],
  ] as [string, Script, string][])('%s: an in-band error, the answer stored incomplete', async (_name, script, code) => {
    const t = setup({ scripts: [script] });
    const reply = await t.chat('alice', { message: 'Hi' });
    expect(reply.statusCode).toBe(200);
    expect(names(reply.events)).toEqual(['meta', ...(script.deltas ?? []).map(() => 'token'), 'error']);
    expect(reply.events?.at(-1)?.data).toMatchObject({ code });
    const turns = turnsOf((await t.conversation('alice', metaOf(reply.events).conversationId)).json);
    expect(turns.map((turn) => turn.status)).toEqual(['complete', 'incomplete']);
    expect(turns[1]).toMatchObject({ content: (script.deltas ?? []).join(''), error: code });
  });

  it('a client that goes away mid-answer: the model is aborted and the partial answer is stored incomplete', async () => {
    const t = setup({ scripts: [{ deltas: ['Partial ', 'text'], stall: true }] });
    const result = await t.startChat('alice', { message: 'Hi' });
    if (!isStreamingResult(result)) throw new Error('expected a stream');
    const reader = result.body[Symbol.asyncIterator]();
    let text = '';
    while (textOf(eventsOf(parseFrames(text))) !== 'Partial text') text += new TextDecoder().decode((await reader.next()).value);
    await reader.return?.();
    const meta = metaOf(eventsOf(parseFrames(text)));
    // The producer's cleanup runs once the aborted model call returns; wait for the stored outcome.
    let turns: Turn[] = [];
    for (let i = 0; i < 100 && turns[1]?.error === undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      turns = turnsOf((await t.conversation('alice', meta.conversationId)).json);
    }
    expect(turns[1]).toMatchObject({ content: 'Partial text', status: 'incomplete', error: 'client_closed' });
    expect(t.model.requests[0]!.signal?.aborted).toBe(true);
    // Its stream slot was released: another chat may start at once.
    expect((await t.chat('alice', { message: 'Again' })).statusCode).toBe(200);
  });

  it.each([
    ['the client goes away', undefined, 'client_closed'],
    ['the server shuts down', new ServerShutdownError(), 'server_shutdown'],
  ] as const)('a stream cut mid-answer because %s is stored with its own reason', async (_why, reason, stored) => {
    const t = setup({ scripts: [{ deltas: ['Partial ', 'text'], stall: true }] });
    const result = await t.startChat('alice', { message: 'Hi' });
    if (!isStreamingResult(result)) throw new Error('expected a stream');
    const reader = result.body[Symbol.asyncIterator]();
    let text = '';
    while (textOf(eventsOf(parseFrames(text))) !== 'Partial text') text += new TextDecoder().decode((await reader.next()).value);
    // What a runtime does: the local host cancels the body with a ServerShutdownError when it stops.
    await reader.return?.(reason);
    const meta = metaOf(eventsOf(parseFrames(text)));
    let turns: Turn[] = [];
    for (let i = 0; i < 100 && turns[1]?.error === undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      turns = turnsOf((await t.conversation('alice', meta.conversationId)).json);
    }
    expect(turns[1]).toMatchObject({ content: 'Partial text', status: 'incomplete', error: stored });
    expect(t.model.requests[0]!.signal?.aborted).toBe(true);
  });

  it('a model that stalls past the stream time limit: an in-band time-limit error, stored incomplete', async () => {
    const t = setup({ settings: { streamMaxSeconds: 0.05 }, scripts: [{ deltas: ['Slow'], stall: true }] });
    const reply = await t.chat('alice', { message: 'Hi' });
    expect(names(reply.events)).toEqual(['meta', 'token', 'error']);
    expect(reply.events?.at(-1)?.data).toMatchObject({ code: 'stream_time_limit' });
    let turns: Turn[] = [];
    for (let i = 0; i < 100 && turns[1]?.error === undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      turns = turnsOf((await t.conversation('alice', metaOf(reply.events).conversationId)).json);
    }
    expect(turns[1]).toMatchObject({ content: 'Slow', status: 'incomplete', error: 'stream_time_limit' });
  });
});

describe('POST /api/chat: refusals come before streaming, as problem+json, and store nothing', () => {
  it('an unknown conversation, or another user\'s, is 404', async () => {
    const t = setup();
    const mine = metaOf((await t.chat('alice', { message: 'Hi' })).events).conversationId;
    const before = await t.snapshot();
    for (const [user, conversationId] of [['alice', 'no-such-conversation'], ['bob', mine]] as const) {
      const reply = await t.chat(user, { message: 'Hi', conversationId });
      expect(reply.statusCode).toBe(404);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json).toMatchObject({ code: 'not_found' });
    }
    expect(await t.snapshot()).toBe(before);
    expect(t.model.requests).toHaveLength(1);
  });

  it('a message over CHAT_MAX_MESSAGE_CHARS is 400 message_too_long', async () => {
    const t = setup({ settings: { maxMessageChars: 100 } });
    const before = await t.snapshot();
    const reply = await t.chat('alice', { message: 'x'.repeat(101) });
    expect([reply.statusCode, reply.json?.code]).toEqual([400, 'message_too_long']);
    expect((await t.chat('alice', { message: 'x'.repeat(100) })).statusCode).toBe(200);
    expect(before).toBe(JSON.stringify({ 'chat-conversations': [], 'chat-messages': [], 'chat-memory': [], 'chat-streams': [], 'wardrobe-items': [] }));
  });

  it('more concurrent streams than CHAT_MAX_STREAMS_PER_USER is 429 with Retry-After; other users are not affected', async () => {
    const t = setup({ settings: { maxStreamsPerUser: 1 }, scripts: [{ deltas: ['…'], stall: true }] });
    const open = await t.startChat('alice', { message: 'First' });
    if (!isStreamingResult(open)) throw new Error('expected a stream');
    // Read the heartbeat, meta and the first token: the model is now stalled mid-answer.
    const reader = open.body[Symbol.asyncIterator]();
    for (let frame = 0; frame < 3; frame++) await reader.next();
    const before = await t.snapshot();
    const refused = await t.chat('alice', { message: 'Second' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json).toMatchObject({ code: 'too_many_streams' });
    expect(await t.snapshot()).toBe(before);
    expect((await t.chat('bob', { message: 'Mine' })).statusCode).toBe(200);

    // Closing the first stream frees the slot.
    await reader.return?.();
    let again = await t.chat('alice', { message: 'Third' });
    for (let i = 0; i < 100 && again.statusCode === 429; i++) again = await t.chat('alice', { message: 'Third' });
    expect(again.statusCode).toBe(200);
  });

  it('a lease left by a crashed stream stops counting after the longest stream', async () => {
    const t = setup({ settings: { maxStreamsPerUser: 1 } });
    await t.startChat('alice', { message: 'Never read' }); // its producer never runs, so it never releases
    expect((await t.chat('alice', { message: 'Blocked' })).statusCode).toBe(429);
    t.clock.advance((t.deps.settings.chat.streamMaxSeconds + 31) * 1000);
    expect((await t.chat('alice', { message: 'Unblocked' })).statusCode).toBe(200);
  });

  it('a "remember" message when the memory is full is 409 memory_full; one too long is 400 fact_too_long', async () => {
    const t = setup({ settings: { memoryMaxFacts: 1, memoryMaxFactChars: 20 } });
    expect((await t.remember('alice', { fact: 'I like navy' })).statusCode).toBe(201);
    const before = await t.snapshot();
    const full = await t.chat('alice', { message: 'Remember that I hate orange' });
    expect([full.statusCode, full.json?.code]).toEqual([409, 'memory_full']);
    const long = await t.chat('alice', { message: `Remember that I ${'really '.repeat(5)}like linen` });
    expect([long.statusCode, long.json?.code]).toEqual([400, 'fact_too_long']);
    expect(await t.snapshot()).toBe(before);
    // The fact already saved is not a new one, so it does not count against the bound.
    expect((await t.chat('alice', { message: 'remember that I like navy' })).statusCode).toBe(200);
  });

  it('an unauthenticated caller is 401 and nothing runs', async () => {
    const t = setup();
    const reply = await t.call(t.http.chat, { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(reply.statusCode).toBe(401);
    expect(t.model.requests).toHaveLength(0);
  });
});
