import { describe, expect, it } from '@jest/globals';
import { defineFunction, type FunctionDef, type HttpTrigger } from '../../kernel/functions.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { jsonDepth, parseJsonStrictly } from '../../middleware/json-body.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

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

describe('an optional JSON body (request.optionalBody)', () => {
  const schema = { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } } as const;
  const def = (optionalBody: boolean) =>
    defineFunction({ name: `optional-${optionalBody}`, trigger: { kind: 'http', method: 'PATCH', route: 'things/{id}', auth: 'public', summary: 'A test route.', request: { body: schema, optionalBody }, responses: { 200: { description: 'ok' } } }, handler: 'handlers/x/y#z' }) as FunctionDef<HttpTrigger>;
  const run = async (optionalBody: boolean, body?: string) => {
    const handler = httpHandler(def(optionalBody), async (event) => json(200, { seen: event.json ?? 'nothing' }), testPlatform());
    const result = await handler(httpEvent({ method: 'PATCH', path: '/api/things/1', ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) }), lambdaContext());
    return [result.statusCode, JSON.parse(result.body ?? '{}')];
  };

  it('reaches the handler as undefined when left out, and is parsed and validated when sent', async () => {
    expect(await run(true)).toEqual([200, { seen: 'nothing' }]);
    expect(await run(true, '{"n":1}')).toEqual([200, { seen: { n: 1 } }]);
    expect(await run(true, '{"n":"x"}')).toEqual([400, expect.objectContaining({ code: 'validation_failed' })]);
    expect(await run(true, '{nope')).toEqual([400, expect.objectContaining({ code: 'malformed_json' })]);
  });

  it('is still required where the route does not say optional', async () => {
    // No body is not JSON: refused before any handler runs.
    expect(await run(false)).toEqual([415, expect.objectContaining({ code: 'unsupported_media_type' })]);
  });
});
