/**
 * Why Portico keeps its own CORS and JSON body middlewares instead of @middy/http-cors and
 * @middy/http-json-body-parser (the README's "Which middy packages"): each test runs the middy
 * package and ours on the same request, each behind its own error renderer (middy's
 * http-error-handler, our problemErrors), and shows the difference. If a middy release closes a
 * gap, its test fails and the README should say so.
 */
import { describe, expect, it } from '@jest/globals';
import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { PorticoHttpEvent } from '../../middleware/context.ts';
import { cors } from '../../middleware/cors.ts';
import { jsonBody } from '../../middleware/json-body.ts';
import { problemErrors } from '../../middleware/problem-errors.ts';
import { captureLogger, httpEvent, lambdaContext, type EventInit } from '../support/platform.ts';

type Middleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example';

interface Answer {
  status: number;
  /** Header names lower-cased (middy writes `Access-Control-Allow-Origin`, we write lower case). */
  headers: Record<string, string>;
  /** The body the handler received, when it was reached. */
  received?: unknown;
  /** Our problem's code, when it refused. */
  code?: string;
}

/** Runs `middleware` around a handler that records the parsed body, behind `errors`, on one event. */
async function run(errors: Middleware, middleware: Middleware, init: EventInit): Promise<Answer> {
  let received: unknown;
  const handler = middy(async (event: APIGatewayProxyEventV2) => {
    received = (event as PorticoHttpEvent).json ?? event.body;
    return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
  })
    .use(errors)
    .use(middleware);
  const result = (await handler(httpEvent(init), lambdaContext('comparison'))) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const status = result.statusCode ?? 200;
  const code = headers['content-type'] === 'application/problem+json' ? (JSON.parse(result.body ?? '{}') as { code?: string }).code : undefined;
  return { status, headers, ...(status === 200 ? { received } : {}), ...(code ? { code } : {}) };
}

const middyErrors = () => httpErrorHandler({ logger: false }) as Middleware;
const middyJson = (init: EventInit) => run(middyErrors(), httpJsonBodyParser() as Middleware, init);
const ourJson = (init: EventInit) => run(problemErrors() as Middleware, jsonBody(true), init);
const corsHeaders = (answer: Answer) => Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

describe('CORS: @middy/http-cors against middleware/cors.ts', () => {
  const request = (origin?: string): EventInit => ({ method: 'GET', path: '/api/x', headers: origin ? { origin } : {} });
  const ours = (origin?: string) => run(problemErrors() as Middleware, cors([ALLOWED]), request(origin));

  it('an unlisted origin: middy configured with one origin answers with it anyway (a fallback origin); ours sends no CORS header', async () => {
    const middyAnswer = await run(middyErrors(), httpCors({ origin: ALLOWED, credentials: true }) as Middleware, request(EVIL));
    expect(corsHeaders(middyAnswer)).toMatchObject({ 'access-control-allow-origin': ALLOWED, 'access-control-allow-credentials': 'true' });
    expect(corsHeaders(await ours(EVIL))).toEqual({ vary: 'Origin' });
  });

  it('Vary: Origin: middy\'s allowlist leaves it off the answers to an unlisted origin and to no origin, so a shared cache may hand them to an allowed one; ours always sends it', async () => {
    const middyCors = () => httpCors({ origins: [ALLOWED], credentials: true }) as Middleware;
    for (const origin of [EVIL, undefined]) {
      const middyAnswer = await run(middyErrors(), middyCors(), request(origin));
      expect([origin, middyAnswer.headers.vary]).toEqual([origin, undefined]);
      expect([origin, (await ours(origin)).headers.vary]).toEqual([origin, 'Origin']);
    }
    // Both agree on the listed origin: reflected, with credentials and Vary.
    expect(corsHeaders(await run(middyErrors(), middyCors(), request(ALLOWED)))).toMatchObject({ 'access-control-allow-origin': ALLOWED, vary: 'Origin' });
    expect(corsHeaders(await ours(ALLOWED))).toMatchObject({ 'access-control-allow-origin': ALLOWED, vary: 'Origin' });
  });
});

