import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { defineFunction, type HttpTrigger } from '../../kernel/functions.ts';
import { AppError } from '../../domain/errors.ts';
import { echo as echoRoute } from '../../handlers/diagnostics/diagnostics.routes.ts';
import { echo as echoFunction } from '../../handlers/diagnostics/functions.ts';
import { preflight as preflightRoute } from '../../handlers/system/platform.routes.ts';
import { preflight as preflightFunction } from '../../handlers/system/functions.ts';
import { httpHandler, json, type HttpPlatform, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

const ORIGIN = 'https://app.example.com';
const now = () => new Date('2026-11-22T10:00:00Z');

/** The route factories in the standard stack from their definitions, as bind wires them. */
function echo(platform = testPlatform()) {
  return { platform, handler: httpHandler(echoFunction, echoRoute({ clock: { now } }), platform) };
}

const createPreflight = ({ platform }: { platform: HttpPlatform }) => httpHandler(preflightFunction, preflightRoute(), platform);

async function post(body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }, extra = {}) {
  const { handler, platform } = echo();
  const result = await handler(
    httpEvent({ method: 'POST', path: '/api/diagnostics/echo', headers, ...(body !== undefined ? { body } : {}), ...extra }),
    lambdaContext('diagnostics-echo'),
  );
  return { result, platform, problem: parse(result) };
}

function parse(result: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
}

function expectProblem(result: APIGatewayProxyStructuredResultV2, status: number, code: string) {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  const problem = parse(result);
  expect(problem).toMatchObject({ status, code, type: `urn:portico:problem:${code}` });
  expect(problem.requestId).toBe(result.headers?.['x-request-id']);
  expect(result.body).not.toMatch(/\bat .+:\d+:\d+|stack/i);
  return problem;
}

function nested(depth: number): string {
  return '{"message":"x","tags":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
}

