/**
 * Server-Sent Events, written once for every runtime. A handler returns `sseResponse(produce)`;
 * the body is an async iterable of UTF-8 frames that each runtime adapter sends as it is pulled
 * (Lambda response streaming, Azure HTTP streams, chunked output on the local host).
 *
 * The body is pull-driven: the producer only advances when the runtime asks for the next chunk,
 * so a slow client slows the producer instead of growing a buffer. While the producer is silent
 * the pull is answered with a heartbeat comment, which keeps proxies and load balancers (Azure's
 * front end drops idle connections) from closing the stream.
 */
import { AppError } from '../domain/errors.ts';
import type { HttpResult } from '../kernel/functions.ts';
import type { Logger } from './logger.ts';

export interface SseEvent {
  event?: string;
  id?: string;
  /** JSON-encoded on one `data:` line. */
  data: unknown;
}

export interface SseOptions {
  /** Silence after which a heartbeat comment is sent; default 15000. */
  heartbeatMs?: number;
  /** The stream is cut (and `signal` aborted) after this long; default 200000, under Azure's 230 s. */
  maxDurationMs?: number;
  /** Where an unexpected producer error is logged (name and message only); optional. */
  log?: Pick<Logger, 'error'>;
  /**
   * The event sent while the producer is silent, instead of a heartbeat comment, for protocols
   * whose clients listen for one (Underfoot's `heartbeat`). The first byte is still a comment.
   */
  heartbeat?: () => SseEvent;
  /**
   * False for protocols whose clients read only `data:` frames (PluckIt's chat): no comment is
   * ever written, so there is no preamble, and a silence is answered with `heartbeat()` (required).
   */
  comments?: boolean;
  /**
   * The frames that end a stream which failed or reached its time limit, for protocols with their
   * own error shape; by default one `event: error` frame with `{ code, message }`.
   */
  failureEvents?: (failure: { code: string; message: string }) => SseEvent[];
}

/** An HTTP result whose body is produced while it is sent. */
export type StreamingHttpResult = Omit<HttpResult, 'body'> & { body: AsyncIterable<Uint8Array> };

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_MAX_DURATION_MS = 200_000;
/** Azure's load balancer cuts an HTTP response at 230 s; the cap must end the stream first. */
export const MAX_DURATION_LIMIT_MS = 230_000;

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: a compressing proxy would buffer the stream.
  'cache-control': 'no-cache, no-transform',
  // nginx (and proxies that honour it) would otherwise buffer the whole response.
  'x-accel-buffering': 'no',
};

/** The error frame a client sees when the stream reaches `maxDurationMs`. */
export const TIME_LIMIT_CODE = 'stream_time_limit';

/**
 * The reason a runtime gives when it ends open streams because it is shutting down: it cancels
 * the body with it (`reader.cancel(new ServerShutdownError())`), and the producer's signal aborts
 * with it, so a handler can tell a shutdown from a client that left.
 */
export class ServerShutdownError extends Error {
  override readonly name = 'ServerShutdownError';
  constructor() {
    super('The server is shutting down.');
  }
}

/** Why a stream ended early, as a stable code: `stream_time_limit`, `server_shutdown` or `client_closed`. */
export type StreamEndCode = typeof TIME_LIMIT_CODE | 'server_shutdown' | 'client_closed';

