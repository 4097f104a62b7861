/**
 * One SSE handler through every runtime: (a) called directly with an API Gateway v2 event,
 * (b) the Azure adapter with real @azure/functions objects, (c) the local host over real HTTP,
 * (d) the Lambda response-streaming wrapper with a fake `awslambda` runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import azf from '@azure/functions';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { defineFunction, type HttpLambda } from '../../kernel/functions.ts';
import { streamingLambda, type AwsLambdaStreaming, type ResponseMetadata } from '../../adapters/aws/lambda-stream.ts';
import { azureHttpHandler } from '../../adapters/azure/http.ts';
import { createLocalHost, type LocalHost } from '../../adapters/local/server.ts';
import { diagnosticsStream } from '../../handlers/diagnostics/functions.ts';
import { stream as streamRoute } from '../../handlers/diagnostics/diagnostics.routes.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { isStreamingResult, streamEndCode } from '../../middleware/sse.ts';
import { createLogger } from '../../middleware/logger.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';
import { eventsOf, gatedRoute, isHeartbeat, parseFrames, readAll, type Frame } from './frames.ts';

const ORIGIN = 'https://app.example.com';
/** The route's factory wrapped in the standard stack, as `bind` wraps it. */
const stream = httpHandler(diagnosticsStream, streamRoute(), testPlatform());
const expectedTicks = (count: number) => [
  ...Array.from({ length: count }, (_, i) => ({ event: 'tick', id: String(i + 1), data: { n: i + 1, of: count } })),
  { event: 'done', data: { count, requestId: expect.any(String) } },
];

describe('(a) the handler called directly', () => {
  it('returns a streamed result whose frames are the ticks and done', async () => {
    const result = await stream(httpEvent({ path: '/api/diagnostics/stream', query: 'count=2&intervalMs=0' }), lambdaContext('diagnostics-stream'));
    expect(isStreamingResult(result)).toBe(true);
    const frames = parseFrames(await readAll((result as unknown as { body: AsyncIterable<Uint8Array> }).body));
    expect(isHeartbeat(frames[0]!)).toBe(true);
    expect(eventsOf(frames)).toEqual(expectedTicks(2));
  });

  it('answers out-of-bounds query values with a 400 problem, not a stream', async () => {
    const result = await stream(httpEvent({ path: '/api/diagnostics/stream', query: 'count=51&intervalMs=2001' }), lambdaContext('diagnostics-stream'));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toMatchObject({ code: 'validation_failed' });
    expect((JSON.parse(result.body!) as { errors: { pointer: string }[] }).errors.map((e) => e.pointer).sort()).toEqual(['/query/count', '/query/intervalMs']);
  });
});