describe('the standard HTTP stack on a real route (diagnostics-echo)', () => {
  it('answers a valid request with the validated body', async () => {
    const { result } = await post('{"message":"hello","tags":["a","b"]}');
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toEqual({ message: 'hello', tags: ['a', 'b'], requestId: result.headers?.['x-request-id'], receivedAt: '2026-11-22T10:00:00.000Z' });
  });

  describe('refuses bad input with a 4xx problem, never a 5xx', () => {
    it('malformed JSON -> 400 malformed_json', async () => {
      expectProblem((await post('{"message": "hi",')).result, 400, 'malformed_json');
    });
    it('a wrong content type -> 415', async () => {
      expectProblem((await post('{"message":"hi"}', { 'content-type': 'text/plain' })).result, 415, 'unsupported_media_type');
    });
    it('no content type -> 415', async () => {
      expectProblem((await post('{"message":"hi"}', {})).result, 415, 'unsupported_media_type');
    });
    it('an oversize body -> 413', async () => {
      const big = JSON.stringify({ message: 'x'.repeat(70 * 1024) });
      expectProblem((await post(big)).result, 413, 'body_too_large');
    });
    it('an oversize declared content-length -> 413 before reading', async () => {
      expectProblem((await post('{"message":"hi"}', { 'content-type': 'application/json', 'content-length': '999999999' })).result, 413, 'body_too_large');
    });
    it('10,000-deep nesting -> 400 too_deep', async () => {
      expectProblem((await post(nested(10_000))).result, 400, 'too_deep');
    });
    it('nesting just past the limit (33) is refused, at the limit it reaches validation', async () => {
      expectProblem((await post(nested(32))).result, 400, 'too_deep');
      expectProblem((await post(nested(31))).result, 400, 'validation_failed');
    });
    it('__proto__ and constructor keys -> 400 forbidden_key', async () => {
      expectProblem((await post('{"message":"x","__proto__":{"admin":true}}')).result, 400, 'forbidden_key');
      expectProblem((await post('{"message":"x","tags":[{"constructor":{"prototype":1}}]}')).result, 400, 'forbidden_key');
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });
    it('a missing field -> 400 naming it', async () => {
      const problem = expectProblem((await post('{"tags":[]}')).result, 400, 'validation_failed');
      expect(problem.errors).toEqual([{ pointer: '/body/message', detail: "must have required property 'message'" }]);
    });
    it('an extra field -> 400 naming it', async () => {
      const problem = expectProblem((await post('{"message":"x","role":"admin"}')).result, 400, 'validation_failed');
      expect(problem.errors).toEqual([{ pointer: '/body/role', detail: 'is not an allowed field' }]);
    });
    it('every failing field is named at once', async () => {
      const problem = expectProblem((await post('{"message":"","tags":[1],"x":1}')).result, 400, 'validation_failed');
      expect((problem.errors as { pointer: string }[]).map((error) => error.pointer).sort()).toEqual(['/body/message', '/body/tags/0', '/body/x']);
    });
    it('escaped control characters -> 400 control_characters; raw ones are malformed JSON', async () => {
      expectProblem((await post('{"message":"a\\u0000b"}')).result, 400, 'control_characters');
      expectProblem((await post('{"message":"a\u0007b"}')).result, 400, 'malformed_json');
    });
    it('an empty body -> 400 body_required', async () => {
      expectProblem((await post(undefined)).result, 400, 'body_required');
      expectProblem((await post('   ')).result, 400, 'body_required');
    });
    it('a base64 body that is not UTF-8 -> 400', async () => {
      const body = Buffer.from([0xff, 0xfe, 0x00]).toString('base64');
      expectProblem((await post(body, { 'content-type': 'application/json' }, { isBase64Encoded: true })).result, 400, 'malformed_json');
    });
    it('a base64 JSON body is decoded and accepted', async () => {
      const body = Buffer.from('{"message":"héllo"}').toString('base64');
      const { result } = await post(body, { 'content-type': 'application/json; charset=utf-8' }, { isBase64Encoded: true });
      expect(parse(result).message).toBe('héllo');
    });
    it('JSON that is not an object -> 400 validation_failed', async () => {
      for (const body of ['null', '[]', '"x"', '42']) expectProblem((await post(body)).result, 400, 'validation_failed');
    });
  });

  describe('CORS', () => {
    it('an allowed origin gets exactly its origin back, with Vary: Origin', async () => {
      const { result } = await post('{"message":"x"}', { 'content-type': 'application/json', origin: ORIGIN });
      expect(result.headers?.['access-control-allow-origin']).toBe(ORIGIN);
      expect(result.headers?.['access-control-allow-credentials']).toBe('true');
      expect(result.headers?.vary).toBe('Origin');
    });
    it('an origin that is not allowed gets no CORS headers at all', async () => {
      for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.com', 'null', 'HTTPS://APP.EXAMPLE.COM']) {
        const { result } = await post('{"message":"x"}', { 'content-type': 'application/json', origin });
        expect(Object.keys(result.headers ?? {}).filter((name) => name.startsWith('access-control-'))).toEqual([]);
        expect(result.headers?.vary).toBe('Origin');
      }
    });
    it('error responses carry CORS headers too', async () => {
      const { result } = await post('{bad', { 'content-type': 'application/json', origin: ORIGIN });
      expect(result.statusCode).toBe(400);
      expect(result.headers?.['access-control-allow-origin']).toBe(ORIGIN);
    });
    it('a preflight from an allowed origin is answered with methods, headers and max-age', async () => {
      const handler = createPreflight({ platform: testPlatform() });
      const result = (await handler(
        httpEvent({
          method: 'OPTIONS',
          path: '/api/diagnostics/echo',
          headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
        }),
        lambdaContext(),
      )) as APIGatewayProxyStructuredResultV2;
      expect(result.statusCode).toBe(204);
      expect(result.headers).toMatchObject({
        'access-control-allow-origin': ORIGIN,
        'access-control-allow-methods': expect.stringContaining('POST'),
        'access-control-allow-headers': 'content-type, authorization',
        'access-control-max-age': '600',
      });
    });
    it('a preflight from another origin gets no CORS headers', async () => {
      const handler = createPreflight({ platform: testPlatform() });
      const result = (await handler(
        httpEvent({ method: 'OPTIONS', path: '/api/x', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } }),
        lambdaContext(),
      )) as APIGatewayProxyStructuredResultV2;
      expect(Object.keys(result.headers ?? {}).some((name) => name.startsWith('access-control-'))).toBe(false);
    });
  });

  it('sets security headers on successes and on errors', async () => {
    for (const body of ['{"message":"x"}', '{bad']) {
      const { result } = await post(body);
      expect(result.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    }
  });
});

