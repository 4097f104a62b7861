/** The chat's pure rules: memory-fact detection (a table), fact keys, and the prompt budget (fast-check). */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addFactToSummary, detectMemoryFact, factKey, MEMORY_SUMMARY_MAX_CHARS, normaliseFact } from '../../../domain/wardrobe/memory.ts';
import {
  buildPrompt,
  contextMessage,
  estimateTokens,
  CHAT_SYSTEM_PROMPT,
  maxSummaryTokens,
  messageTokens,
  minimumPromptBudget,
  offlineChatAnswer,
  promptTokens,
  summariseWardrobe,
  type SummaryItem,
  type Turn,
} from '../../../domain/wardrobe/prompt.ts';

describe('detectMemoryFact', () => {
  it.each([
    ['remember that I prefer navy', 'I prefer navy'],
    ['Remember that I prefer navy.', 'I prefer navy'],
    ['Please remember I am allergic to wool!', 'I am allergic to wool'],
    ["Don't forget that my shoe size is 9.5.", 'my shoe size is 9.5'],
    ['don’t forget I hate orange', 'I hate orange'],
    ['Do not forget that I cycle to work', 'I cycle to work'],
    ['Hey, remember that I work from home on Fridays. What should I wear tomorrow?', 'I work from home on Fridays'],
    ['Can you remember that I only wear silver jewellery?', 'I only wear silver jewellery'],
    ['could you please keep in mind that I am 1.9 m tall', 'I am 1.9 m tall'],
    ['Remember: no polyester, ever', 'no polyester, ever'],
    ['remember this: I like   loose   fits\nand something else', 'I like loose fits'],
    ['oh and please remember, I dress formally on Mondays', 'I dress formally on Mondays'],
  ])('%j saves %j', (message, fact) => {
    expect(detectMemoryFact(message)).toBe(fact);
  });

  it.each([
    'What should I wear today?',
    "I can't remember what I wore last week",
    'Do you remember that jacket?',
    'Remember when I wore the red dress?',
    'remember to pack an umbrella',
    'Remember what I said about colours',
    'remember me',
    'remember that',
    'remember',
    'Remembered that I like navy',
    'remember that ...',
    'Remember that 42',
    '',
  ])('%j saves nothing', (message) => {
    expect(detectMemoryFact(message)).toBeUndefined();
  });

  it('facts differ only by case, spacing or edge punctuation share one key', () => {
    expect(factKey('I prefer navy.')).toBe(factKey('  i PREFER   navy '));
    expect(factKey('"I prefer navy"')).toBe(factKey('I prefer navy'));
    expect(factKey('I prefer navy')).not.toBe(factKey('I prefer grey'));
    expect(normaliseFact(' I   prefer\nnavy!! ')).toBe('I prefer navy');
  });
});

const turn = fc.record({
  role: fc.constantFrom<Turn['role']>('user', 'assistant'),
  content: fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
});

