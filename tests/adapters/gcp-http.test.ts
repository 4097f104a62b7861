/**
 * The Google Cloud HTTP adapter (adapters/gcp/http.ts) through the real Functions Framework: its
 * own Express server and body parsers, over real HTTP. What the conformance suite does not cover:
 * addresses, requestContext, bodies the framework parses (or cannot) before the function runs,
 * the deadline, streaming and client aborts, failures outside the middleware, per-function routing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as functionsFramework from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { answerFrameworkErrorsWith } from '../../adapters/gcp/framework-errors.ts';
import { gcpHttpFunction } from '../../adapters/gcp/http.ts';
import { gcpTimeoutSeconds } from '../../adapters/gcp/names.ts';
import { bindInline } from '../../adapters/local/invoke.ts';
import { defineFunction, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { sseResponse } from '../../middleware/sse.ts';
import { captureLogger, testPlatform } from '../support/platform.ts';

const PINO_INFO = 30;
const PINO_ERROR = 50;

/** What the echo function was last given. */
let seen: { event: APIGatewayProxyEventV2; context: Context } | undefined;
const echoHandler: HttpLambda = async (event, context) => {
  seen = { event, context };
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
};
const echo: FunctionDef<HttpTrigger> = defineFunction({
  name: 'fixture-echo',
  trigger: { kind: 'http', method: 'POST', route: 'echo/{name}', auth: 'public', summary: 'test', responses: {} },
  load: async () => ({ handler: echoHandler }),
});

// A JSON route through Portico's own middleware stack, so unparsable bodies meet Portico's parser.
const parsed: FunctionDef<HttpTrigger> = defineFunction({
  name: 'fixture-parsed',
  trigger: {
    kind: 'http',
    method: 'POST',
    route: 'parsed',
    auth: 'public',
    summary: 'test',
    request: { body: { type: 'object' } },
    responses: {},
  },
  load: async () => ({ handler: parsedHandler }),
});
let parsedRuns = 0;
const parsedHandler: HttpLambda = httpHandler(
  parsed,
  async (event) => {
    parsedRuns++;
    return json(200, { got: event.json });
  },
  testPlatform(),
);

// A stream that sends one event, then waits for the test (or the client leaving) before the next.
let releaseSecond: () => void = () => {};
let producerStopped: Promise<string> = Promise.resolve('');
const stream: FunctionDef<HttpTrigger> = defineFunction({
  name: 'fixture-stream',
  trigger: { kind: 'http', method: 'GET', route: 'stream', auth: 'public', stream: true, summary: 'test', responses: {} },
  load: async () => ({ handler: streamHandler }),
});
/** Portico's log, shared by the adapter and the stream's middleware stack. */
const { logger, records } = captureLogger();