describe('(b) the Azure adapter', () => {
  const invocation = () => new azf.InvocationContext({ invocationId: 'inv-1', functionName: diagnosticsStream.name });

  it('answers an HttpResponse whose body streams the frames, with the stack\'s headers', async () => {
    const request = new azf.HttpRequest({ method: 'GET', url: 'https://portico.example.com/api/diagnostics/stream?count=3&intervalMs=1', headers: { origin: ORIGIN } });
    const response = await azureHttpHandler(diagnosticsStream, async () => stream)(request, invocation());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(eventsOf(parseFrames(await readAll(response.body!)))).toEqual(expectedTicks(3));
  });

  it('sends the heartbeat before the producer yields, and cancelling the body aborts the producer', async () => {
    const route = gatedRoute();
    const request = new azf.HttpRequest({ method: 'GET', url: 'https://portico.example.com/api/fixture/gated' });
    const response = await azureHttpHandler(route.def, async () => route.handler)(request, invocation());
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(': heartbeat\n\n');
    const pending = reader.read(); // the producer now waits upstream
    await route.started;
    await reader.cancel();
    expect((await route.aborted).reason).toMatchObject({ name: 'AbortError' });
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});

describe('(c) the local host over real HTTP', () => {
  const gated = gatedRoute();
  const localStream = defineFunction({ ...diagnosticsStream, handler: undefined, load: async () => ({ handler: stream }) });
  let host: LocalHost;
  let base = '';

  beforeAll(async () => {
    host = createLocalHost({ table: [localStream, gated.def], port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 1024 });
    base = await host.listen();
  });
  afterAll(() => host.close());

  /** Opens a GET and hands back the response as it arrives, chunk by chunk. */
  function open(path: string): Promise<{ req: ClientRequest; res: IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(new URL(path, base), { agent: false, headers: { origin: ORIGIN } }, (res) => resolve({ req, res }));
      req.on('error', reject);
      req.end();
    });
  }

  /** Collects a response's text as it arrives; `until(n)` waits for n complete frames without consuming the rest. */
  function collect(res: IncomingMessage) {
    let text = '';
    const waiters: (() => void)[] = [];
    const ended = new Promise<void>((resolve) => res.once('end', resolve));
    res.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      waiters.splice(0).forEach((wake) => wake());
    });
    return {
      async until(count: number): Promise<Frame[]> {
        while (parseFrames(text).length < count) await new Promise<void>((resolve) => waiters.push(resolve));
        return parseFrames(text);
      },
      async all(): Promise<Frame[]> {
        await ended;
        return parseFrames(text);
      },
    };
  }

  it('streams the frames chunked, with the headers every answer has', async () => {
    const { res } = await open('/api/diagnostics/stream?count=2&intervalMs=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(eventsOf(await collect(res).all())).toEqual(expectedTicks(2));
  });

  it('delivers the heartbeat before the producer has anything, then its events as they come', async () => {
    const { res } = await open('/api/fixture/gated');
    const body = collect(res);
    // The producer is still waiting on the gate: these bytes were flushed without it.
    expect((await body.until(1)).map(isHeartbeat)).toEqual([true]);
    expect(gated.seen.finished).toBe(false);
    gated.gate.open();
    expect(eventsOf(await body.all())).toEqual([{ event: 'token', data: 'hello' }, { event: 'done', data: {} }]);
  });

  it('aborts the producer\'s signal when the client closes the connection', async () => {
    const route = gatedRoute('fixture-gated-close');
    const closing = createLocalHost({ table: [route.def], port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 1024 });
    const closingBase = await closing.listen();
    try {
      const { req, res } = await new Promise<{ req: ClientRequest; res: IncomingMessage }>((resolve, reject) => {
        const req = httpRequest(new URL('/api/fixture/gated', closingBase), { agent: false }, (res) => resolve({ req, res }));
        req.on('error', reject);
        req.end();
      });
      expect((await collect(res).until(1)).map(isHeartbeat)).toEqual([true]);
      await route.started;
      req.destroy();
      expect((await route.aborted).reason).toMatchObject({ name: 'AbortError' });
      expect(streamEndCode(await route.aborted)).toBe('client_closed');
      expect(route.seen.finished).toBe(false); // still parked upstream: only the signal could tell it
    } finally {
      route.gate.open();
      await closing.close();
    }
  });

  it('ends open streams on shutdown instead of waiting out their time limit, with a shutdown reason (not a client that left)', async () => {
    const route = gatedRoute('fixture-gated-shutdown');
    const stopping = createLocalHost({ table: [route.def], port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 1024 });
    const { res } = await new Promise<{ res: IncomingMessage }>(async (resolve, reject) => {
      const req = httpRequest(new URL('/api/fixture/gated', await stopping.listen()), { agent: false }, (res) => resolve({ res }));
      req.on('error', reject);
      req.end();
    });
    const body = collect(res);
    await body.until(1);
    await route.started;
    await stopping.close(); // resolves only once the stream has ended
    const signal = await route.aborted;
    expect(signal.reason).toMatchObject({ name: 'ServerShutdownError' });
    expect(streamEndCode(signal)).toBe('server_shutdown');
    expect((await body.all()).every(isHeartbeat)).toBe(true);
  });
});

/** A response stream as the Lambda runtime hands it over: a Writable, plus HttpResponseStream.from. */
function fakeLambdaRuntime() {
  const seen: { metadata?: ResponseMetadata; chunks: Buffer[]; stream?: Writable } = { chunks: [] };
  const runtime: AwsLambdaStreaming = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from(responseStream, metadata) {
        seen.metadata = metadata;
        return responseStream;
      },
    },
  };
  const responseStream = () => {
    const writable = new Writable({
      write(chunk: Buffer, _encoding, done) {
        seen.chunks.push(chunk);
        done();
      },
    });
    seen.stream = writable;
    return writable;
  };
  const text = () => Buffer.concat(seen.chunks).toString('utf8');
  return { runtime, responseStream, seen, text };
}