describe('buildPrompt', () => {
  const system = 'You are a stylist.';

  it('is never over budget, always keeps the context and the newest turn, and drops the oldest turns first', () => {
    fc.assert(
      fc.property(
        fc.array(turn, { maxLength: 40 }),
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 600 }),
        fc.string({ maxLength: 500 }),
        fc.nat({ max: 3000 }),
        (history, message, memory, summary, slack) => {
          const context = contextMessage({ system, memory, summary });
          const budget = messageTokens(context) + messageTokens({ content: message }) + slack;
          const prompt = buildPrompt({ system, memory, summary, history, message, budget });
          expect(prompt.tokens).toBeLessThanOrEqual(budget);
          expect(promptTokens(prompt.messages)).toBe(prompt.tokens);
          expect(prompt.messages[0]).toEqual(context);
          expect(prompt.messages.at(-1)).toEqual({ role: 'user', content: message });
          // The kept turns are exactly the newest ones, in order.
          const kept = prompt.messages.slice(1, -1);
          expect(kept).toEqual(history.slice(history.length - kept.length).map(({ role, content }) => ({ role, content })));
          expect(prompt.droppedTurns).toBe(history.length - kept.length);
          // Nothing was dropped that would have fitted.
          const next = history[history.length - kept.length - 1];
          if (next) expect(prompt.tokens + messageTokens(next)).toBeGreaterThan(budget);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('minimumPromptBudget holds the worst case: inputs within the limits always fit it', () => {
    const limits = { memoryMaxChars: 120, summaryMaxItems: 5, maxMessageChars: 200 };
    const budget = minimumPromptBudget(limits);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', 'é', '衣', '👗', '\n'), maxLength: limits.memoryMaxChars }).filter((memory) => memory.length <= limits.memoryMaxChars),
        fc.array(summaryItem, { maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('a', 'é', '衣', '👗', ' '), maxLength: limits.maxMessageChars }).filter((message) => message.length <= limits.maxMessageChars),
        fc.array(turn, { maxLength: 5 }),
        (memory, items, message, history) => {
          const summary = summariseWardrobe(items, limits.summaryMaxItems, new Set(items.map((item) => item.id)));
          const prompt = buildPrompt({ system: CHAT_SYSTEM_PROMPT, memory, summary, history, message, budget });
          expect(prompt.tokens).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a budget that cannot hold the required parts (a configuration error)', () => {
    expect(() => buildPrompt({ system, memory: '', summary: '', history: [], message: 'x'.repeat(400), budget: 50 })).toThrow(RangeError);
  });

  it('estimates non-ASCII text pessimistically', () => {
    expect(estimateTokens('abcd'.repeat(10))).toBe(10);
    expect(estimateTokens('衣服衣服')).toBe(4);
    expect(estimateTokens('👗')).toBe(1);
  });
});

const summaryItem = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 40 }),
    category: fc.string({ unit: 'grapheme', maxLength: 100 }),
    colours: fc.array(fc.record({ name: fc.string({ unit: 'grapheme', maxLength: 60 }), hex: fc.constant('#000000') }), { maxLength: 6 }),
    brand: fc.string({ unit: 'grapheme', maxLength: 100 }),
    tags: fc.array(fc.string({ unit: 'grapheme', maxLength: 100 }), { maxLength: 3 }),
    wearCount: fc.nat({ max: 1_000_000 }),
  },
  { requiredKeys: ['id', 'colours', 'tags', 'wearCount'] },
);

describe('summariseWardrobe', () => {
  it('stays within maxSummaryTokens and keeps user text on one line per item', () => {
    fc.assert(
      fc.property(fc.array(summaryItem, { maxLength: 30 }), fc.integer({ min: 1, max: 30 }), (items, maxItems) => {
        const summary = summariseWardrobe(items, maxItems, new Set(items.map((item) => item.id)));
        expect(estimateTokens(summary)).toBeLessThanOrEqual(maxSummaryTokens(maxItems));
        if (items.length) expect(summary.split('\n')).toHaveLength(Math.min(items.length, maxItems) + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('summarises counts by category and one line per item, named by brand, colour and category, selected ones marked', () => {
    const items: SummaryItem[] = [
      { id: 'a', category: 'Outerwear', colours: [{ name: 'navy', hex: '#000080' }], brand: 'Acme', tags: [], wearCount: 12 },
      { id: 'b', category: 'Tops', colours: [], tags: [], wearCount: 3 },
    ];
    expect(summariseWardrobe(items, 10, new Set(['b']))).toBe(
      'Wardrobe (2 items; by category: outerwear 1, tops 1):\n- Acme navy Outerwear (outerwear; navy; Acme; worn 12x)\n- Tops (tops; worn 3x; SELECTED by the user)',
    );
    expect(summariseWardrobe([], 10)).toMatch(/not added any items/);
  });

  it('the offline answer proposes the most worn item per category and repeats the memory', () => {
    const items: SummaryItem[] = [
      { id: '1', category: 'tee', colours: [{ name: 'grey', hex: '#808080' }], tags: [], wearCount: 1 },
      { id: '2', category: 'tee', colours: [{ name: 'white', hex: '#ffffff' }], tags: [], wearCount: 9 },
      { id: '3', category: 'jeans', colours: [], brand: 'Levi', tags: [], wearCount: 2 },
    ];
    const answer = offlineChatAnswer({ message: 'what now?', memory: '- I prefer navy', items });
    expect(answer).toContain('white tee, Levi jeans');
    expect(answer).not.toContain('grey tee');
    expect(answer).toContain('I prefer navy');
  });
});

describe('addFactToSummary', () => {
  it('adds a fact as a last line, once, and never cuts the summary to make room', () => {
    expect(addFactToSummary('', 'I prefer navy.')).toBe('- I prefer navy');
    expect(addFactToSummary('Likes linen.', 'I am vegan')).toBe('Likes linen.\n- I am vegan');
    expect(addFactToSummary('- I prefer navy', '  i prefer NAVY ')).toBeUndefined();
    const full = 'x'.repeat(MEMORY_SUMMARY_MAX_CHARS - 5);
    expect(addFactToSummary(full, 'I prefer navy')).toBeUndefined();
  });
});