/** Resolves once a log record passes `match`, polling the captured lines (no fixed sleep). */
async function logged(match: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    const found = records().find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Through Portico's middleware stack, whose telemetry logs how a stream ended.
const streamHandler: HttpLambda = httpHandler(stream, async () => {
  let stopped: (how: string) => void = () => {};
  producerStopped = new Promise((resolve) => (stopped = resolve));
  const second = new Promise<void>((resolve) => (releaseSecond = resolve));
  return sseResponse(
    async function* (signal) {
      try {
        yield { event: 'token', data: 'first' };
        const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        await Promise.race([second, aborted]);
        if (signal.aborted) return;
        yield { event: 'token', data: 'second' };
      } finally {
        stopped(signal.aborted ? 'aborted' : 'finished');
      }
    },
    { heartbeatMs: 60_000 },
  );
}, { ...testPlatform(), logger });

// A handler with no middleware that throws: only the adapter stands between it and the framework.
const crash: FunctionDef<HttpTrigger> = defineFunction({
  name: 'fixture-crash',
  trigger: { kind: 'http', method: 'GET', route: 'crash', auth: 'public', summary: 'test', responses: {} },
  load: async () => ({
    handler: (async () => {
      throw new Error('secret detail from deep inside');
    }) as HttpLambda,
  }),
});

// A result Node cannot write: a header value with a line break.
const unwritable: FunctionDef<HttpTrigger> = defineFunction({
  name: 'fixture-unwritable',
  trigger: { kind: 'http', method: 'GET', route: 'unwritable', auth: 'public', summary: 'test', responses: {} },
  load: async () => ({
    handler: (async () => ({ statusCode: 200, headers: { 'x-fine': 'yes', 'x-broken': 'a\r\nset-cookie: injected=1' }, body: 'never sent' })) as HttpLambda,
  }),
});

const table = [echo, parsed, stream, crash, unwritable];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the Functions Framework serving the table through the GCP adapter', () => {
  const servers: Server[] = [];
  let tableUrl = '';
  let echoOnlyUrl = '';
  const env = process.env.NODE_ENV;

  beforeAll(async () => {
    // Not "test": Express logs errors, and the framework echoes messages, everywhere but under "test".
    process.env.NODE_ENV = 'development';
    const whole = gcpHttpFunction(table, { handlerOf: bindInline as never, logger });
    functionsFramework.http('gcp-test-table', whole);
    functionsFramework.http('gcp-test-echo', gcpHttpFunction([echo], { handlerOf: bindInline as never, logger }));
    answerFrameworkErrorsWith(whole);
    const tableServer = getTestServer('gcp-test-table');
    const echoServer = getTestServer('gcp-test-echo');
    servers.push(tableServer, echoServer);
    tableUrl = await listen(tableServer);
    echoOnlyUrl = await listen(echoServer);
  });
  afterAll(async () => {
    process.env.NODE_ENV = env;
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  });
  afterEach(() => {
    seen = undefined;
    jest.restoreAllMocks();
  });

  describe('request -> API Gateway v2 event', () => {
    it('takes sourceIp from the right-most X-Forwarded-For entry (Google appends the caller)', async () => {
      await send(tableUrl, 'POST', '/api/echo/a', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
      expect(seen!.event.requestContext.http.sourceIp).toBe('203.0.113.9');
    });

    it('takes sourceIp from the socket peer when there is no X-Forwarded-For', async () => {
      await send(tableUrl, 'POST', '/api/echo/a');
      expect(seen!.event.requestContext.http.sourceIp).toBe('127.0.0.1');
    });

    it('fills requestContext, with the framework execution id as the request id', async () => {
      const answer = await send(tableUrl, 'POST', '/api/echo/a%20b', {
        host: 'portico.example.com',
        'user-agent': 'ua/1',
        'function-execution-id': 'exec-42',
      });
      expect(answer.status).toBe(200);
      const { event, context } = seen!;
      expect(event.version).toBe('2.0');
      expect(event.routeKey).toBe('POST /api/echo/{name}');
      expect(event.rawPath).toBe('/api/echo/a%20b');
      expect(event.pathParameters).toEqual({ name: 'a b' });
      expect(event.requestContext).toMatchObject({
        accountId: 'gcp',
        domainName: 'portico.example.com',
        domainPrefix: 'portico',
        requestId: 'exec-42',
        routeKey: 'POST /api/echo/{name}',
        stage: '$default',
        http: { method: 'POST', path: '/api/echo/a%20b', protocol: 'HTTP/1.1', userAgent: 'ua/1' },
      });
      expect(typeof event.requestContext.timeEpoch).toBe('number');
      expect(context.awsRequestId).toBe('exec-42');
      expect(context.functionName).toBe('fixture-echo');
    });

    it('keeps the raw query string exactly, repeated keys joined in the parameters', async () => {
      await send(tableUrl, 'POST', '/api/echo/a?tag=a&tag=b&q=x%20y&empty=&enc=%2F%3D');
      expect(seen!.event.rawQueryString).toBe('tag=a&tag=b&q=x%20y&empty=&enc=%2F%3D');
      expect(seen!.event.queryStringParameters).toEqual({ tag: 'a,b', q: 'x y', empty: '', enc: '/=' });
    });

    it('still delivers a body sent with no content type (no parser takes it; it is read from the stream)', async () => {
      const bytes = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x41]);
      await send(tableUrl, 'POST', '/api/echo/a', {}, bytes);
      expect(seen!.event.headers['content-type']).toBeUndefined();
      expect(seen!.event.isBase64Encoded).toBe(true);
      expect(Buffer.from(seen!.event.body!, 'base64')).toEqual(bytes);
    });

    it('delivers a text/plain body byte-identical, though the framework parsed it first', async () => {
      const text = '  line one\r\nline "two"\t é ✓  \n\n';
      await send(tableUrl, 'POST', '/api/echo/a', { 'content-type': 'text/plain; charset=utf-8' }, text);
      expect(seen!.event).toMatchObject({ body: text, isBase64Encoded: false });
    });

    it('delivers a form body byte-identical, not re-encoded from the parsed fields', async () => {
      const form = 'b=2&a=1&a=%20x+y&empty=&z=%C3%A9';
      await send(tableUrl, 'POST', '/api/echo/a', { 'content-type': 'application/x-www-form-urlencoded' }, form);
      expect(seen!.event).toMatchObject({ body: form, isBase64Encoded: false });
    });

    it('delivers a JSON body byte-identical, spacing and key order kept', async () => {
      const body = '{ "b": 2,\n  "a": [1,  2] }';
      await send(tableUrl, 'POST', '/api/echo/a', { 'content-type': 'application/json' }, body);
      expect(seen!.event).toMatchObject({ body, isBase64Encoded: false });
    });

    it('a gzip body: the framework inflates it, so the handler gets the plain bytes and no content-encoding claiming otherwise', async () => {
      const body = '{"compressed":true}';
      await send(tableUrl, 'POST', '/api/echo/a', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(body));
      expect(seen!.event).toMatchObject({ body, isBase64Encoded: false });
      expect(seen!.event.headers['content-encoding']).toBeUndefined();
      expect(seen!.event.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    });

    it('counts the deadline down from the function timeout on Google Cloud', async () => {
      const at = Date.parse('2026-12-06T12:00:00Z');
      const remaining: number[] = [];
      const clock = jest.spyOn(Date, 'now').mockReturnValue(at);
      await send(tableUrl, 'POST', '/api/echo/a');
      remaining.push(seen!.context.getRemainingTimeInMillis());
      clock.mockReturnValue(at + 1_500);
      remaining.push(seen!.context.getRemainingTimeInMillis());
      clock.mockReturnValue(at + 10_000_000);
      remaining.push(seen!.context.getRemainingTimeInMillis());
      const timeout = gcpTimeoutSeconds(echo) * 1000;
      expect(timeout).toBeGreaterThan(0);
      expect(remaining).toEqual([timeout, timeout - 1_500, 0]);
    });
  });

  describe('bodies the framework cannot parse are answered by Portico, not Express', () => {
    // The framework refuses both before the function runs (400, and 415 for any charset not UTF-*),
    // with an HTML page and the error, body included, on stderr. Portico's parser decides instead.
    it.each([
      ['malformed JSON', 'application/json', Buffer.from('{"a": 1,'), 'malformed_json'],
      ['a latin1 body that is not UTF-8', 'application/json; charset=latin1', Buffer.from('{"a":"caf\xe9"}', 'latin1'), 'malformed_json'],
    ])('%s: a problem+json with the request id, nothing from Express, nothing logged with the body', async (_name, type, body, code) => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
      const runs = parsedRuns;
      const answer = await send(tableUrl, 'POST', '/api/parsed', { 'content-type': type, 'function-execution-id': 'exec-bad' }, body);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      const problem = JSON.parse(answer.body.toString()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 400, code, requestId: 'exec-bad', instance: '/api/parsed' });
      expect(answer.body.toString()).not.toMatch(/<html|<pre|<!DOCTYPE|\bat .+:\d+:\d+/i);
      expect(parsedRuns).toBe(runs);
      expect(errors).not.toHaveBeenCalled();
    });

    it('a latin1 charset on a body that is valid UTF-8 is accepted, as on every other host (the framework alone would answer 415)', async () => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
      const answer = await send(tableUrl, 'POST', '/api/parsed', { 'content-type': 'application/json; charset=latin1' }, '{"a":1}');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body.toString())).toEqual({ got: { a: 1 } });
      expect(errors).not.toHaveBeenCalled();
    });

    it('a well-formed JSON body still reaches the handler parsed once, by Portico', async () => {
      const answer = await send(tableUrl, 'POST', '/api/parsed', { 'content-type': 'application/json' }, '{"a":1}');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body.toString())).toEqual({ got: { a: 1 } });
    });
  });

  describe('Server-Sent Events through the framework response', () => {
    function open(path: string): Promise<{ req: ReturnType<typeof httpRequest>; res: IncomingMessage }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(new URL(path, tableUrl), { agent: false });
        req.once('response', (res) => resolve({ req, res })).once('error', reject).end();
      });
    }
    const readUntil = (res: IncomingMessage, text: string, sofar: { text: string }) =>
      new Promise<void>((resolve) => {
        if (sofar.text.includes(text)) return resolve();
        const onData = (chunk: Buffer) => {
          sofar.text += chunk.toString();
          if (sofar.text.includes(text)) {
            res.off('data', onData);
            resolve();
          }
        };
        res.on('data', onData);
      });

    it('sends each frame as it is produced, before the stream ends', async () => {
      const { res } = await open('/api/stream');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      const sofar = { text: '' };
      // The producer is waiting for releaseSecond: the first frame must already be here.
      await readUntil(res, 'data: "first"', sofar);
      expect(sofar.text).not.toContain('second');
      const ended = new Promise<void>((resolve) => res.once('end', resolve));
      releaseSecond();
      await readUntil(res, 'data: "second"', sofar);
      await ended;
      await expect(producerStopped).resolves.toBe('finished');
    });

    it('a client that disconnects mid-stream stops the producer (its signal aborts)', async () => {
      const { req, res } = await open('/api/stream');
      await readUntil(res, 'data: "first"', { text: '' });
      req.destroy();
      await expect(producerStopped).resolves.toBe('aborted');
      // Telemetry's stream-ended line: cancelled by the client, at info; nothing at error level.
      const ended = await logged((record) => record.stream === 'cancelled');
      expect(ended).toMatchObject({ level: PINO_INFO, reason: 'client_closed' });
      expect(records().filter((record) => (record.level as number) >= PINO_ERROR && record.requestId !== 'exec-crash')).toEqual([]);
    });
  });

  describe('failures and routing', () => {
    it('a handler that throws outside the middleware: a 500 problem with the request id, no message or stack', async () => {
      const answer = await send(tableUrl, 'GET', '/api/crash', { 'function-execution-id': 'exec-crash' });
      expect(answer.status).toBe(500);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      const text = answer.body.toString();
      expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal_error', requestId: 'exec-crash', instance: '/api/crash' });
      expect(text).not.toContain('secret detail');
      expect(text).not.toMatch(/\bat .+:\d+:\d+/);
      const logged = records().find((record) => record.requestId === 'exec-crash');
      expect(logged).toMatchObject({ level: PINO_ERROR });
    });

    it('a result Node cannot write (a header with a line break): a 500 problem, nothing of the result, nothing from the framework', async () => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
      const answer = await send(tableUrl, 'GET', '/api/unwritable', { 'function-execution-id': 'exec-unwritable' });
      expect(answer.status).toBe(500);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.headers['x-fine']).toBeUndefined();
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(JSON.parse(answer.body.toString())).toMatchObject({ status: 500, code: 'internal_error', requestId: 'exec-unwritable' });
      expect(errors).not.toHaveBeenCalled();
      expect(records().find((record) => record.requestId === 'exec-unwritable')).toMatchObject({ level: PINO_ERROR });
    });

    it('a client that leaves mid-upload is not an error: logged at info as client_closed, the handler never runs, nothing at error level, nothing from the framework', async () => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
      const runs = parsedRuns;
      const before = records().length;
      const server = servers[0]!;
      const received = new Promise((resolve) => server.once('request', resolve));
      const socket = connect(Number(new URL(tableUrl).port), '127.0.0.1');
      socket.write('POST /api/parsed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nFunction-Execution-Id: exec-gone\r\nContent-Length: 1000\r\n\r\n{"partial":');
      await received;
      socket.destroy();
      // The framework's parser reports the abort to the fallback, which must settle without a fault.
      const line = await logged((record) => record.requestId === 'exec-gone');
      expect(line).toMatchObject({ level: PINO_INFO, reason: 'client_closed', requestId: 'exec-gone', method: 'POST', path: '/api/parsed' });
      expect(records().slice(before).filter((record) => (record.level as number) >= PINO_ERROR)).toEqual([]);
      expect(parsedRuns).toBe(runs);
      expect(errors).not.toHaveBeenCalled();
    });

    it('a deployed function answers only its own route: 404 problem elsewhere, 405 with Allow for another method', async () => {
      expect((await send(echoOnlyUrl, 'POST', '/api/echo/x')).status).toBe(200);

      const otherRoute = await send(echoOnlyUrl, 'GET', '/api/stream');
      expect(otherRoute.status).toBe(404);
      expect(otherRoute.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(otherRoute.body.toString())).toMatchObject({ status: 404, code: 'route_not_found', instance: '/api/stream' });

      const wrongMethod = await send(echoOnlyUrl, 'GET', '/api/echo/x');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe('POST');
      expect(JSON.parse(wrongMethod.body.toString())).toMatchObject({ status: 405, code: 'method_not_allowed' });
    });

    it('the whole-table target routes every function, and misses are 404 problems too', async () => {
      expect((await send(tableUrl, 'POST', '/api/echo/x')).status).toBe(200);
      const miss = await send(tableUrl, 'GET', '/api/nothing-here');
      expect(miss.status).toBe(404);
      expect(JSON.parse(miss.body.toString())).toMatchObject({ code: 'route_not_found' });
    });
  });
});
