/**
 * The chat with the real `openai` SDK (through the app's model adapter) against the local
 * OpenAI-compatible test server: what the server records is what the model would see, and its
 * injected faults (429, 500, stall, broken stream) each end in an in-band error with nothing
 * stored as complete.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createLanguageModel } from '../../../adapters/ai/language-model.ts';
import { startOpenAIServer, textReply, type OpenAITestServer } from '../../support/openai-server.ts';
import { conversationOf, names, setup, textOf } from './support.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function withServer(options: Parameters<typeof setup>[0] = {}) {
  // No SDK retries, so each scripted fault reaches the chat; a short per-attempt timeout for the stall.
  const model = createLanguageModel({ provider: 'openai', apiKey: 'test-key', baseURL: server.openaiBaseURL, model: 'gpt-4.1-mini', timeoutMs: 1000, maxRetries: 0 }, []);
  return setup({ ...options, model });
}

type Turn = { role: string; content: string; status: string; error?: string };
const systemText = (index: number) => String(server.requests[index]?.messages[0]?.content);

describe('chat through the OpenAI SDK and the test server', () => {
  it("the app's snake_case history reaches the model, and a fact remembered in one turn is in the next request", async () => {
    const t = withServer();
    server.enqueue(textReply('Navy it is.', { usage: { prompt_tokens: 120, completion_tokens: 4 } }), textReply('A navy knit tie.'));
    const first = await t.chat('alice', { message: 'Remember that I prefer navy.', recent_messages: [], selected_item_ids: null, trace_id: 'trace-1' });
    expect(names(first.events)).toEqual(['tool_use', 'tool_result', 'token', 'token', 'token', 'memory_update', 'done']);
    expect(first.events?.every((frame) => frame.traceId === 'trace-1')).toBe(true);
    expect(systemText(0)).toContain('- I prefer navy');

    const second = await t.chat('alice', {
      message: 'Which tie for Friday?',
      recent_messages: [
        { role: 'user', content: 'Remember that I prefer navy.' },
        { role: 'assistant', content: 'Navy it is.' },
      ],
      selected_item_ids: null,
      trace_id: 'trace-2',
    });
    expect(textOf(second.events)).toBe('A navy knit tie.');
    const sent = server.requests[1]!;
    expect(sent.stream).toBe(true);
    expect(sent.model).toBe('gpt-4.1-mini');
    expect(sent.body.max_completion_tokens ?? sent.body.max_tokens).toBe(800);
    expect(systemText(1)).toContain('- I prefer navy');
    expect(sent.messages.slice(1)).toEqual([
      { role: 'user', content: 'Remember that I prefer navy.' },
      { role: 'assistant', content: 'Navy it is.' },
      { role: 'user', content: 'Which tie for Friday?' },
    ]);
  });

  it.each([
    ['a 429', { fault: 429, retryAfterSeconds: 2 } as const, 'model_rate_limited', ''],
    ['a 500', { fault: 500 } as const, 'model_unavailable', ''],
    ['a stall', { fault: 'stall' } as const, 'model_timeout', ''],
    ['a broken stream', { fault: 'broken-stream', deltas: ['Half ', 'an '] } as const, 'model_unavailable', 'Half an '],
  ])('%s: an in-band error frame then done, and the answer stored incomplete with its partial text', async (_name, fault, code, partial) => {
    const t = withServer();
    server.enqueue(fault);
    const reply = await t.chat('alice', { message: 'What should I wear?' });
    expect(reply.statusCode).toBe(200);
    expect(names(reply.events).slice(-2)).toEqual(['error', 'done']);
    expect(textOf(reply.events)).toBe(partial);
    const turns = (await t.conversation('alice', conversationOf(reply.events))).json?.turns as Turn[];
    expect(turns.map((turn) => [turn.role, turn.status])).toEqual([['user', 'complete'], ['assistant', 'incomplete']]);
    expect(turns[1]).toMatchObject({ content: partial, error: code });
    expect(turns.some((turn) => turn.role === 'assistant' && turn.status === 'complete')).toBe(false);
  });
});
