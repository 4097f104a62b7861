/** A streamed result through the standard HTTP stack: the same headers as any answer, errors before it as problem+json. */
import { describe, expect, it } from '@jest/globals';
import { defineFunction, type HttpTrigger } from '../../kernel/functions.ts';
import { badRequest } from '../../domain/errors.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { isStreamingResult, sseResponse, type SseEvent } from '../../middleware/sse.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';
import { eventsOf, parseFrames, readAll } from './frames.ts';

const ORIGIN = 'https://app.example.com';

function streamingRoute(auth: HttpTrigger['auth'] = 'public') {
  return defineFunction({
    name: 'fixture-stream',
    trigger: { kind: 'http', method: 'GET', route: 'fixture/stream', auth, stream: true, summary: 'test', responses: { 200: { description: 'events' } } },
    load: async () => {
      throw new Error('not loaded in this test');
    },
  });
}

describe('httpHandler with a streamed result', () => {
  let produced = 0;
  async function* produce(): AsyncIterable<SseEvent> {
    produced += 1;
    yield { event: 'tick', data: 1 };
  }

  it('applies security headers, CORS and the request id, keeps the stream\'s own cache-control, and logs the end', async () => {
    const platform = testPlatform();
    const handler = httpHandler(streamingRoute(), async () => sseResponse(produce, { heartbeatMs: 60_000 }), platform);
    const result = await handler(httpEvent({ path: '/api/fixture/stream', headers: { origin: ORIGIN, 'x-request-id': 'req-123' } }), lambdaContext('fixture-stream'));
    expect(isStreamingResult(result)).toBe(true);
    expect(result.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': ORIGIN,
      vary: 'Origin',
      'x-request-id': 'req-123',
    });
    // The summary line is already written, before a single byte of the stream was read.
    const lines = () => platform.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines().find((line) => line.msg === 'request completed')).toMatchObject({ status: 200, streamed: true, requestId: 'req-123' });
    expect(lines().some((line) => line.msg === 'stream ended')).toBe(false);

    const body = (result as unknown as { body: AsyncIterable<Uint8Array> }).body;
    const raw = await readAll(body);
    expect(eventsOf(parseFrames(raw))).toEqual([{ event: 'tick', data: 1 }]);
    expect(lines().find((line) => line.msg === 'stream ended')).toMatchObject({ stream: 'completed', bytes: Buffer.byteLength(raw), requestId: 'req-123' });
  });

  it('answers problem+json (with CORS) when the handler throws before returning the stream', async () => {
    const handler = httpHandler(streamingRoute(), async () => {
      throw badRequest('bad_prompt', 'The prompt is empty.');
    }, testPlatform());
    const result = await handler(httpEvent({ path: '/api/fixture/stream', headers: { origin: ORIGIN } }), lambdaContext('fixture-stream'));
    expect(isStreamingResult(result)).toBe(false);
    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json', 'access-control-allow-origin': ORIGIN });
    expect(JSON.parse(result.body!)).toMatchObject({ code: 'bad_prompt' });
  });

  it('refuses an unauthenticated caller before the producer ever runs', async () => {
    produced = 0;
    const handler = httpHandler(streamingRoute('user'), async () => sseResponse(produce), testPlatform());
    const result = await handler(httpEvent({ path: '/api/fixture/stream' }), lambdaContext('fixture-stream'));
    expect(result.statusCode).toBe(401);
    expect(produced).toBe(0);
  });
});