type Streamified = (event: unknown, responseStream: Writable, context: unknown) => Promise<void>;
/** A function URL event: `$default` route, no path parameters; the wrapper routes it. */
const urlEvent = (path: string, query = '', method = 'GET') => ({ ...httpEvent({ method, path, query, headers: { origin: ORIGIN } }), routeKey: '$default' });
const route = { name: diagnosticsStream.name, method: diagnosticsStream.trigger.method, route: diagnosticsStream.trigger.route };

describe('(d) the Lambda response-streaming wrapper', () => {
  it('writes the metadata first, then each frame, and ends the stream', async () => {
    const fake = fakeLambdaRuntime();
    const handler = streamingLambda(stream, route, fake.runtime) as Streamified;
    await handler(urlEvent('/api/diagnostics/stream', 'count=2&intervalMs=0'), fake.responseStream(), lambdaContext(route.name));
    expect(fake.seen.metadata).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'access-control-allow-origin': ORIGIN, 'x-content-type-options': 'nosniff' } });
    expect(fake.seen.stream!.writableFinished).toBe(true);
    const frames = parseFrames(fake.text());
    expect(isHeartbeat(frames[0]!)).toBe(true);
    expect(eventsOf(frames)).toEqual(expectedTicks(2));
  });

  it('sends a problem answer (a 400 before any stream) as status, headers and body', async () => {
    const fake = fakeLambdaRuntime();
    const handler = streamingLambda(stream, route, fake.runtime) as Streamified;
    await handler(urlEvent('/api/diagnostics/stream', 'count=x'), fake.responseStream(), lambdaContext(route.name));
    expect(fake.seen.metadata).toMatchObject({ statusCode: 400, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(fake.text())).toMatchObject({ code: 'validation_failed' });
  });

  it('routes a function URL event: path parameters from the route, 404 and 405 for anything else', async () => {
    let seenParams: unknown;
    const probe: HttpLambda = async (event) => ((seenParams = event.pathParameters), { statusCode: 204 });
    const fake = fakeLambdaRuntime();
    const handler = streamingLambda(probe, { name: 'chat', method: 'POST', route: 'chats/{id}/messages' }, fake.runtime) as Streamified;
    await handler(urlEvent('/api/chats/a%20b/messages', '', 'POST'), fake.responseStream(), lambdaContext('chat'));
    expect(seenParams).toEqual({ id: 'a b' });
    expect(fake.seen.metadata?.statusCode).toBe(204);
    await handler(urlEvent('/api/elsewhere', '', 'POST'), fake.responseStream(), lambdaContext('chat'));
    expect(fake.seen.metadata?.statusCode).toBe(404);
    await handler(urlEvent('/api/chats/a/messages', '', 'GET'), fake.responseStream(), lambdaContext('chat'));
    expect(fake.seen.metadata).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
  });

  it('aborts the producer when the response stream closes under it (the client went away)', async () => {
    const gated = gatedRoute('fixture-gated-lambda');
    const fake = fakeLambdaRuntime();
    const handler = streamingLambda(gated.handler, { name: gated.def.name, method: 'GET', route: 'fixture/gated' }, fake.runtime) as Streamified;
    const running = handler(urlEvent('/api/fixture/gated'), fake.responseStream(), lambdaContext(gated.def.name));
    await gated.started;
    expect(parseFrames(fake.text()).map(isHeartbeat)).toEqual([true]);
    fake.seen.stream!.destroy();
    expect((await gated.aborted).reason).toMatchObject({ name: 'AbortError' });
    await running; // and the invocation ends instead of waiting on upstream
    gated.gate.open();
  });

  it('answers buffered when called as (event, context), as serverless-offline does', async () => {
    const fake = fakeLambdaRuntime();
    const handler = streamingLambda(stream, route, fake.runtime) as unknown as (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
    const result = await handler(urlEvent('/api/diagnostics/stream', 'count=1&intervalMs=0'), lambdaContext(route.name));
    expect(result.statusCode).toBe(200);
    expect(eventsOf(parseFrames(result.body!))).toEqual(expectedTicks(1));
  });
});
