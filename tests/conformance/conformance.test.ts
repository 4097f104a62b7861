import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import azf from '@azure/functions';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../../app/define.ts';
import { loadHandler } from '../../app/load-handler.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';
import { cases, normalize, ORIGIN, type ConformanceCase, type Observed } from './cases.ts';

process.env.CORS_ALLOWED_ORIGINS = ORIGIN;
delete process.env.AzureWebJobsStorage;

let table: readonly FunctionDef[];
let host: { listen(): Promise<string>; close(): Promise<void> };
let baseUrl: string;

beforeAll(async () => {
  ({ functions: table } = await import('../../app/functions.ts'));
  const { createLocalHost } = await import('../../adapters/local/server.ts');
  const { createLogger } = await import('../../middleware/logger.ts');
  host = createLocalHost({ table, port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 1024 * 1024 });
  baseUrl = await host.listen();
});
afterAll(() => host.close());

const defOf = (name: string) => table.find((def) => def.name === name) as FunctionDef<HttpTrigger>;
const bodyOf = (text: string) => (text ? (JSON.parse(text) as unknown) : null);

const callers: Record<string, (c: ConformanceCase) => Promise<Observed>> = {
  async lambda(c) {
    const def = defOf(c.function);
    const handler = (await loadHandler(def)()) as HttpLambda;
    const binary = Buffer.isBuffer(c.body);
    const result = (await handler(
      httpEvent({
        method: c.method,
        path: c.path,
        routeKey: `${def.trigger.method} /api/${def.trigger.route}`,
        headers: c.headers ?? {},
        ...(c.query ? { query: c.query } : {}),
        ...(c.body !== undefined ? { body: binary ? (c.body as Buffer).toString('base64') : (c.body as string) } : {}),
        isBase64Encoded: binary,
      }),
      lambdaContext(def.name),
    )) as APIGatewayProxyStructuredResultV2;
    const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    return { status: result.statusCode ?? 200, headers, body: bodyOf(result.body ?? '') };
  },
  async azure(c) {
    const { azureHttpHandler } = await import('../../adapters/azure/http.ts');
    const def = defOf(c.function);
    const request = new azf.HttpRequest({
      method: c.method,
      url: `https://portico.azurewebsites.net${c.path}${c.query ? `?${c.query}` : ''}`,
      headers: c.headers ?? {},
      ...(c.body !== undefined ? { body: Buffer.isBuffer(c.body) ? { bytes: c.body } : { string: c.body } } : {}),
    });
    const response = await azureHttpHandler(def)(request, new azf.InvocationContext({ invocationId: randomUUID(), functionName: def.name }));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: bodyOf(await response.text()) };
  },
  async local(c) {
    const response = await fetch(`${baseUrl}${c.path}${c.query ? `?${c.query}` : ''}`, {
      method: c.method,
      headers: c.headers ?? {},
      ...(c.body !== undefined ? { body: c.body } : {}),
    });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: bodyOf(await response.text()) };
  },
};

describe.each(cases)('conformance: $name', (c) => {
  it('gives the same observable result through every caller', async () => {
    const results = Object.fromEntries(await Promise.all(Object.entries(callers).map(async ([name, call]) => [name, normalize(await call(c))] as const)));
    expect(results.azure).toEqual(results.lambda);
    expect(results.local).toEqual(results.lambda);
    expect(results.lambda!.status).toBeLessThan(500);
  });
});
