/**
 * GET /api/diagnostics/stream?count=N&intervalMs=M: `count` `tick` events `intervalMs` apart,
 * then a `done` event, as Server-Sent Events. The conformance suite and the benchmarks use it to
 * prove streaming through every runtime; both query values are bounded by the route's schema.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import { httpHandler, type HttpPlatform } from '../../middleware/http-stack.ts';
import { sseResponse, type SseEvent, type SseOptions } from '../../middleware/sse.ts';
import { diagnosticsStream } from './functions.ts';

export interface StreamDeps {
  platform: HttpPlatform;
  /** Heartbeat and time limit; the defaults of `sseResponse` unless a test shortens them. */
  sse?: Omit<SseOptions, 'log'>;
}

export function createHandler(deps: StreamDeps): HttpLambda {
  return httpHandler(
    diagnosticsStream,
    async (event, context) => {
      // Validated and coerced to integers (defaults filled in) by the route's query schema.
      const { count, intervalMs } = event.queryStringParameters as unknown as { count: number; intervalMs: number };
      async function* ticks(signal: AbortSignal): AsyncIterable<SseEvent> {
        for (let n = 1; n <= count; n += 1) {
          // Rejects at once when the client goes away; the stream is already over by then.
          if (intervalMs > 0) await sleep(intervalMs, undefined, { signal });
          yield { event: 'tick', id: String(n), data: { n, of: count } };
        }
        yield { event: 'done', data: { count, requestId: context.requestId } };
      }
      return sseResponse(ticks, { ...deps.sse, log: context.log });
    },
    deps.platform,
  );
}

export const handler: HttpLambda = createHandler({ platform: getHttpPlatform() });
