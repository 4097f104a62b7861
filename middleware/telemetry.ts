/**
 * Outermost middleware: gives every invocation a request id and a correlation id, a child
 * logger carrying both, and one summary line with method, route, status and duration; and
 * records the function's request count, errors by class and latency (httpMetrics).
 * Ids from the caller are accepted only when they look like ids, so logs cannot be forged.
 */
import type { MiddlewareObj } from '@middy/core';
import { METRIC, statusClass, type Metrics } from '../domain/metrics.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from './logger.ts';
import type { PorticoContext } from './context.ts';
import { isStreamingResult, type StreamingHttpResult } from './sse.ts';
import { traceIdOf, traceparentOf } from './trace-context.ts';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationOf(headers: Record<string, string | undefined>, requestId: string): string {
  const trace = traceIdOf(traceparentOf(headers));
  if (trace) return trace;
  const callerId = headers['x-correlation-id'] ?? headers['x-request-id'];
  return callerId && SAFE_ID.test(callerId) ? callerId : requestId;
}

export function requestIdOf(headers: Record<string, string | undefined>, context: Context): string {
  const callerId = headers['x-request-id'];
  return callerId && SAFE_ID.test(callerId) ? callerId : context.awsRequestId;
}

/** What one HTTP function records per answer: labelled by the function's name, never by the path. */
export type RecordAnswer = (status: number, durationMs: number) => void;

export function httpMetrics(metrics: Metrics | undefined, functionName: string): RecordAnswer {
  if (!metrics) return () => undefined;
  const requests = metrics.counter(METRIC.httpRequests, { unit: '{request}', description: 'HTTP requests answered, per function' });
  const errors = metrics.counter(METRIC.httpErrors, { unit: '{request}', description: 'HTTP answers with a 4xx or 5xx status, per function and class' });
  const duration = metrics.histogram(METRIC.httpDuration, { unit: 'ms', description: 'Time to the answer (to the first byte of a stream), per function' });
  const series = { function: functionName };
  return (status, durationMs) => {
    requests.add(1, series);
    if (status >= 400) errors.add(1, { ...series, class: statusClass(status) });
    duration.record(durationMs, series);
  };
}

export function telemetry(
  logger: Logger,
  recordAnswer: RecordAnswer = () => undefined,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  const started = new WeakMap<object, number>();
  const finish = (request: {
    event: APIGatewayProxyEventV2;
    context: Context;
    response?: APIGatewayProxyStructuredResultV2 | null | undefined;
  }) => {
    const context = request.context as PorticoContext;
    const response = request.response;
    if (response) response.headers = { ...response.headers, 'x-request-id': context.requestId };
    const status = response?.statusCode ?? 500;
    const durationMs = Math.round((performance.now() - (started.get(request.event) ?? performance.now())) * 100) / 100;
    const line = { method: request.event.requestContext.http.method, route: request.event.routeKey, status, durationMs };
    recordAnswer(status, durationMs);
    if (status >= 500) context.log.error(line, 'request failed');
    else if (isStreamingResult(response)) {
      // Logged when the headers go out (durationMs is the time to first byte); the stream's own
      // line follows when it ends, so the summary never waits for a stream that runs for minutes.
      context.log.info({ ...line, streamed: true }, 'request completed');
      (response as StreamingHttpResult).body = observeStream(response, context, performance.now());
    } else context.log.info(line, 'request completed');
  };
  return {
    before: (request) => {
      started.set(request.event, performance.now());
      const headers = request.event.headers ?? {};
      const context = request.context as PorticoContext;
      context.requestId = requestIdOf(headers, context);
      context.correlationId = correlationOf(headers, context.requestId);
      const traceparent = traceparentOf(headers);
      if (traceparent) context.traceparent = traceparent;
      context.log = logger.child({
        requestId: context.requestId,
        correlationId: context.correlationId,
        invocationId: context.awsRequestId,
        function: context.functionName,
      });
    },
    after: finish,
    onError: finish,
  };
}

/** Passes a streamed body through, logging one line when it ends: how long, how many bytes, and why. */
function observeStream(response: StreamingHttpResult, context: PorticoContext, startedAt: number): AsyncIterable<Uint8Array> {
  const body = response.body;
  return {
    [Symbol.asyncIterator]() {
      const inner = body[Symbol.asyncIterator]();
      let bytes = 0;
      let logged = false;
      const log = (outcome: 'completed' | 'cancelled' | 'failed', reason?: string) => {
        if (logged) return;
        logged = true;
        const durationMs = Math.round(performance.now() - startedAt);
        context.log.info({ stream: outcome, bytes, durationMs, ...(reason ? { reason } : {}) }, 'stream ended');
      };
      return {
        async next() {
          try {
            const step = await inner.next();
            if (step.done) log('completed');
            else bytes += step.value.byteLength;
            return step;
          } catch (error) {
            log('failed');
            throw error;
          }
        },
        async return(value?: unknown) {
          // A runtime cancels with a ServerShutdownError when it stops; otherwise the client left (middleware/sse.ts).
          log('cancelled', (value as { name?: unknown } | undefined)?.name === 'ServerShutdownError' ? 'server_shutdown' : 'client_closed');
          return (await inner.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}
