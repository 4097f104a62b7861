/**
 * The callers of the conformance suite: one interface, one implementation per runtime. Adding a
 * runtime means adding one caller here and listing it in `httpCallers`.
 */
import azf from '@azure/functions';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isHttp, type AnyHandler, type FunctionDef, type HttpLambda, type HttpResult, type HttpTrigger } from '../../kernel/functions.ts';
import type { StreamingHttpResult } from '../../middleware/sse.ts';
import { eventBody } from '../../adapters/http-mapping.ts';
import { createRouter } from '../../adapters/local/router.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';
import { startServerlessOffline, type ServerlessOffline } from '../support/serverless-offline.ts';
import type { CallerName, HttpCase } from './cases.ts';
import { cookieOut, cookiesFromHeaders, observed, type Observed } from './observed.ts';

/** The app under test: its function table and the composition root's `bind` (app/app.ts). */
export interface ConformanceApp {
  functions: readonly FunctionDef[];
  bind(def: FunctionDef): Promise<AnyHandler>;
}

export interface HttpCaller {
  name: CallerName;
  /** Why this caller cannot run here, or undefined when it can. */
  unavailable?(): string | undefined;
  /** `functions`: the names the cases call; `env`: the configuration every runtime gets. */
  start?(setup: { app: ConformanceApp; functions: readonly string[]; env: Record<string, string> }): Promise<void>;
  stop?(): Promise<void>;
  call(c: HttpCase, app: ConformanceApp): Promise<Observed>;
}

const defOf = (table: readonly FunctionDef[], name: string) => {
  const def = table.find((candidate) => candidate.name === name);
  if (!def || !isHttp(def)) throw new Error(`no HTTP function named ${name}`);
  return def;
};

/** Path parameters as the platform's router hands them over: decoded (the raw form stays in rawPath). */
function pathParameters(table: readonly FunctionDef[], c: HttpCase): Record<string, string> {
  const match = createRouter(table.filter(isHttp))(c.method, c.path);
  if (match.kind !== 'found') throw new Error(`${c.method} ${c.path} matches no route`);
  return match.params;
}

const bodyBytes = (body: HttpCase['body']) => (body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
const headerValue = (c: HttpCase, name: string) => c.headers?.find(([key]) => key.toLowerCase() === name)?.[1] ?? null;

/** Reads a streamed (SSE) or plain Lambda body to bytes. */
async function resultBytes(body: unknown, base64: boolean | undefined): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body, base64 ? 'base64' : 'utf8');
  if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  return Buffer.alloc(0);
}

/**
 * The event API Gateway (HTTP API, payload 2.0) would send for the case: names lower-cased,
 * repeated headers joined with commas, cookie headers moved to `cookies`, path parameters decoded.
 * A streaming route is served by a function URL, whose events name the route `$default`.
 */
function apiGatewayEvent(c: HttpCase, table: readonly FunctionDef[]): APIGatewayProxyEventV2 {
  const def = defOf(table, c.function);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [rawName, value] of c.headers ?? []) {
    const name = rawName.toLowerCase();
    if (name === 'cookie') cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter(Boolean));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const params = pathParameters(table, c);
  const routeKey = def.trigger.stream ? '$default' : `${def.trigger.method} /api/${def.trigger.route}`;
  const event = httpEvent({ method: c.method, path: c.path, routeKey, headers, ...(c.query ? { query: c.query } : {}) });
  return {
    ...event,
    requestContext: { ...event.requestContext, routeKey },
    ...(cookies.length > 0 ? { cookies } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    ...eventBody(bodyBytes(c.body), headerValue(c, 'content-type')),
  };
}

/** A Lambda result (structured, plain, or streamed) as a client would observe it. */
async function observeResult(result: HttpResult | StreamingHttpResult): Promise<Observed> {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]));
  return observed(result.statusCode ?? 200, headers, cookiesFromHeaders(result.cookies ?? []), await resultBytes(result.body, (result as HttpResult).isBase64Encoded));
}

/** (a) The handler called directly with the event API Gateway would send. */
export const lambdaCaller: HttpCaller = {
  name: 'lambda',
  async call(c, app) {
    const def = defOf(app.functions, c.function);
    const handler = (await app.bind(def)) as HttpLambda;
    return observeResult(await handler(apiGatewayEvent(c, app.functions), lambdaContext(def.name)));
  },
};

