/**
 * The search and its event stream (see functions.ts). Both check the input first (a refusal is
 * problem+json and nothing is cached), then run the one pipeline (pipeline.ts).
 */
import { AppError, badRequest } from '../../domain/errors.ts';
import { checkChatInput } from '../../domain/discovery/input.ts';
import type { PorticoContext, PorticoHttpEvent } from '../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { progress, sseErrorData, sseResponse, type SseEvent } from '../../middleware/sse.ts';
import { callTrace } from '../../middleware/trace-context.ts';
import type { SearchRequest } from './pipeline.ts';
import { runtimeOf, type DiscoveryDeps } from './runtime.ts';

export interface SearchBody {
  chat_input: string;
  force?: boolean;
}

interface ChatQuery {
  message: string;
  stream?: boolean;
  force?: boolean;
}

/** The Underfoot stream protocol's version, sent in `start` (the JS variant's). */
const PROTOCOL_VERSION = 1;

/** The checked input, or a 400 `unsafe_input` / `invalid_input`. */
function checkedInput(raw: string): string {
  const check = checkChatInput(raw);
  if (!check.ok) throw badRequest(check.code, check.message);
  return check.text;
}

function searchRequest(text: string, force: boolean, startedAt: number, context: PorticoContext, signal?: AbortSignal): SearchRequest {
  return {
    text,
    force,
    startedAt,
    ...callTrace(context),
    ...(context.principal ? { userId: context.principal.userId } : {}),
    ...(signal ? { signal } : {}),
    log: context.log,
  };
}

/** The answer as JSON: the cache's, else the pipeline's. */
async function answer(deps: DiscoveryDeps, request: SearchRequest) {
  const { pipeline } = await runtimeOf(deps);
  return json(200, (await pipeline.cached(request)) ?? (await pipeline.run(request)));
}

/** POST /api/underfoot/search: the real frontend's call. */
export const search = (deps: DiscoveryDeps): PorticoHttpHandler<SearchBody> => async (event, context) => {
  const startedAt = performance.now();
  const text = checkedInput(event.json.chat_input);
  return answer(deps, searchRequest(text, event.json.force ?? false, startedAt, context));
};

/** GET /api/underfoot/chat: with `stream=true` the JS variant's events plus `source`; otherwise the search as JSON. */
export const chat = (deps: DiscoveryDeps): PorticoHttpHandler => async (event: PorticoHttpEvent, context) => {
  const startedAt = performance.now();
  const query = event.queryStringParameters as unknown as ChatQuery;
  const text = checkedInput(query.message);
  const force = query.force ?? false;
  if (!query.stream) return answer(deps, searchRequest(text, force, startedAt, context));

  const { pipeline } = await runtimeOf(deps);
  const { requestId } = context;
  // Looked up before the stream starts, so `start` can say whether this is a replay.
  const hit = await pipeline.cached(searchRequest(text, force, startedAt, context));
  const { heartbeatSeconds, maxSeconds } = deps.settings.stream;

  async function* produce(signal: AbortSignal): AsyncIterable<SseEvent> {
    yield { event: 'start', data: { requestId, protocolVersion: PROTOCOL_VERSION, cacheHit: Boolean(hit) } };
    try {
      const result =
        hit ??
        (yield* progress((emit) =>
          pipeline.run({ ...searchRequest(text, force, startedAt, context, signal), onSource: (source) => emit({ event: 'source', data: source }) }),
        ));
      yield { event: 'complete', data: result };
    } catch (error) {
      // The client is gone when its signal aborted: nobody reads an error frame.
      if (signal.aborted) throw error;
      if (!(error instanceof AppError)) context.log.error({ err: error }, 'discovery stream failed');
      yield { event: 'error', data: { ...sseErrorData(error), fatal: true } };
    }
    yield { event: 'end', data: { requestId } };
  }

  return sseResponse(produce, {
    heartbeatMs: heartbeatSeconds * 1000,
    maxDurationMs: maxSeconds * 1000,
    log: context.log,
    heartbeat: () => ({ event: 'heartbeat', data: { ts: Date.now(), requestId } }),
  });
};
