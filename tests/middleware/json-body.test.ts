import { describe, expect, it } from '@jest/globals';
import { jsonDepth, parseJsonStrictly } from '../../middleware/json-body.ts';

describe('strict JSON parsing', () => {
  it('measures depth without counting brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(jsonDepth('"\\"[["')).toBe(0);
    expect(jsonDepth('[]')).toBe(1);
  });

  it('scans 10,000-deep input without recursion', () => {
    expect(jsonDepth('['.repeat(100_000) + ']'.repeat(100_000))).toBe(100_000);
    expect(() => parseJsonStrictly('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(/deeper than 32/);
  });

  it('keeps ordinary values', () => {
    expect(parseJsonStrictly('{"a":[1,"two",null,true],"b":{"c":"tab\\tnewline\\n"}}')).toEqual({
      a: [1, 'two', null, true],
      b: { c: 'tab\tnewline\n' },
    });
  });

  it('refuses prototype keys wherever they are', () => {
    for (const text of ['{"__proto__":1}', '[{"a":{"constructor":1}}]', '{"prototype":{}}']) {
      expect(() => parseJsonStrictly(text)).toThrow(expect.objectContaining({ code: 'forbidden_key', status: 400 }));
    }
  });
});
