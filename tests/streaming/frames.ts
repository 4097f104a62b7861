/** Reading Server-Sent Events in tests: the wire text split into frames, and a few producers. */
import type { SseEvent } from '../../middleware/sse.ts';

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

/** Yields nothing until `released`, then `events`; records whether it ever started and its signal. */
export function gatedProducer(released: Promise<void>, events: readonly SseEvent[]) {
  const seen: { started: boolean; signal?: AbortSignal; finished: boolean } = { started: false, finished: false };
  async function* produce(signal: AbortSignal): AsyncIterable<SseEvent> {
    seen.started = true;
    seen.signal = signal;
    try {
      await released;
      yield* events;
    } finally {
      seen.finished = true;
    }
  }
  return { produce, seen };
}

/** Waits until `signal` aborts; never yields. An upstream that stays silent until cancelled. */
export async function* silentUntilAborted(signal: AbortSignal): AsyncIterable<SseEvent> {
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  yield* [];
}
