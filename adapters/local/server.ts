/**
 * The local host: serves every HTTP function at http://localhost:<port>/api/<route> and runs
 * non-HTTP functions on demand at POST /admin/functions/<name>, as Core Tools does, behind a
 * loopback-only door (door.ts). Requests
 * become real `HttpRequest` objects and go through the Azure adapter, so what works here works
 * on Azure.
 */
import azf from '@azure/functions';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { isHttp, type BlobTrigger, type FunctionDef, type QueueTrigger, type TimerTrigger } from '../../kernel/functions.ts';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../middleware/logger.ts';
import { problemResponse, toAppError } from '../../middleware/problem-errors.ts';
import { parseJsonStrictly } from '../../middleware/json-body.ts';
import { ServerShutdownError } from '../../middleware/sse.ts';
import { createInvoker, type Invoker } from './invoke.ts';
import { checkDoor } from './door.ts';
import { createRouter } from './router.ts';
import { drained } from '../http-mapping.ts';

export interface LocalHostOptions {
  table: readonly FunctionDef[];
  port: number;
  host?: string;
  logger: Logger;
  maxBodyBytes: number;
  /** Runs the functions; default: only inline (`load`) definitions, as tests build them. */
  invoker?: Invoker;
}

/** Node joins repeated headers for us, except set-cookie; join like the Functions host does. */
function requestHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]}${name === 'cookie' ? '; ' : ', '}${value}` : value;
  }
  return headers;
}

/** Reads a body, giving up past `limit` bytes so a huge upload is never buffered. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The on-demand body is `{ "input": ... }`, as Core Tools takes it; anything else is a 400. */
function onDemandInput(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const parsed = parseJsonStrictly(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError(400, 'validation_failed', 'Send a JSON object such as {"input": "..."}.');
  }
  return (parsed as { input?: unknown }).input;
}

function serializeCookie(cookie: azf.Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}

/**
 * Writes a response as it is produced: each chunk of a streamed body (Server-Sent Events) is
 * written, and so flushed, as it comes, with backpressure. When the client goes away first, the
 * body is cancelled, which aborts the handler's producer (the `signal` of `sseResponse`).
 */
async function writeResponse(res: ServerResponse, response: InstanceType<typeof azf.HttpResponse>, streams: Set<(reason?: unknown) => void>): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies.map(serializeCookie));
  if (response.body) {
    const reader = response.body.getReader();
    const cancel = (reason?: unknown) => void reader.cancel(reason).catch(() => undefined);
    const onClose = () => {
      if (!res.writableFinished) cancel();
    };
    res.once('close', onClose);
    streams.add(cancel);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || res.destroyed) break;
        if (!res.write(value)) await drained(res);
      }
    } finally {
      streams.delete(cancel);
      res.off('close', onClose);
      reader.releaseLock();
    }
  }
  if (!res.destroyed) res.end();
}

function sendProblem(res: ServerResponse, error: AppError, path: string): void {
  const problem = problemResponse(error, randomUUID(), path);
  res.writeHead(problem.statusCode ?? 500, problem.headers as Record<string, string>).end(problem.body);
}

export function createLocalHost(options: LocalHostOptions) {
  const { table, logger } = options;
  const invoker = options.invoker ?? createInvoker();
  const route = createRouter(table.filter(isHttp));
  const byName = new Map(table.map((def) => [def.name, def]));
  /** Cancels each response body being written, so a shutdown does not wait out open streams. */
  const openStreams = new Set<(reason?: unknown) => void>();

  async function runOnDemand(name: string, input: unknown): Promise<void> {
    const def = byName.get(name);
    if (!def) throw new AppError(404, 'function_not_found', `No function is named "${name}".`);
    const text = typeof input === 'string' ? input : input === undefined ? '' : JSON.stringify(input);
    switch (def.trigger.kind) {
      case 'http':
        throw new AppError(400, 'http_function', `"${name}" is an HTTP function; call its route instead.`);
      case 'queue':
        return invoker.queue(def as FunctionDef<QueueTrigger>, { id: randomUUID(), text, dequeueCount: 1 });
      case 'timer':
        return invoker.timer(def as FunctionDef<TimerTrigger>, { isPastDue: false, schedule: { adjustForDST: false } } as azf.Timer);
      case 'blob': {
        const path = text || def.trigger.path;
        if (!/^[^/]+\/.+/.test(path)) throw new AppError(400, 'validation_failed', 'A blob input is a path like "container/name".');
        return invoker.blob(def as FunctionDef<BlobTrigger>, path, Buffer.alloc(0));
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    // Checked before the Host is used to build the URL.
    checkDoor(req, new URL(req.url ?? '/', 'http://localhost').pathname);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const admin = /^\/admin\/functions\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (admin && method === 'POST') {
      const body = await readBody(req, options.maxBodyBytes);
      if (body === 'too-large') throw new AppError(413, 'body_too_large', `The request body is larger than ${options.maxBodyBytes} bytes.`);
      const input = onDemandInput(body);
      const invocationStarted = performance.now();
      try {
        await runOnDemand(admin[1]!, input);
        res.writeHead(202, { 'content-type': 'application/json' }).end(
          JSON.stringify({ function: admin[1], status: 'succeeded', durationMs: Math.round(performance.now() - invocationStarted) }),
        );
      } catch (error) {
        if (error instanceof AppError) throw error;
        logger.warn({ function: admin[1], err: error }, 'on-demand invocation failed');
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ function: admin[1], status: 'failed' }));
      }
      return;
    }
    const match = route(method, url.pathname);
    if (match.kind === 'not-found') throw new AppError(404, 'route_not_found', `No function serves ${url.pathname}.`);
    if (match.kind === 'method-not-allowed') {
      throw new AppError(405, 'method_not_allowed', `${method} is not allowed here.`, { headers: { allow: match.allowed.join(', ') } });
    }
    // A little slack past the limit, so the middleware's own 413 (with CORS headers) answers.
    const limit = match.def.trigger.maxBodyBytes ?? options.maxBodyBytes;
    const body = await readBody(req, limit + 1024);
    if (body === 'too-large') throw new AppError(413, 'body_too_large', `The request body is larger than ${limit} bytes.`);
    const headers = requestHeaders(req);
    // Like Azure's front end, record the peer address where the adapter looks for it.
    const peer = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${peer}` : peer;
    const request = new azf.HttpRequest({
      method,
      url: url.toString(),
      headers,
      params: match.params,
      ...(body.length > 0 ? { body: { bytes: body } } : {}),
    });
    await writeResponse(res, await invoker.http(match.def, request), openStreams);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that left mid-request is not our fault and needs no operator: info, with a stable reason.
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        logger.info({ reason: 'client_closed', method: req.method, path: req.url?.split('?')[0] }, 'the client went away before the answer');
        res.destroy();
        return;
      }
      const appError = toAppError(error);
      if (appError.status >= 500) logger.error({ err: error }, 'local host failed to serve a request');
      if (res.headersSent) res.destroy();
      else sendProblem(res, appError, req.url ?? '/');
    });
  });
  server.keepAliveTimeout = 5000;

  return {
    server,
    async listen(): Promise<string> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host ?? '127.0.0.1', resolve);
      });
      const { port } = server.address() as AddressInfo;
      return `http://localhost:${port}`;
    },
    async close(): Promise<void> {
      // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // An event stream may run for minutes: end it now (its producer is aborted) rather than wait.
      for (const cancel of openStreams) cancel(new ServerShutdownError());
      await closed;
    },
  };
}

export type LocalHost = ReturnType<typeof createLocalHost>;