/** The code of an aborted producer signal; undefined while it is not aborted. */
export function streamEndCode(signal: AbortSignal): StreamEndCode | undefined {
  if (!signal.aborted) return undefined;
  // By name, not class: a Lambda bundle may carry its own copy of this module.
  const name = (signal.reason as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' ? TIME_LIMIT_CODE : name === 'ServerShutdownError' ? 'server_shutdown' : 'client_closed';
}

const encoder = new TextEncoder();
const HEARTBEAT_TEXT = ': heartbeat\n\n';
export const heartbeatFrame = (): Uint8Array => encoder.encode(HEARTBEAT_TEXT);

/** Field values may not break the frame: CR, LF (a new field) and NUL (browsers drop such ids). */
const singleLine = (value: string) => value.replace(/[\r\n\0]/g, '');

/** One event as its wire text. `data` is JSON, which never contains a raw line break. */
export function formatSseEvent(event: SseEvent): string {
  const lines: string[] = [];
  if (event.event !== undefined) lines.push(`event: ${singleLine(event.event)}`);
  if (event.id !== undefined) lines.push(`id: ${singleLine(event.id)}`);
  lines.push(`data: ${JSON.stringify(event.data) ?? 'null'}`);
  return `${lines.join('\n')}\n\n`;
}

/** What a client may learn of a failure: an AppError's code and message, otherwise nothing. */
export function sseErrorData(error: unknown): { code: string; message: string } {
  return error instanceof AppError ? { code: error.code, message: error.message } : { code: 'internal', message: 'An unexpected error occurred.' };
}

/**
 * A 200 `text/event-stream` response (no-cache, no buffering headers). A heartbeat comment is
 * written first, before `produce` yields anything, and every `heartbeatMs` while it is silent.
 * `signal` aborts when the client goes away (where the platform lets us see it) or when
 * `maxDurationMs` passes. An error thrown by `produce` after the response has started is written
 * in band as `event: error` with `{ code, message }` (an AppError's code, else `internal`), and the
 * stream ends; it is never rethrown to the platform.
 */
export function sseResponse(
  produce: (signal: AbortSignal) => AsyncIterable<SseEvent>,
  options: SseOptions = {},
  headers: Record<string, string> = {},
): StreamingHttpResult {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxDurationMs = options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  if (!(heartbeatMs > 0)) throw new RangeError('heartbeatMs must be positive');
  if (!(maxDurationMs > 0 && maxDurationMs < MAX_DURATION_LIMIT_MS)) throw new RangeError(`maxDurationMs must be between 0 and ${MAX_DURATION_LIMIT_MS}`);
  if (options.comments === false && !options.heartbeat) throw new RangeError('a stream without comments needs a heartbeat event');
  let read = false;
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      // The producer runs once; a second reader would silently get nothing.
      if (read) throw new Error('An SSE body can be read only once.');
      read = true;
      return sseFrames(produce, heartbeatMs, maxDurationMs, options);
    },
  };
  return { statusCode: 200, headers: { ...SSE_HEADERS, ...headers }, body };
}

/**
 * The events a background task emits while it runs, as they come, then its result: a producer
 * `yield*`s it to stream progress (a source finishing) from work that is one promise.
 */