describe('errors, auth, telemetry and limits', () => {
  const route = (auth: HttpTrigger['auth'], extra: Partial<HttpTrigger> = {}) =>
    defineFunction({
      name: 'test-route',
      trigger: { kind: 'http', method: 'POST', route: 'test', auth, summary: 'test', responses: {}, ...extra },
      load: async () => ({ handler: async () => ({ statusCode: 200 }) }),
    });
  const call = async (handler: PorticoHttpHandler, auth: HttpTrigger['auth'] = 'public', init = {}, platform = testPlatform()) => {
    const wrapped = httpHandler(route(auth, { request: { body: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } } }), handler, platform);
    const result = await wrapped(httpEvent({ method: 'POST', path: '/api/test', headers: { 'content-type': 'application/json' }, body: '{"a":"x"}', ...init }), lambdaContext('test-route', 2000));
    return { result, platform };
  };

  it('an unexpected error is a 500 that reveals nothing, and its log has no stack or secret', async () => {
    const { result, platform } = await call(async () => {
      throw new Error('connect failed: AccountKey=c2VjcmV0c2VjcmV0 password=hunter2');
    });
    const problem = expectProblem(result, 500, 'internal_error');
    expect(problem.detail).toBe('An unexpected error occurred.');
    expect(result.body).not.toMatch(/AccountKey|hunter2|connect failed/);
    const logs = platform.lines.join('\n');
    expect(logs).toContain('connect failed');
    expect(logs).not.toMatch(/c2VjcmV0c2VjcmV0|hunter2|\.ts:\d+|"stack"/);
  });

  it('an AppError keeps its status, code and headers', async () => {
    const { result } = await call(async () => {
      throw new AppError(409, 'already_exists', 'That name is taken.', { headers: { 'retry-after': '3' } });
    });
    expectProblem(result, 409, 'already_exists');
    expect(result.headers?.['retry-after']).toBe('3');
  });

  it('every non-public class answers 401 until an identity provider is configured', async () => {
    for (const auth of ['user', 'admin', 'apiKey'] as const) {
      const { result } = await call(async () => json(200, { reached: true }), auth);
      expectProblem(result, 401, 'unauthorized');
      expect(result.headers?.['www-authenticate']).toBe('Bearer');
    }
  });

  it('a configured authenticator admits the caller and exposes the principal', async () => {
    const principal = { userId: 'u1', qualifiedId: 'portico|u1', issuer: 'portico', via: 'token' as const, roles: ['user'], isAdmin: false };
    let accepted: readonly string[] = [];
    const platform = testPlatform({
      authenticate: async (_event, classes) => {
        accepted = classes;
        return principal;
      },
    });
    const { result } = await call(async (_event, context) => json(200, context.principal), 'user', {}, platform);
    expect(parse(result)).toEqual(principal);
    expect(accepted).toEqual(['user']);
    await call(async () => json(200, {}), ['apiKey', 'user'], {}, platform);
    expect(accepted).toEqual(['apiKey', 'user']);
  });

  it('validation runs before auth, so bad input is a 400 even without credentials', async () => {
    const { result } = await call(async () => json(200, {}), 'user', { body: '{"a":1}' });
    expectProblem(result, 400, 'validation_failed');
  });

  it('logs one summary line with ids, method, route, status and duration, and never the body', async () => {
    const { platform, result } = await call(async () => json(201, { ok: true }), 'public', {
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-123',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      },
      body: '{"a":"my-private-text"}',
    });
    expect(result.headers?.['x-request-id']).toBe('req-123');
    const summary = platform.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'request completed');
    expect(summary).toMatchObject({
      requestId: 'req-123',
      correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
      method: 'POST',
      route: 'POST /api/test',
      status: 201,
      durationMs: expect.any(Number),
    });
    expect(platform.lines.join('\n')).not.toMatch(/my-private-text|eyJhbGci/);
  });

  it('ignores caller request ids that are not safe ids', async () => {
    const { result } = await call(async () => json(200, {}), 'public', {
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id\nforged: yes' },
    });
    expect(result.headers?.['x-request-id']).not.toContain('forged');
    expect(result.headers?.['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("middy's timeout turns a handler that outlives the deadline into a 503 problem", async () => {
    const { result } = await call(() => new Promise((resolve) => setTimeout(() => resolve(json(200, {})), 5000).unref()));
    expectProblem(result, 503, 'timeout');
  });
});