describe('JSON bodies: @middy/http-json-body-parser against middleware/json-body.ts', () => {
  const post = (body: string | undefined, extra: Partial<EventInit> = {}): EventInit => ({
    method: 'POST',
    path: '/api/x',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body } : {}),
    ...extra,
  });

  it('malformed JSON and a missing body are the client\'s bad request: middy answers 422, ours 400 with a code', async () => {
    for (const [body, code] of [['{"message": "hi",', 'malformed_json'], [undefined, 'body_required']] as const) {
      expect((await middyJson(post(body))).status).toBe(422);
      expect(await ourJson(post(body))).toMatchObject({ status: 400, code });
    }
  });

  it('depth: middy parses 1,000-deep nesting and hands it to the handler; ours refuses past 32 levels before parsing', async () => {
    const deep = `{"a":${'['.repeat(1000)}${']'.repeat(1000)}}`;
    const middyAnswer = await middyJson(post(deep));
    expect(middyAnswer.status).toBe(200);
    expect(middyAnswer.received).toHaveProperty('a');
    expect(await ourJson(post(deep))).toMatchObject({ status: 400, code: 'too_deep' });
  });

  it('keys: middy passes `constructor` and `prototype` keys that are not a prototype pair; ours refuses them', async () => {
    for (const body of ['{"constructor":{"name":"Object"}}', '{"prototype":{"polluted":true}}']) {
      const middyAnswer = await middyJson(post(body));
      expect([body, middyAnswer.status]).toEqual([body, 200]);
      expect(middyAnswer.received).toEqual(JSON.parse(body));
      expect(await ourJson(post(body))).toMatchObject({ status: 400, code: 'forbidden_key' });
    }
    // `__proto__` both refuse, with middy's 422 against our 400.
    expect((await middyJson(post('{"__proto__":{"admin":true}}'))).status).toBe(422);
    expect(await ourJson(post('{"__proto__":{"admin":true}}'))).toMatchObject({ status: 400, code: 'forbidden_key' });
  });

  it('control characters hidden in strings: middy hands them on; ours refuses them', async () => {
    const body = '{"message":"pay\\u0000ee\\u001b[2K"}';
    expect(await middyJson(post(body))).toMatchObject({ status: 200, received: { message: 'pay\u0000ee\u001b[2K' } });
    expect(await ourJson(post(body))).toMatchObject({ status: 400, code: 'control_characters' });
  });

  it('invalid UTF-8: middy decodes it with U+FFFD in place of the bad bytes and hands it on; ours refuses it', async () => {
    const bytes = Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const init = post(bytes.toString('base64'), { isBase64Encoded: true });
    expect(await middyJson(init)).toMatchObject({ status: 200, received: { message: '\ufffd(\ufffd' } });
    expect(await ourJson(init)).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('agree on a valid body and on a wrong content type (415)', async () => {
    expect(await middyJson(post('{"message":"hi"}'))).toMatchObject({ status: 200, received: { message: 'hi' } });
    expect(await ourJson(post('{"message":"hi"}'))).toMatchObject({ status: 200, received: { message: 'hi' } });
    const text = post('{"message":"hi"}', { headers: { 'content-type': 'text/plain' } });
    expect((await middyJson(text)).status).toBe(415);
    expect(await ourJson(text)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });
});

describe('errors: @middy/http-error-handler against middleware/problem-errors.ts', () => {
  const secretBody = '{"password":"hunter2-secret",';

  it('middy answers text/plain and hands its logger (console.error by default) the error, whose cause holds the request body; ours answers a problem and logs no part of the body', async () => {
    const printed: unknown[] = [];
    const middyErrorsLogged = httpErrorHandler({ logger: (error: unknown) => void printed.push(error) }) as Middleware;
    const middyAnswer = await run(middyErrorsLogged, httpJsonBodyParser() as Middleware, { method: 'POST', path: '/api/x', headers: { 'content-type': 'application/json' }, body: secretBody });
    expect([middyAnswer.status, middyAnswer.headers['content-type']]).toEqual([422, 'text/plain']);
    expect(printed).toHaveLength(1);
    expect((printed[0] as { cause?: { data?: unknown } }).cause?.data).toBe(secretBody);

    const { logger, lines } = captureLogger();
    const handler = middy(async () => ({ statusCode: 200, body: 'ok' }))
      .use(problemErrors() as Middleware)
      .use(jsonBody(true));
    const context = Object.assign(lambdaContext('comparison'), { log: logger, requestId: 'req-1' });
    const result = (await handler(httpEvent({ method: 'POST', path: '/api/x', headers: { 'content-type': 'application/json' }, body: secretBody }), context)) as APIGatewayProxyStructuredResultV2;
    expect([result.statusCode, result.headers?.['content-type']]).toEqual([400, 'application/problem+json']);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ code: 'malformed_json', requestId: 'req-1' });
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