export async function* progress<T>(run: (emit: (event: SseEvent) => void) => Promise<T>): AsyncGenerator<SseEvent, T> {
  const queue: SseEvent[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const emit = (event: SseEvent) => {
    queue.push(event);
    wake?.();
  };
  const work = run(emit).finally(() => {
    settled = true;
    wake?.();
  });
  // Observed below; without this a failure before the first await would be reported as unhandled.
  work.catch(() => undefined);
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (settled) return await work;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

export function isStreamingResult(result: unknown): result is StreamingHttpResult {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) return false;
  const body = (result as { body?: unknown }).body;
  return typeof body === 'object' && body !== null && typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

type Step = { kind: 'event'; event: SseEvent } | { kind: 'end' } | { kind: 'failed'; error: unknown };
type Wake = Step | { kind: 'silent' } | { kind: 'time-limit' } | { kind: 'closed' };

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const chunk = (text: string): IteratorYieldResult<Uint8Array> => ({ done: false, value: encoder.encode(text) });

function sseFrames(
  produce: (signal: AbortSignal) => AsyncIterable<SseEvent>,
  heartbeatMs: number,
  maxDurationMs: number,
  { log, heartbeat: heartbeatEvent, comments = true, failureEvents }: SseOptions,
): AsyncIterator<Uint8Array, undefined> {
  const controller = new AbortController();
  let state: 'new' | 'open' | 'finished' = 'new';
  let producer: AsyncIterator<SseEvent> | undefined;
  // The producer's outstanding step; a heartbeat answers a pull without dropping it.
  let pending: Promise<Step> | undefined;
  let limitTimer: NodeJS.Timeout | undefined;
  let wakeLimit: (wake: Wake) => void = () => {};
  let wakeClosed: (wake: Wake) => void = () => {};
  const timeLimit = new Promise<Wake>((resolve) => (wakeLimit = resolve));
  const closed = new Promise<Wake>((resolve) => (wakeClosed = resolve));

  const finished = () => state === 'finished';
  const finish = () => {
    state = 'finished';
    clearTimeout(limitTimer);
  };
  // Lets the producer's `finally` blocks run; it may still be awaiting upstream, so never awaited here.
  const stopProducer = () => void producer?.return?.().catch(() => undefined);
  const failureFrames = (failure: { code: string; message: string }) =>
    chunk((failureEvents ? failureEvents(failure) : [{ event: 'error', data: failure }]).map(formatSseEvent).join(''));
  const errorFrame = (error: unknown) => {
    if (!(error instanceof AppError)) log?.error({ err: error }, 'event stream producer failed');
    return failureFrames(sseErrorData(error));
  };

  const step = (): Promise<Step> => {
    try {
      producer ??= produce(controller.signal)[Symbol.asyncIterator]();
      return producer.next().then(
        (result): Step => (result.done ? { kind: 'end' } : { kind: 'event', event: result.value }),
        (error: unknown): Step => ({ kind: 'failed', error }),
      );
    } catch (error) {
      return Promise.resolve({ kind: 'failed', error });
    }
  };

  return {
    async next() {
      if (state === 'finished') return DONE;
      if (state === 'new') {
        // The first byte goes out before the producer is even asked for anything (where comments may).
        state = 'open';
        limitTimer = setTimeout(() => wakeLimit({ kind: 'time-limit' }), maxDurationMs);
        if (comments) return chunk(HEARTBEAT_TEXT);
      }
      pending ??= step();
      let heartbeat: NodeJS.Timeout | undefined;
      const silence = new Promise<Wake>((resolve) => (heartbeat = setTimeout(() => resolve({ kind: 'silent' }), heartbeatMs)));
      const wake = await Promise.race([pending, silence, timeLimit, closed]);
      clearTimeout(heartbeat);
      if (finished()) return DONE; // closed while we waited
      switch (wake.kind) {
        case 'silent':
          return chunk(heartbeatEvent ? formatSseEvent(heartbeatEvent()) : HEARTBEAT_TEXT);
        case 'event':
          pending = undefined;
          try {
            return chunk(formatSseEvent(wake.event));
          } catch (error) {
            // Data JSON cannot encode (a cycle, a BigInt): same as a producer failure.
            finish();
            controller.abort(error);
            stopProducer();
            return errorFrame(error);
          }
        case 'end':
          finish();
          return DONE;
        case 'failed':
          finish();
          return errorFrame(wake.error);
        case 'time-limit':
          finish();
          controller.abort(new DOMException(`The stream reached its ${maxDurationMs} ms limit.`, 'TimeoutError'));
          stopProducer();
          return failureFrames({ code: TIME_LIMIT_CODE, message: 'The stream reached its time limit.' });
        case 'closed':
          return DONE;
      }
    },
    /** The runtime stops reading: the client went away, or the runtime gave up (its reason says if it is shutting down). */
    async return(reason?: unknown) {
      if (state !== 'finished') {
        finish();
        const shutdown = (reason as { name?: unknown } | undefined)?.name === 'ServerShutdownError';
        controller.abort(shutdown ? reason : new DOMException('The client closed the stream.', 'AbortError'));
        wakeClosed({ kind: 'closed' });
        stopProducer();
      }
      return DONE;
    },
  };
}
