/**
 * The diagnostics routes the conformance suite relies on are public, so whatever a client sends
 * must never produce a 5xx, reflect a credential or a cookie value, or exceed the caps.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import diagnostics from '../../handlers/diagnostics/index.ts';
import { INSPECT_LIMITS } from '../../handlers/diagnostics/schemas.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { testApp } from '../support/app.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

// The routes as every runtime binds them: their factories, wrapped in the standard stack.
const app = testApp({ services: [diagnostics], ports: { platform: testPlatform() } });
const inspect = await app.handler<HttpLambda>('diagnostics-inspect');
const binary = await app.handler<HttpLambda>('diagnostics-binary');
const SECRET = 'Bearer tok-3f9a1c-never-echoed';

describe('GET /api/diagnostics/inspect/{id}', () => {
  it('answers any id, query, headers and cookies without a 5xx, a credential or a cookie value, within its caps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ maxLength: 400 }), { maxKeys: 30 }),
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ minLength: 1, maxLength: 50 })), { maxLength: 30 }),
        fc.string({ maxLength: 300 }),
        async (id, query, cookies, accept) => {
          const event = {
            ...httpEvent({ method: 'GET', path: '/api/diagnostics/inspect/x', headers: { accept, authorization: SECRET, 'x-api-key': SECRET, cookie: 'ignored' } }),
            pathParameters: { id },
            queryStringParameters: query,
            cookies: cookies.map(([name, value]) => `${name}=secret-${value}`),
          };
          const result = await inspect(event, lambdaContext('diagnostics-inspect'));
          expect(result.statusCode).toBeLessThan(500);
          const body = result.body ?? '';
          expect(body).not.toContain('tok-3f9a1c');
          expect(body).not.toContain('secret-');
          if (result.statusCode !== 200) return expect(id.length).toBeGreaterThan(INSPECT_LIMITS.idLength);
          const report = JSON.parse(body) as { query: Record<string, string>; cookies: unknown[]; headers: Record<string, string[]> };
          expect(Object.keys(report.query).length).toBeLessThanOrEqual(INSPECT_LIMITS.entries);
          expect(report.cookies.length).toBeLessThanOrEqual(INSPECT_LIMITS.entries);
          expect(Object.keys(report.headers).sort()).toEqual(['accept']);
          for (const value of [...Object.values(report.query), ...report.headers.accept!]) expect(value.length).toBeLessThanOrEqual(INSPECT_LIMITS.valueLength);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('POST /api/diagnostics/binary', () => {
  it('echoes any bytes exactly, and refuses a body over 64 KiB with 413', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2048 }), async (bytes) => {
        const body = Buffer.from(bytes).toString('base64');
        const result = await binary(httpEvent({ method: 'POST', path: '/api/diagnostics/binary', body, isBase64Encoded: true, headers: { 'content-type': 'application/octet-stream' } }), lambdaContext('diagnostics-binary'));
        expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: true, body });
      }),
      { numRuns: 100 },
    );
    const large = Buffer.alloc(64 * 1024 + 1).toString('base64');
    const refused = await binary(httpEvent({ method: 'POST', path: '/api/diagnostics/binary', body: large, isBase64Encoded: true, headers: { 'content-type': 'application/octet-stream' } }), lambdaContext('diagnostics-binary'));
    expect(refused.statusCode).toBe(413);
  });
});
