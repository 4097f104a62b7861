/** Reading Server-Sent Events in tests: the wire text split into frames, and a few producers. */
import { defineFunction, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { sseResponse, type SseEvent } from '../../middleware/sse.ts';
import { testPlatform } from '../support/platform.ts';

export interface Frame {
  comment?: string;
  event?: string;
  id?: string;
  data?: unknown;
}

/** Parses complete frames (blank-line separated) of `text`; a trailing partial frame is ignored. */
export function parseFrames(text: string): Frame[] {
  const blocks = text.split('\n\n');
  blocks.pop(); // whatever follows the last blank line is not a complete frame yet
  return blocks.map((block) => {
    const frame: Frame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) frame.comment = line.slice(1).trim();
      else if (line.startsWith('event: ')) frame.event = line.slice(7);
      else if (line.startsWith('id: ')) frame.id = line.slice(4);
      else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
      else throw new Error(`unexpected SSE line: ${JSON.stringify(line)}`);
    }
    return frame;
  });
}

export const isHeartbeat = (frame: Frame) => frame.comment === 'heartbeat' && frame.data === undefined;
/** The frames that carry events, heartbeats dropped (how many arrive depends on timing). */
export const eventsOf = (frames: readonly Frame[]) => frames.filter((frame) => !isHeartbeat(frame));

const decoder = () => new TextDecoder();

/** Reads a whole body of byte chunks as text. */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const text = decoder();
  let out = '';
  for await (const chunk of body) out += text.decode(chunk, { stream: true });
  return out + text.decode();
}

/** A latch a producer can wait on and a test can open. */
export function latch() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * Yields nothing until `released`, then `events`. `started` resolves with the producer's signal
 * once it runs; `aborted` once that signal aborts.
 */
export function gatedProducer(released: Promise<void>, events: readonly SseEvent[]) {
  const seen: { started: boolean; signal?: AbortSignal; finished: boolean } = { started: false, finished: false };
  let onStart: (signal: AbortSignal) => void = () => {};
  const started = new Promise<AbortSignal>((resolve) => (onStart = resolve));
  const aborted = started.then(
    (signal) => new Promise<AbortSignal>((resolve) => (signal.aborted ? resolve(signal) : signal.addEventListener('abort', () => resolve(signal), { once: true }))),
  );
  async function* produce(signal: AbortSignal): AsyncIterable<SseEvent> {
    seen.started = true;
    seen.signal = signal;
    onStart(signal);
    try {
      await released;
      yield* events;
    } finally {
      seen.finished = true;
    }
  }
  return { produce, seen, started, aborted };
}

/** Waits until `signal` aborts; never yields. An upstream that stays silent until cancelled. */
export async function* silentUntilAborted(signal: AbortSignal): AsyncIterable<SseEvent> {
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  yield* [];
}

/**
 * A streaming route whose producer waits on a latch the test opens, through the real HTTP stack:
 * proves the first bytes leave before the producer has anything, and that a client going away
 * reaches the producer's signal.
 */
export function gatedRoute(name = 'fixture-gated-stream') {
  const gate = latch();
  const producer = gatedProducer(gate.opened, [{ event: 'token', data: 'hello' }, { event: 'done', data: {} }]);
  const def: FunctionDef<HttpTrigger> = defineFunction({
    name,
    trigger: { kind: 'http', method: 'GET', route: 'fixture/gated', auth: 'public', stream: true, summary: 'test', responses: { 200: { description: 'events' } } },
    load: async () => ({ handler }),
  });
  const handler: HttpLambda = httpHandler(def, async () => sseResponse(producer.produce, { heartbeatMs: 60_000 }), testPlatform());
  return { def, handler, gate, ...producer };
}
