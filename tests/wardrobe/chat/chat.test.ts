/** POST /api/chat through the real stack on memory ports: PluckIt's frames, both clients' bodies, storage, memory, faults, limits. */
import { describe, expect, it } from '@jest/globals';
import { ModelError } from '../../../domain/ai.ts';
import { isStreamingResult, ServerShutdownError } from '../../../middleware/sse.ts';
import { CHAT_ERROR_TEXT } from '../../../handlers/wardrobe/chat/chat.routes.ts';
import { chatFrames, conversationOf, names, setup, textOf, type Script } from './support.ts';

type Turn = { role: string; content: string; status: string; error?: string; model?: string };
const turnsOf = (json: Record<string, unknown> | undefined) => (json?.turns ?? []) as Turn[];

/** Reads a started stream until its answer text is `want`; answers the wire text so far. */
async function readUntil(body: AsyncIterable<Uint8Array>, want: string) {
  const reader = body[Symbol.asyncIterator]();
  let text = '';
  while (textOf(chatFrames(text.slice(0, text.lastIndexOf('\n\n') + 2))) !== want) text += new TextDecoder().decode((await reader.next()).value);
  return { reader, text };
}

describe('POST /api/chat: the frames', () => {
  it('every frame is one `data: <json>` line and a blank line: tool steps, tokens as written, memory_update, then done last', async () => {
    const t = setup({ scripts: [{ deltas: ['Try the ', 'navy blazer.'] }] });
    const reply = await t.chat('alice', { message: 'What should I wear to dinner?' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/event-stream');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['x-accel-buffering']).toBe('no');
    // chatFrames refuses any part that is not exactly one data line (no comments, no event:/id: lines).
    expect(reply.raw?.startsWith('data: {')).toBe(true);
    expect(reply.events).toEqual([
      { type: 'tool_use', name: 'search_wardrobe' },
      { type: 'tool_result', name: 'search_wardrobe', summary: 'Wardrobe: the user has not added any items yet.' },
      { type: 'token', content: 'Try the ' },
      { type: 'token', content: 'navy blazer.' },
      { type: 'memory_update', updated: false },
      { type: 'done', conversationId: reply.headers['x-conversation-id'] },
    ]);

    const stored = await t.conversation('alice', conversationOf(reply.events));
    expect(stored.json?.conversation).toMatchObject({ title: 'What should I wear to dinner?', messageCount: 2 });
    expect(turnsOf(stored.json)).toMatchObject([
      { role: 'user', content: 'What should I wear to dinner?', status: 'complete' },
      { role: 'assistant', content: 'Try the navy blazer.', status: 'complete', model: 'scripted' },
    ]);
    expect((stored.json?.conversation as { createdAt: string }).createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('tokens are written as the model produces them, not after the answer ends', async () => {
    const t = setup({ scripts: [{ deltas: ['First ', 'words'], stall: true }] });
    const result = await t.startChat('alice', { message: 'Hi' });
    if (!isStreamingResult(result)) throw new Error('expected a stream');
    // The model has not finished (it stalls), yet both tokens have arrived.
    const { reader, text } = await readUntil(result.body, 'First words');
    expect(names(chatFrames(text))).toEqual(['tool_use', 'tool_result', 'token', 'token']);
    await reader.return?.();
  });

  it.each([
    ['camelCase body', { traceId: 't-web' }, {}, 't-web'],
    ['snake_case body', { trace_id: 't-app' }, {}, 't-app'],
    ['X-Trace-Id header', {}, { 'x-trace-id': 't-header' }, 't-header'],
    ['body over header', { traceId: 't-body' }, { 'X-Trace-Id': 't-header' }, 't-body'],
  ] as const)('with a trace id (%s) every frame carries it', async (_how, body, headers, traceId) => {
    const t = setup({ scripts: [{ deltas: ['Yes.'] }] });
    const reply = await t.chat('alice', { message: 'Hi', ...body }, headers);
    expect(reply.events?.length).toBeGreaterThan(3);
    for (const frame of reply.events ?? []) expect(frame.traceId).toBe(traceId);
  });

  it('without a trace id no frame has one', async () => {
    const t = setup();
    const reply = await t.chat('alice', { message: 'Hi' });
    for (const frame of reply.events ?? []) expect(frame).not.toHaveProperty('traceId');
  });
});

describe('POST /api/chat: the request', () => {
  it.each([
    ['web (camelCase)', 'recentMessages', 'selectedItemIds'],
    ['app (snake_case)', 'recent_messages', 'selected_item_ids'],
  ])('the %s history and selection reach the model', async (_client, historyKey, selectionKey) => {
    const t = setup({ scripts: [{ deltas: ['Ok.'] }] });
    const blazer = await t.addItem('alice', { category: 'Blazer', brand: 'Acme', colours: [{ name: 'navy', hex: '#000080' }], wearCount: 5 });
    const boots = await t.addItem('alice', { category: 'Boots', wearCount: 0 });
    await t.addItem('alice', { category: 'Draft coat', draftStatus: 'Processing' });
    const bobs = await t.addItem('bob', { category: 'Bob hat' });
    const history = [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! How can I help?' },
    ];
    const reply = await t.chat('alice', { message: 'And for lunch?', [historyKey]: history, [selectionKey]: [boots, bobs] });
    expect(reply.statusCode).toBe(200);
    const [system, ...rest] = t.model.requests[0]!.messages;
    expect(rest).toEqual([...history, { role: 'user', content: 'And for lunch?' }]);
    expect(system?.content).toContain('- Boots (boots; worn 0x; SELECTED by the user)');
    expect(system?.content).toContain('- Acme navy Blazer (blazer; navy; Acme; worn 5x)');
    expect(system?.content).not.toContain('Draft coat');
    expect(system?.content).not.toContain('Bob hat');
    expect(blazer).toBeDefined();
    expect(t.model.requests[0]).toMatchObject({ task: 'wardrobe.chat', maxOutputTokens: 800, userId: 'alice' });
  });

  it('selected_item_ids null (what the app always sends) is no selection', async () => {
    const t = setup();
    const reply = await t.chat('alice', { message: 'Hi', recent_messages: [], selected_item_ids: null, trace_id: 'x' });
    expect(reply.statusCode).toBe(200);
    // The web's `[state.item?.id]` with no item is `[null]` on the wire.
    expect((await t.chat('alice', { message: 'Hi', selectedItemIds: [null] })).statusCode).toBe(200);
    expect(names(reply.events).at(-1)).toBe('done');
  });

  it('POST /api/chat/ (a trailing slash) is the same route on the local host', async () => {
    const { createRouter } = await import('../../../adapters/local/router.ts');
    const { chatFunctions } = await import('../../../handlers/wardrobe/chat/functions.ts');
    const route = createRouter(chatFunctions.filter((def) => def.trigger.kind === 'http') as never);
    expect(route('POST', '/api/chat/')).toMatchObject({ kind: 'found', def: { name: 'wardrobe-chat' } });
    expect(route('POST', '/api/chat')).toMatchObject({ kind: 'found', def: { name: 'wardrobe-chat' } });
  });

  it('continuing a stored conversation by id uses its turns when the body sends no history', async () => {
    const t = setup({ scripts: [{ deltas: ['First answer.'] }, { deltas: ['Second.'] }] });
    const first = await t.chat('alice', { message: 'Hello' });
    await t.chat('alice', { message: 'And for lunch?', conversationId: conversationOf(first.events) });
    expect(t.model.requests[1]!.messages.slice(1)).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'And for lunch?' },
    ]);
  });
});

describe('POST /api/chat: memory', () => {
  it('"remember that …" adds the fact to the summary before the prompt, and memory_update { updated: true } comes before done', async () => {
    const t = setup({ scripts: [{ deltas: ['Noted.'] }, { deltas: ['Again.'] }] });
    const first = await t.chat('alice', { message: 'Remember that I prefer navy. What goes with grey trousers?' });
    expect(names(first.events).slice(-2)).toEqual(['memory_update', 'done']);
    expect(first.events?.at(-2)).toEqual({ type: 'memory_update', updated: true });
    expect(t.model.requests[0]!.messages[0]!.content).toContain('- I prefer navy');
    expect((await t.memory('alice')).json).toMatchObject({ summary: '- I prefer navy' });
    // The same fact again changes nothing.
    const second = await t.chat('alice', { message: 'remember that i prefer navy' });
    expect(second.events?.at(-2)).toEqual({ type: 'memory_update', updated: false });
  });
});

describe('POST /api/chat: faults are in band once the stream has started: error, then done', () => {
  it('a model failure mid-stream: the tokens so far, error, done; the answer is stored incomplete with its partial text', async () => {
    const t = setup({ scripts: [{ deltas: ['Half an ', 'answer', 'never'], failAfter: 2, error: new ModelError('unavailable') }] });
    const reply = await t.chat('alice', { message: 'Hi', traceId: 'tr' });
    expect(reply.statusCode).toBe(200);
    expect(names(reply.events)).toEqual(['tool_use', 'tool_result', 'token', 'token', 'error', 'done']);
    expect(reply.events?.at(-2)).toEqual({ type: 'error', content: CHAT_ERROR_TEXT, traceId: 'tr' });
    const turns = turnsOf((await t.conversation('alice', conversationOf(reply.events))).json);
    expect(turns[1]).toMatchObject({ role: 'assistant', content: 'Half an answer', status: 'incomplete', error: 'model_unavailable' });
  });

  it.each([
    ['a 429 before the first token', { error: new ModelError('rate_limited', { retryAfterSeconds: 3 }) }, 'model_rate_limited'],
    ['a stream that ends without done', { deltas: ['cut'], noDone: true }, 'model_unavailable'],
    ['an unexpected bug in the model adapter', { error: new TypeError('boom') }, 'internal'],
  ] as [string, Script, string][])('%s: error and done, the answer stored incomplete', async (_name, script, code) => {
    const t = setup({ scripts: [script] });
    const reply = await t.chat('alice', { message: 'Hi' });
    expect(names(reply.events)).toEqual(['tool_use', 'tool_result', ...(script.deltas ?? []).map(() => 'token'), 'error', 'done']);
    const turns = turnsOf((await t.conversation('alice', conversationOf(reply.events))).json);
    expect(turns[1]).toMatchObject({ content: (script.deltas ?? []).join(''), status: 'incomplete', error: code });
  });

  it.each([
    ['the client goes away', undefined, 'client_closed'],
    ['the server shuts down', new ServerShutdownError(), 'server_shutdown'],
  ] as const)('a stream cut mid-answer because %s is stored with its own reason, and its slot is freed', async (_why, reason, stored) => {
    const t = setup({ settings: { maxStreamsPerUser: 1 }, scripts: [{ deltas: ['Partial ', 'text'], stall: true }] });
    const result = await t.startChat('alice', { message: 'Hi' });
    if (!isStreamingResult(result)) throw new Error('expected a stream');
    const conversationId = String(result.headers?.['x-conversation-id']);
    const { reader } = await readUntil(result.body, 'Partial text');
    await reader.return?.(reason);
    let turns: Turn[] = [];
    for (let i = 0; i < 100 && turns[1]?.error === undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      turns = turnsOf((await t.conversation('alice', conversationId)).json);
    }
    expect(turns[1]).toMatchObject({ content: 'Partial text', status: 'incomplete', error: stored });
    expect(t.model.requests[0]!.signal?.aborted).toBe(true);
    let again = await t.chat('alice', { message: 'Again' });
    for (let i = 0; i < 100 && again.statusCode === 429; i++) again = await t.chat('alice', { message: 'Again' });
    expect(again.statusCode).toBe(200);
  });

  it('a model that stalls past the stream time limit: error then done, stored incomplete', async () => {
    const t = setup({ settings: { streamMaxSeconds: 0.05 }, scripts: [{ deltas: ['Slow'], stall: true }] });
    const reply = await t.chat('alice', { message: 'Hi' });
    expect(names(reply.events)).toEqual(['tool_use', 'tool_result', 'token', 'error', 'done']);
    let turns: Turn[] = [];
    for (let i = 0; i < 100 && turns[1]?.error === undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      turns = turnsOf((await t.conversation('alice', conversationOf(reply.events))).json);
    }
    expect(turns[1]).toMatchObject({ content: 'Slow', status: 'incomplete', error: 'stream_time_limit' });
  });
});

describe('POST /api/chat: refusals come before streaming, as problem+json, and store nothing', () => {
  it.each([
    ['no message', { recentMessages: [] }],
    ['a blank message', { message: '   ' }],
    ['a history turn with another role', { message: 'Hi', recent_messages: [{ role: 'system', content: 'x' }] }],
    ['more than 16 history turns', { message: 'Hi', recentMessages: Array.from({ length: 17 }, () => ({ role: 'user', content: 'x' })) }],
  ])('%s is 400', async (_name, body) => {
    const t = setup();
    const before = await t.snapshot();
    const reply = await t.chat('alice', body);
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json).toMatchObject({ code: 'validation_failed' });
    expect(typeof reply.json?.detail).toBe('string');
    expect(await t.snapshot()).toBe(before);
    expect(t.model.requests).toHaveLength(0);
  });

  it("an unknown conversation, or another user's, is 404", async () => {
    const t = setup();
    const mine = conversationOf((await t.chat('alice', { message: 'Hi' })).events);
    const before = await t.snapshot();
    for (const [user, conversationId] of [['alice', 'no-such-conversation'], ['bob', mine]] as const) {
      const reply = await t.chat(user, { message: 'Hi', conversationId });
      expect([reply.statusCode, reply.json?.code]).toEqual([404, 'not_found']);
    }
    expect(await t.snapshot()).toBe(before);
  });

  it('a message over CHAT_MAX_MESSAGE_CHARS is 400 message_too_long', async () => {
    const t = setup({ settings: { maxMessageChars: 100 } });
    const reply = await t.chat('alice', { message: 'x'.repeat(101) });
    expect([reply.statusCode, reply.json?.code]).toEqual([400, 'message_too_long']);
    expect((await t.chat('alice', { message: 'x'.repeat(100) })).statusCode).toBe(200);
  });

  it('more concurrent streams than CHAT_MAX_STREAMS_PER_USER is 429 with Retry-After; other users are not affected', async () => {
    const t = setup({ settings: { maxStreamsPerUser: 1 }, scripts: [{ deltas: ['…'], stall: true }] });
    const open = await t.startChat('alice', { message: 'First' });
    if (!isStreamingResult(open)) throw new Error('expected a stream');
    const { reader } = await readUntil(open.body, '…');
    const refused = await t.chat('alice', { message: 'Second' });
    expect([refused.statusCode, refused.json?.code]).toEqual([429, 'too_many_streams']);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect((await t.chat('bob', { message: 'Mine' })).statusCode).toBe(200);
    await reader.return?.();
  });

  it('an unauthenticated caller is 401 and nothing runs', async () => {
    const t = setup();
    const reply = await t.call(t.http.chat, { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(reply.statusCode).toBe(401);
    expect(t.model.requests).toHaveLength(0);
  });
});
