/**
 * Cloud Run functions (the Functions Framework's Express request and response) <-> API Gateway
 * HTTP API (payload 2.0). The same rules as the Azure adapter and API Gateway: repeated headers
 * joined, cookies in `cookies` and out as Set-Cookie lines, the raw query string with repeated
 * keys joined by commas, text bodies as text and anything else as base64, and a streamed body
 * (Server-Sent Events) written chunk by chunk as the handler produces it.
 *
 * A function answers only its own routes: deployed, each HTTP function has a URL of its own that
 * takes any path, as a Lambda function URL does; `npm run start:gcp` serves the whole table
 * through one such handler.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import { problemResponse, toAppError } from '../../middleware/problem-errors.ts';
import { clientAddress, eventBody, pipeChunks, queryParameters, resultParts, splitCookieHeader, type AnyHttpResult } from '../http-mapping.ts';
import { createRouter } from '../local/router.ts';
import { hostSettings, type HostSettings } from '../azure/host-settings.ts';
import { gcpContext } from './context.ts';

/** Names lower-cased, repeated values joined by ", " (cookies by "; "), as Node and the Functions host join them. */
function requestHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]}${name === 'cookie' ? '; ' : ', '}${value}` : value;
  }
  return headers;
}

/**
 * The request's bytes. The framework's body parsers keep them in `rawBody`; a body they did not
 * parse (no content type) is still in the stream.
 */
async function requestBytes(req: Request): Promise<Buffer> {
  if (req.rawBody) return req.rawBody;
  if (req.readableEnded || (req as { _body?: boolean })._body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The framework's execution id (or Cloud Run's `Function-Execution-Id`), so platform logs and
 * Portico's agree. The framework sets `executionId` only after its body parsers, so a body they
 * refused (framework-errors.ts) arrives without it; the header is read directly then.
 */
export const executionIdOf = (req: Request): string => req.executionId ?? req.get('function-execution-id') ?? randomUUID();

export async function toHttpEvent(
  req: Request,
  trigger: HttpTrigger,
  params: Record<string, string>,
  requestId: string,
  routePrefix = 'api',
): Promise<APIGatewayProxyEventV2> {
  // `originalUrl`, not Express's parsed `req.query`: the query keeps its raw form and repeated keys.
  const url = new URL(req.originalUrl, 'http://function');
  const all = requestHeaders(req.rawHeaders);
  const { cookie, ...headers } = all;
  // The framework's body parsers inflate gzip, deflate and br bodies before keeping them in
  // `rawBody`: the handler gets the inflated bytes, so no header may still describe the wire form.
  if (req.rawBody && headers['content-encoding'] !== undefined) {
    delete headers['content-encoding'];
    headers['content-length'] = String(req.rawBody.length);
  }
  const cookies = splitCookieHeader(cookie);
  const host = headers.host ?? 'localhost';
  const now = new Date();
  const routeKey = `${trigger.method} /${routePrefix}/${trigger.route}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    queryStringParameters: queryParameters(url.searchParams),
    pathParameters: Object.keys(params).length > 0 ? params : undefined,
    requestContext: {
      accountId: 'gcp',
      apiId: 'portico',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: req.method.toUpperCase(),
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        // Google's front end appends the caller to X-Forwarded-For; without one (start:gcp) the peer is the caller.
        sourceIp: clientAddress(headers['x-forwarded-for']) || (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...eventBody(await requestBytes(req), headers['content-type'] ?? null),
  };
}

/** Writes a Lambda result: status, headers and cookies first, then the body, streamed when it is a stream. */
export async function writeResult(res: Response, result: AnyHttpResult): Promise<void> {
  const { metadata, body } = resultParts(result);
  res.statusCode = metadata.statusCode;
  for (const [name, value] of Object.entries(metadata.headers)) res.setHeader(name, value);
  if (metadata.cookies) res.setHeader('set-cookie', metadata.cookies);
  if (body === undefined || Buffer.isBuffer(body)) {
    res.end(body);
    return;
  }
  res.flushHeaders();
  if (await pipeChunks(body, res)) res.end();
}

export interface GcpHttpOptions {
  /** host.json's settings, read once by the caller (registration reads them for every function). */
  host?: HostSettings;
  /** The composition root's binder: the function's handler, built once on first use. */
  handlerOf(def: FunctionDef<HttpTrigger>): Promise<HttpLambda>;
  logger?: Logger;
  routePrefix?: string;
}

/**
 * The Functions Framework HTTP function serving `defs`: one (a deployed function) or the whole
 * table (`npm run start:gcp`). A path no function serves is a 404 problem, a known path with
 * another method a 405 with Allow, as on the other hosts.
 */
export function gcpHttpFunction(defs: readonly FunctionDef<HttpTrigger>[], options: GcpHttpOptions) {
  const route = createRouter(defs, options.routePrefix);
  const host = options.host ?? hostSettings();
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = executionIdOf(req);
    const path = new URL(req.originalUrl, 'http://function').pathname;
    let result: AnyHttpResult;
    try {
      const match = route(req.method, path);
      if (match.kind === 'not-found') throw new AppError(404, 'route_not_found', `No function serves ${path}.`);
      if (match.kind === 'method-not-allowed') {
        throw new AppError(405, 'method_not_allowed', `${req.method} is not allowed here.`, { headers: { allow: match.allowed.join(', ') } });
      }
      const event = await toHttpEvent(req, match.def.trigger, match.params, requestId, options.routePrefix);
      const handler = await options.handlerOf(match.def);
      result = (await handler(event, gcpContext(match.def, host, requestId, { req }))) as AnyHttpResult;
    } catch (error) {
      if (req.socket.destroyed) {
        // The client went away (mid-upload, the body half read): not a fault, and no one to answer.
        options.logger?.info({ reason: 'client_closed', requestId, method: req.method, path }, 'the client went away before the answer');
        return;
      }
      // The middleware stack renders its own errors; this catches a route miss or an error that escaped it.
      const appError = toAppError(error);
      if (appError.status >= 500) options.logger?.error({ err: error, requestId }, 'an HTTP function failed outside its middleware');
      result = problemResponse(appError, requestId, path);
    }
    try {
      await writeResult(res, result);
    } catch (error) {
      // A result Node refuses to write (a header value with a line break, a status out of range)
      // would reach the framework's crash handler: a stack on stderr and its own body. A 500
      // problem instead, as the local host answers, with nothing of the result.
      options.logger?.error({ err: error, requestId }, 'an HTTP function returned a result that could not be written');
      if (res.headersSent) return void res.destroy();
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      await writeResult(res, problemResponse(toAppError(error), requestId, path));
    }
  };
}
