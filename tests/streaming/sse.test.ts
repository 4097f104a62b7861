/** The SSE body on its own: frame format, heartbeat first and while silent, errors in band, the time limit, client close. */
import { describe, expect, it, jest } from '@jest/globals';
import { AppError } from '../../domain/errors.ts';
import {
  formatSseEvent,
  isStreamingResult,
  sseResponse,
  TIME_LIMIT_CODE,
  type SseEvent,
} from '../../middleware/sse.ts';
import { eventsOf, gatedProducer, isHeartbeat, latch, parseFrames, readAll, silentUntilAborted } from './frames.ts';

const text = new TextDecoder();
/** Long enough that no heartbeat falls between the frames a test expects. */
const QUIET = { heartbeatMs: 60_000 };

async function* events(...list: SseEvent[]): AsyncIterable<SseEvent> {
  yield* list;
}

describe('sseResponse', () => {
  it('answers 200 text/event-stream without caching or buffering, keeping extra headers', () => {
    const result = sseResponse(() => events(), {}, { 'x-model': 'offline' });
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-model': 'offline',
    });
    expect(isStreamingResult(result)).toBe(true);
  });

  it('writes the heartbeat before the producer is even started', async () => {
    const gate = latch();
    const { produce, seen } = gatedProducer(gate.opened, [{ data: 1 }]);
    const iterator = sseResponse(produce, QUIET).body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(text.decode(first.value)).toBe(': heartbeat\n\n');
    expect(seen.started).toBe(false);
    gate.open();
    expect(text.decode((await iterator.next()).value)).toBe('data: 1\n\n');
    expect(seen.started).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(seen.finished).toBe(true);
  });

  it('encodes event, id and JSON data, one data line, and keeps field values on one line', async () => {
    const body = sseResponse(
      () => events({ event: 'token', id: '7', data: { text: 'two\nlines', n: 2 } }, { data: null }, { event: 'x\r\nid: 9', data: 'y' }),
      QUIET,
    ).body;
    const raw = await readAll(body);
    expect(raw).toBe(': heartbeat\n\nevent: token\nid: 7\ndata: {"text":"two\\nlines","n":2}\n\ndata: null\n\nevent: xid: 9\ndata: "y"\n\n');
    expect(eventsOf(parseFrames(raw))).toEqual([
      { event: 'token', id: '7', data: { text: 'two\nlines', n: 2 } },
      { data: null },
      { event: 'xid: 9', data: 'y' },
    ]);
  });

  it('sends heartbeats while the producer is silent, then its events', async () => {
    const gate = latch();
    const { produce } = gatedProducer(gate.opened, [{ event: 'done', data: {} }]);
    const iterator = sseResponse(produce, { heartbeatMs: 1 }).body[Symbol.asyncIterator]();
    const frames = [await iterator.next(), await iterator.next(), await iterator.next()].map((step) => parseFrames(text.decode(step.value))[0]!);
    // Three heartbeats in a row: the first byte, then two answered while the producer waits.
    expect(frames.every(isHeartbeat)).toBe(true);
    gate.open();
    const rest = parseFrames(await readAll({ [Symbol.asyncIterator]: () => iterator }));
    expect(eventsOf(rest)).toEqual([{ event: 'done', data: {} }]);
  });

  it('writes an AppError thrown mid-stream in band as event: error with its code, and ends', async () => {
    async function* failing(): AsyncIterable<SseEvent> {
      yield { data: 'first' };
      throw new AppError(429, 'model_rate_limited', 'The model is busy.');
    }
    const log = { error: jest.fn() };
    const frames = eventsOf(parseFrames(await readAll(sseResponse(failing, { ...QUIET, log }).body)));
    expect(frames).toEqual([{ data: 'first' }, { event: 'error', data: { code: 'model_rate_limited', message: 'The model is busy.' } }]);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('says nothing about an unexpected error but "internal", and logs it', async () => {
    async function* failing(): AsyncIterable<SseEvent> {
      yield* [];
      throw new Error('db password=hunter2 leaked');
    }
    const log = { error: jest.fn() };
    const raw = await readAll(sseResponse(failing, { ...QUIET, log }).body);
    expect(eventsOf(parseFrames(raw))).toEqual([{ event: 'error', data: { code: 'internal', message: 'An unexpected error occurred.' } }]);
    expect(raw).not.toContain('hunter2');
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('treats a producer that throws before iterating, and data JSON cannot encode, as errors in band', async () => {
    const throwsAtOnce = () => {
      throw new Error('boom');
    };
    expect(eventsOf(parseFrames(await readAll(sseResponse(throwsAtOnce, QUIET).body)))).toEqual([
      { event: 'error', data: { code: 'internal', message: 'An unexpected error occurred.' } },
    ]);
    const { produce, seen } = gatedProducer(Promise.resolve(), [{ data: 1n }, { data: 'never' }]);
    expect(eventsOf(parseFrames(await readAll(sseResponse(produce, QUIET).body)))).toEqual([
      { event: 'error', data: { code: 'internal', message: 'An unexpected error occurred.' } },
    ]);
    expect(seen.signal?.aborted).toBe(true);
  });

  it('cuts the stream at maxDurationMs: aborts the signal with a TimeoutError and says so in band', async () => {
    let signal: AbortSignal | undefined;
    const produce = (s: AbortSignal) => ((signal = s), silentUntilAborted(s));
    const frames = eventsOf(parseFrames(await readAll(sseResponse(produce, { heartbeatMs: 60_000, maxDurationMs: 5 }).body)));
    expect(frames).toEqual([{ event: 'error', data: { code: TIME_LIMIT_CODE, message: 'The stream reached its time limit.' } }]);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as Error).name).toBe('TimeoutError');
  });

  it('aborts the signal with an AbortError when the reader goes away, even while upstream is pending', async () => {
    const gate = latch();
    const { produce, seen } = gatedProducer(gate.opened, [{ data: 'late' }]);
    const iterator = sseResponse(produce, QUIET).body[Symbol.asyncIterator]();
    await iterator.next(); // heartbeat
    const waiting = iterator.next(); // the producer is now awaiting upstream
    await iterator.return!();
    expect(seen.signal?.aborted).toBe(true);
    expect((seen.signal?.reason as Error).name).toBe('AbortError');
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('can be read once only', () => {
    const { body } = sseResponse(() => events(), QUIET);
    body[Symbol.asyncIterator]();
    expect(() => body[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('without comments: no preamble, silences answered with the heartbeat event, failures with the protocol\'s own frames', async () => {
    const gate = latch();
    const { produce } = gatedProducer(gate.opened, [{ data: { type: 'token', content: 'hi' } }]);
    const options = { heartbeatMs: 1, comments: false, heartbeat: () => ({ data: { type: 'token', content: '' } }) };
    const iterator = sseResponse(produce, options).body[Symbol.asyncIterator]();
    // The first chunk is already an answer to a silence, never a comment.
    const first = text.decode((await iterator.next()).value);
    expect(first).toBe('data: {"type":"token","content":""}\n\n');
    gate.open();
    const rest = await readAll({ [Symbol.asyncIterator]: () => iterator });
    expect(rest).toMatch(/^(data: \{"type":"token","content":""\}\n\n)*data: \{"type":"token","content":"hi"\}\n\n$/);

    async function* failing(): AsyncIterable<SseEvent> {
      yield { data: { type: 'token', content: 'a' } };
      throw new AppError(503, 'model_unavailable', 'down');
    }
    const failureEvents = (failure: { code: string; message: string }) => [{ data: { type: 'error', content: failure.code } }, { data: { type: 'done' } }];
    const failed = await readAll(sseResponse(() => failing(), { ...QUIET, comments: false, heartbeat: options.heartbeat, failureEvents }).body);
    expect(failed).toBe('data: {"type":"token","content":"a"}\n\ndata: {"type":"error","content":"model_unavailable"}\n\ndata: {"type":"done"}\n\n');
    expect(() => sseResponse(() => events(), { comments: false })).toThrow(RangeError);
  });

  it('refuses limits that Azure would cut first', () => {
    expect(() => sseResponse(() => events(), { maxDurationMs: 230_000 })).toThrow(RangeError);
    expect(() => sseResponse(() => events(), { heartbeatMs: 0 })).toThrow(RangeError);
  });
});

describe('isStreamingResult', () => {
  it('tells a streamed body from a plain result', () => {
    expect(isStreamingResult({ statusCode: 200, body: 'text' })).toBe(false);
    expect(isStreamingResult({ statusCode: 204 })).toBe(false);
    expect(isStreamingResult(null)).toBe(false);
    expect(isStreamingResult('plain')).toBe(false);
    expect(isStreamingResult({ statusCode: 200, body: events() })).toBe(true);
  });

  it('formats an event with no name or id as a bare data line', () => {
    expect(formatSseEvent({ data: { a: 1 } })).toBe('data: {"a":1}\n\n');
    expect(formatSseEvent({ data: undefined })).toBe('data: null\n\n');
  });
});
