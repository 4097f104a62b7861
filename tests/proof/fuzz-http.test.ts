/**
 * Property: whatever a client sends to a validated route — any JSON, any bytes, any headers —
 * the answer is never a 5xx, every error is problem+json, and only valid input reaches the handler.
 */
import { describe, expect, it } from '@jest/globals';
import azf from '@azure/functions';
import fc from 'fast-check';
import { defineFunction, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { azureHttpHandler } from '../../adapters/azure/http.ts';
import { echoRequest } from '../../handlers/diagnostics/schemas.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const def: FunctionDef<HttpTrigger> = defineFunction({
  name: 'fuzz-echo',
  trigger: { kind: 'http', method: 'POST', route: 'diagnostics/echo', auth: 'public', summary: 'fuzz', request: { body: echoRequest }, responses: {} },
  load: async () => ({ handler: handler }),
});

// The handler records what reached it, so the property can check validation let nothing else through.
const reached: unknown[] = [];
const handler: HttpLambda = httpHandler(
  def,
  async (event) => {
    reached.push(event.json);
    return json(200, { ok: true });
  },
  testPlatform({ maxBodyBytes: 4096 }),
);

const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/problem+json', '', 'application/x-www-form-urlencoded', 'APPLICATION/JSON');
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((name) => !['content-type', 'content-length'].includes(name));
const headers = fc.dictionary(headerName, fc.string({ maxLength: 40 }).map((value) => value.replace(/[\r\n\0]/g, ' ')), { maxKeys: 6 });
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value)),
  fc.record({ message: fc.string(), tags: fc.array(fc.string(), { maxLength: 4 }) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc.dictionary(fc.constantFrom('message', 'tags', '__proto__', 'constructor', 'x'), fc.jsonValue({ maxDepth: 3 })).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.integer({ min: 1, max: 60 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
);

function isValid(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { message, tags, ...rest } = value as { message?: unknown; tags?: unknown };
  return Object.keys(rest).length === 0 && typeof message === 'string' && message.length >= 1 && (tags === undefined || Array.isArray(tags));
}

describe('fuzzing the validated route', () => {
  it(`never answers 5xx to random JSON, bytes and headers (${RUNS} runs, direct Lambda call)`, async () => {
    await fc.assert(
      fc.asyncProperty(body, contentTypes, headers, fc.boolean(), async (text, contentType, extra, base64) => {
        reached.length = 0;
        const result = await handler(
          httpEvent({
            method: 'POST',
            path: '/api/diagnostics/echo',
            headers: { ...extra, ...(contentType ? { 'content-type': contentType } : {}) },
            body: base64 ? Buffer.from(text).toString('base64') : text,
            isBase64Encoded: base64,
          }),
          lambdaContext(),
        );
        const status = result.statusCode ?? 0;
        expect(status).toBeLessThan(500);
        if (status >= 400) {
          expect(result.headers?.['content-type']).toBe('application/problem+json');
          expect(reached).toEqual([]);
        } else {
          expect(reached).toHaveLength(1);
          expect(isValid(reached[0])).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`never answers 5xx through the Azure adapter either (${Math.ceil(RUNS / 4)} runs)`, async () => {
    const azure = azureHttpHandler(def, async () => handler);
    await fc.assert(
      fc.asyncProperty(fc.oneof(body.map((text) => Buffer.from(text)), fc.uint8Array({ maxLength: 300 }).map(Buffer.from)), contentTypes, headers, async (bytes, contentType, extra) => {
        const response = await azure(
          new azf.HttpRequest({
            method: 'POST',
            url: 'https://portico.example.com/api/diagnostics/echo',
            headers: { ...extra, ...(contentType ? { 'content-type': contentType } : {}) },
            body: { bytes },
          }),
          new azf.InvocationContext({ invocationId: 'fuzz', functionName: def.name }),
        );
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});
