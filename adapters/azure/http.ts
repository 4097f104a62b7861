/**
 * Azure HTTP trigger <-> API Gateway HTTP API (payload 2.0). The local host goes through this
 * same code, so the two can never disagree about headers, cookies, query strings or bodies.
 */
import azf, { type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import { clientAddress, eventBody, parseSetCookie, queryParameters, splitCookieHeader } from '../http-mapping.ts';
import { lambdaContext } from './context.ts';
import { hostSettings } from './host-settings.ts';
import { isStreamingResult, type StreamingHttpResult } from '../../middleware/sse.ts';

export { clientAddress };

export async function toHttpEvent(
  request: HttpRequest,
  trigger: HttpTrigger,
  invocation: InvocationContext,
  routePrefix = 'api',
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  // Headers iterate lower-cased, with repeated values already joined by ", ".
  for (const [name, value] of request.headers) if (name !== 'cookie') headers[name] = value;
  const now = new Date();
  const params = Object.fromEntries(Object.entries(request.params ?? {}).filter(([, value]) => value !== undefined));
  const cookies = splitCookieHeader(request.headers.get('cookie'));
  return {
    version: '2.0',
    routeKey: `${trigger.method} /${routePrefix}/${trigger.route}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    queryStringParameters: queryParameters(request.query),
    pathParameters: Object.keys(params).length > 0 ? params : undefined,
    requestContext: {
      accountId: 'azure',
      apiId: 'portico',
      domainName: url.hostname,
      domainPrefix: url.hostname.split('.')[0] ?? url.hostname,
      http: {
        method: request.method.toUpperCase(),
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: clientAddress(headers['x-forwarded-for']),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: invocation.invocationId,
      routeKey: `${trigger.method} /${routePrefix}/${trigger.route}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...eventBody(new Uint8Array(await request.arrayBuffer()), request.headers.get('content-type')),
  };
}

/**
 * Lambda's result rules: a structured result is used as is; anything else is a 200 JSON body.
 * A streamed body (`sseResponse`) becomes a ReadableStream that the Functions host pulls chunk by
 * chunk (HTTP streams, `enableHttpStream`); cancelling it (the local host does when its client
 * goes away) returns the handler's iterator, which aborts the producer.
 */
export function toHttpResponse(result: APIGatewayProxyResultV2 | StreamingHttpResult): HttpResponseInit {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const body = isStreamingResult(result)
    ? ReadableStream.from(result.body)
    : result.body === undefined
      ? undefined
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : result.body;
  return {
    status: result.statusCode ?? 200,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(result.cookies?.length ? { cookies: result.cookies.map(parseSetCookie) } : {}),
  };
}

export function azureHttpHandler(def: FunctionDef<HttpTrigger>, handler: () => Promise<HttpLambda>) {
  const settings = hostSettings();
  return async (request: HttpRequest, invocation: InvocationContext): Promise<InstanceType<typeof azf.HttpResponse>> => {
    const event = await toHttpEvent(request, def.trigger, invocation, settings.routePrefix);
    const context = lambdaContext(invocation, settings.httpTimeoutMs, { request, invocation });
    const result = await (await handler())(event, context);
    return new azf.HttpResponse(toHttpResponse(result));
  };
}