/** (b) The Azure adapter with real @azure/functions objects, as the Functions host builds them. */
export const azureCaller: HttpCaller = {
  name: 'azure',
  async call(c, app) {
    const { azureHttpHandler } = await import('../../adapters/azure/http.ts');
    const def = defOf(app.functions, c.function);
    // The host joins repeated headers with ", " (cookies with "; ") before the worker sees them.
    const headers: Record<string, string> = {};
    for (const [rawName, value] of c.headers ?? []) {
      const name = rawName.toLowerCase();
      headers[name] = name in headers ? `${headers[name]}${name === 'cookie' ? '; ' : ', '}${value}` : value;
    }
    const bytes = bodyBytes(c.body);
    const request = new azf.HttpRequest({
      method: c.method,
      url: `https://portico.azurewebsites.net${c.path}${c.query ? `?${c.query}` : ''}`,
      headers,
      params: pathParameters(app.functions, c),
      ...(bytes.length > 0 ? { body: { bytes } } : {}),
    });
    const response = await azureHttpHandler(def as FunctionDef<HttpTrigger>, () => app.bind(def) as Promise<HttpLambda>)(request, new azf.InvocationContext({ invocationId: randomUUID(), functionName: def.name }));
    return observed(response.status, Object.fromEntries(response.headers), response.cookies.map(cookieOut), new Uint8Array(await response.arrayBuffer()));
  },
};

/** A request over real HTTP, headers exactly as listed (a repeated name goes out repeated). */
function overHttp(baseUrl: string, c: HttpCase): Promise<Observed> {
  const body = bodyBytes(c.body);
  const url = new URL(`${baseUrl}${c.path}${c.query ? `?${c.query}` : ''}`);
  // Node adds no default headers to a raw header list, not even Host.
  const raw = ['host', url.host, ...(c.headers ?? []).flatMap(([name, value]) => [name, value])];
  if (c.body !== undefined) raw.push('content-length', String(body.length));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: c.method, headers: raw }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (name !== 'set-cookie' && value !== undefined) headers[name] = String(value);
        resolve(observed(res.statusCode ?? 0, headers, cookiesFromHeaders(res.headers['set-cookie'] ?? []), Buffer.concat(chunks)));
      });
    });
    req.on('error', reject);
    req.end(body.length > 0 ? body : undefined);
  });
}

/** (c) The local host (`npm start`) over real HTTP. */
export function localCaller(): HttpCaller {
  let host: { listen(): Promise<string>; close(): Promise<void> } | undefined;
  let baseUrl = '';
  return {
    name: 'local',
    async start({ app }) {
      const { createLocalHost } = await import('../../adapters/local/server.ts');
      const { createInvoker } = await import('../../adapters/local/invoke.ts');
      const { createLogger } = await import('../../middleware/logger.ts');
      host = createLocalHost({ table: app.functions, port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 1024 * 1024, invoker: createInvoker(app.bind) });
      baseUrl = await host.listen();
    },
    stop: async () => host?.close(),
    call: (c) => overHttp(baseUrl, c),
  };
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** (d) serverless-offline serving the packaged (esbuild-bundled) AWS functions over real HTTP. */
export function offlineCaller(): HttpCaller {
  let offline: ServerlessOffline | undefined;
  return {
    name: 'offline',
    unavailable() {
      const missing = ['osls', 'serverless-offline', 'serverless-esbuild'].filter((name) => !existsSync(`${root}node_modules/${name}/package.json`));
      return missing.length > 0 ? `${missing.join(', ')} not installed (npm install installs them)` : undefined;
    },
    async start({ app, functions, env }) {
      offline = await startServerlessOffline(app.functions.filter((def) => functions.includes(def.name)), env);
    },
    stop: async () => offline?.stop(),
    async call(c, app) {
      if (!defOf(app.functions, c.function).trigger.stream) return overHttp(offline!.baseUrl, c);
      // serverless-offline 14 serves no function URLs, which is how AWS streams. Its Lambda Invoke API
      // runs the same packaged bundle (RESPONSE_STREAM wrapper included, answered buffered).
      const response = await fetch(`${offline!.lambdaUrl}/2015-03-31/functions/${offline!.functionName(c.function)}/invocations`, {
        method: 'POST',
        body: JSON.stringify(apiGatewayEvent(c, app.functions)),
      });
      if (!response.ok) throw new Error(`serverless-offline could not invoke ${c.function}: ${response.status} ${await response.text()}`);
      return observeResult((await response.json()) as HttpResult);
    },
  };
}

/**
 * (e) Google's Functions Framework serving the table's `portico` target (adapters/gcp/) over real
 * HTTP, through its own Express server and body parsers, as Cloud Run functions runs it.
 */
export function gcpCaller(): HttpCaller {
  let server: Server | undefined;
  let baseUrl = '';
  return {
    name: 'gcp',
    async start({ app }) {
      const functionsFramework = await import('@google-cloud/functions-framework');
      const { getTestServer } = await import('@google-cloud/functions-framework/testing');
      const { registerGcpFunctions } = await import('../../adapters/gcp/register.ts');
      const { HTTP_TARGET } = await import('../../adapters/gcp/names.ts');
      registerGcpFunctions(functionsFramework, app);
      server = getTestServer(HTTP_TARGET);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    call: (c) => overHttp(baseUrl, c),
  };
}

export const httpCallers = (): HttpCaller[] => [lambdaCaller, azureCaller, localCaller(), offlineCaller(), gcpCaller()];
