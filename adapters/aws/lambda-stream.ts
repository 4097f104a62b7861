/**
 * Lambda response streaming for the table's `stream: true` routes. The Lambda bundle of such a
 * function exports `streamingLambda(handler, route)` in place of the handler (see
 * esbuild-plugins.ts), so the handler itself is the same module every runtime runs.
 *
 * Streaming runs behind a function URL in RESPONSE_STREAM mode (API Gateway HTTP APIs buffer).
 * The Node.js runtime provides the `awslambda` global: `streamifyResponse(fn)` marks `fn` to be
 * called as `fn(event, responseStream, context)`, and `HttpResponseStream.from(stream, metadata)`
 * writes the status, headers and cookies before the first body byte. Each SSE frame is written
 * as it is produced; when the client goes away the response stream closes, and the producer is
 * aborted. A function URL does no routing, so the route's path parameters are matched here.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Writable } from 'node:stream';
import type { FunctionDef, HttpLambda, HttpMethod, HttpTrigger } from '../../kernel/functions.ts';
import { AppError } from '../../domain/errors.ts';
import { problemResponse, toAppError } from '../../middleware/problem-errors.ts';
import { isStreamingResult, type StreamingHttpResult } from '../../middleware/sse.ts';
import { pipeChunks, resultParts, type ResponseMetadata } from '../http-mapping.ts';
import { createRouter } from '../local/router.ts';

export type { ResponseMetadata };

/** What the Lambda Node.js runtime's `awslambda` global offers for response streaming. */
export interface AwsLambdaStreaming {
  streamifyResponse<E, C>(handler: (event: E, responseStream: Writable, context: C) => Promise<void>): unknown;
  HttpResponseStream: { from(responseStream: Writable, metadata: ResponseMetadata): Writable };
}

/** The route a streaming function serves, as the table declares it. */
export interface StreamRoute {
  name: string;
  method: HttpMethod;
  route: string;
}

function runtimeGlobal(): AwsLambdaStreaming {
  const runtime = (globalThis as unknown as { awslambda?: AwsLambdaStreaming }).awslambda;
  if (!runtime) throw new Error('Response streaming needs the Lambda Node.js runtime (its `awslambda` global).');
  return runtime;
}

type AnyResult = Awaited<ReturnType<HttpLambda>> | StreamingHttpResult | APIGatewayProxyResultV2;

/** The handler as Lambda invokes a function in RESPONSE_STREAM mode. */
export function streamingLambda(handler: HttpLambda, route: StreamRoute, runtime: AwsLambdaStreaming = runtimeGlobal()): unknown {
  const match = createRouter([{ name: route.name, trigger: { kind: 'http', method: route.method, route: route.route } } as FunctionDef<HttpTrigger>]);
  const routeKey = `${route.method} /api/${route.route}`;

  async function respond(event: APIGatewayProxyEventV2, context: Context): Promise<AnyResult> {
    const found = match(event.requestContext.http.method, event.rawPath);
    // A function URL answers every path; only the route's own may reach the handler.
    if (found.kind === 'not-found') return problemResponse(new AppError(404, 'route_not_found', `No function serves ${event.rawPath}.`), context.awsRequestId, event.rawPath);
    if (found.kind === 'method-not-allowed') {
      const error = new AppError(405, 'method_not_allowed', `${event.requestContext.http.method} is not allowed here.`, { headers: { allow: found.allowed.join(', ') } });
      return problemResponse(error, context.awsRequestId, event.rawPath);
    }
    const params = Object.keys(found.params).length > 0 ? found.params : undefined;
    // A function URL's event says `$default`; the handler sees the route as API Gateway would name it.
    const routed: APIGatewayProxyEventV2 = { ...event, routeKey, requestContext: { ...event.requestContext, routeKey }, ...(params ? { pathParameters: params } : {}) };
    try {
      return (await handler(routed, context)) as AnyResult;
    } catch (error) {
      // The stack renders its own errors; this only catches one that escaped it.
      return problemResponse(toAppError(error), context.awsRequestId, event.rawPath);
    }
  }

  async function streamed(event: APIGatewayProxyEventV2, responseStream: Writable | Context, context?: Context): Promise<unknown> {
    // serverless-offline marks the function streaming but calls it as (event, context): answer buffered.
    if (!context || typeof (responseStream as Partial<Writable>).write !== 'function') {
      return buffered(await respond(event, responseStream as Context));
    }
    await writeResult(runtime, responseStream as Writable, await respond(event, context));
    return undefined;
  }
  return runtime.streamifyResponse(streamed as (event: APIGatewayProxyEventV2, responseStream: Writable, context: Context) => Promise<void>);
}

async function writeResult(runtime: AwsLambdaStreaming, responseStream: Writable, result: AnyResult): Promise<void> {
  const { metadata, body } = resultParts(result);
  const stream = runtime.HttpResponseStream.from(responseStream, metadata);
  if (body === undefined || Buffer.isBuffer(body)) {
    if (body?.length) stream.write(body);
    return end(stream);
  }
  if (await pipeChunks(body, stream)) await end(stream);
}

function end(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The whole result at once, for callers that cannot stream (serverless-offline). */
async function buffered(result: AnyResult): Promise<APIGatewayProxyResultV2> {
  if (!isStreamingResult(result)) return result as APIGatewayProxyResultV2;
  const chunks: Uint8Array[] = [];
  for await (const chunk of result.body) chunks.push(chunk);
  return { ...result, body: utf8.decode(Buffer.concat(chunks)) };
}
