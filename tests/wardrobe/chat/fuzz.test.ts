/** Property: whatever body reaches the chat and memory routes, never a 5xx, and a refused request stores nothing. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { HttpLambda } from '../../../kernel/functions.ts';
import { conversationOf, setup } from './support.ts';

const RUNS = Math.max(200, Math.ceil(Number(process.env.FUZZ_RUNS ?? 1000) / 5));

const words = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('remember that ', 'Please remember ', "don't forget that ", 'Remember: ', '   ', '?', '.').chain((prefix) => fc.string({ maxLength: 40 }).map((rest) => prefix + rest)),
  fc.constant('x'.repeat(5000)),
);

function bodies(fields: Record<string, fc.Arbitrary<unknown>>) {
  const json = fc.oneof(fc.record(fields, { requiredKeys: [] }), fc.record({ ...fields, extra: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 3 }));
  return fc.oneof({ weight: 4, arbitrary: json.map((value) => JSON.stringify(value)) }, { weight: 1, arbitrary: fc.string({ maxLength: 80 }) });
}

describe('fuzzing the chat routes with bodies', () => {
  it(`POST /api/chat and PUT /api/chat/memory: no 5xx, and nothing stored when refused (${RUNS} runs each)`, async () => {
    const t = setup({ settings: { maxMessageChars: 2000 } });
    const mine = conversationOf((await t.chat('alice', { message: 'hello' })).events);
    const theirs = conversationOf((await t.chat('bob', { message: 'hello' })).events);
    const conversationId = fc.oneof(fc.constant(mine), fc.constant(theirs), fc.string({ maxLength: 30 }), fc.integer());
    const turn = fc.record({ role: fc.oneof(fc.constantFrom('user', 'assistant'), fc.string({ maxLength: 10 })), content: fc.oneof(words, fc.integer()) }, { requiredKeys: [] });
    const history = fc.oneof(fc.array(turn, { maxLength: 20 }), fc.constant(null), fc.string({ maxLength: 10 }));
    const selection = fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), fc.constant(null), fc.integer());
    const trace = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant('x'.repeat(300)));

    // Each route also runs one known-good and one known-bad body: a valid chat body is only a few
    // percent of what the arbitraries make, so 200 random runs alone sometimes hold none.
    const routes: [string, HttpLambda, string, fc.Arbitrary<string>, string][] = [
      [
        'chat', t.http.chat, '/api/chat',
        bodies({ message: fc.oneof(words, fc.integer(), fc.constant(null)), conversationId, recentMessages: history, recent_messages: history, selectedItemIds: selection, selected_item_ids: selection, traceId: trace, trace_id: trace }),
        JSON.stringify({ message: 'what goes with navy?', recent_messages: [{ role: 'user', content: 'hi' }], selected_item_ids: null }),
      ],
      ['memory', t.http.putMemory, '/api/chat/memory', bodies({ summary: fc.oneof(words, fc.integer(), fc.constant(null), fc.constant('z'.repeat(2001))) }), JSON.stringify({ summary: 'I like navy' })],
    ];
    for (const [name, handler, path, body, valid] of routes) {
      const outcomes = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('application/json', 'text/plain'), async (text, contentType) => {
          const before = await t.snapshot();
          const reply = await t.call(handler, { method: name === 'memory' ? 'PUT' : 'POST', path, headers: { authorization: 'Bearer user:alice', 'content-type': contentType }, body: text });
          outcomes.set(reply.statusCode, (outcomes.get(reply.statusCode) ?? 0) + 1);
          expect(reply.statusCode).toBeLessThan(500);
          if (reply.statusCode >= 400) {
            expect(reply.headers['content-type']).toBe('application/problem+json');
            expect(await t.snapshot()).toBe(before);
          }
          // A stream that starts must finish with done (the scripted model streams the offline answer).
          if (reply.events) expect(reply.events.at(-1)?.type).toBe('done');
        }),
        { numRuns: RUNS, examples: [[valid, 'application/json'], ['{"', 'application/json']] },
      );
      // The property is only meaningful if both accepted and refused inputs were generated.
      expect([name, [...outcomes.keys()].some((status) => status < 300)]).toEqual([name, true]);
      expect([name, [...outcomes.keys()].some((status) => status >= 400)]).toEqual([name, true]);
    }
  });
});
