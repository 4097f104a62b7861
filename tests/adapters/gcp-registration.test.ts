/**
 * What the Functions Framework is told (adapters/gcp/register.ts, main.ts): every table function
 * under its own name with the right signature, the two targets `npm run start:gcp` serves, handlers
 * bound on first use, and what an event function's instance answers to a body it cannot parse.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as functionsFramework from '@google-cloud/functions-framework';
import { getFunction, getTestServer } from '@google-cloud/functions-framework/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { functions } from '../../app/functions.ts';
import { EVENTS_TARGET, HTTP_TARGET } from '../../adapters/gcp/names.ts';
import { registerGcpFunctions } from '../../adapters/gcp/register.ts';
import { bindInline } from '../../adapters/local/invoke.ts';
import { defineFunction, isHttp, type AnyHandler, type FunctionDef, type HttpLambda } from '../../kernel/functions.ts';
import { fixtureFunctions, fixtureQueue, received, resetReceived } from '../support/fixture-functions.ts';

/** The framework's own rule for a function name (function_registry.js); it throws on any other. */
const FRAMEWORK_NAME = /^[A-Za-z](?:[-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/** A registry that records what is registered, with which signature. */
function recordingRegistry() {
  const seen = new Map<string, 'http' | 'cloudevent'>();
  const registry = {
    http: (name: string) => void seen.set(name, 'http'),
    cloudEvent: (name: string) => void seen.set(name, 'cloudevent'),
  } as unknown as Parameters<typeof registerGcpFunctions>[0];
  return { registry, seen };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))));
afterEach(() => void jest.restoreAllMocks());

describe('registration of the function table with the Functions Framework', () => {
  const cloudTable = functions.filter((def) => !def.localOnly);

  it('the table has local-only functions, so leaving them out is observable', () => {
    expect(functions.some((def) => def.localOnly)).toBe(true);
  });

  it('registers every table function under its own, framework-valid name: HTTP ones as http, the rest as cloudevent', () => {
    const { registry, seen } = recordingRegistry();
    const bound: string[] = [];
    registerGcpFunctions(registry, { functions, bind: async (def) => (bound.push(def.name), bindInline(def)) });
    for (const def of cloudTable) {
      expect(def.name).toMatch(FRAMEWORK_NAME);
      expect([def.name, seen.get(def.name)]).toEqual([def.name, isHttp(def) ? 'http' : 'cloudevent']);
    }
    expect([...seen.keys()].sort()).toEqual([...cloudTable.map((def) => def.name), HTTP_TARGET, EVENTS_TARGET].sort());
    expect(seen.get(HTTP_TARGET)).toBe('http');
    expect(seen.get(EVENTS_TARGET)).toBe('cloudevent');
    // Handlers are built on first use, not at registration.
    expect(bound).toEqual([]);
  });

  it('leaves local-only functions out unless asked, and registers them when asked', () => {
    const localOnly = functions.filter((def) => def.localOnly).map((def) => def.name);
    const without = recordingRegistry();
    registerGcpFunctions(without.registry, { functions, bind: bindInline });
    for (const name of localOnly) expect(without.seen.has(name)).toBe(false);
    const withThem = recordingRegistry();
    registerGcpFunctions(withThem.registry, { functions, bind: bindInline }, { includeLocalOnly: true });
    for (const name of localOnly) expect(withThem.seen.has(name)).toBe(true);
  });

  it('the two targets are valid framework names, and differ from every function name', () => {
    expect(HTTP_TARGET).toMatch(FRAMEWORK_NAME);
    expect(EVENTS_TARGET).toMatch(FRAMEWORK_NAME);
    expect(functions.map((def) => def.name)).not.toContain(HTTP_TARGET);
    expect(functions.map((def) => def.name)).not.toContain(EVENTS_TARGET);
  });
});

describe('the deployed entry point (adapters/gcp/main.ts) with the real framework', () => {
  let health = '';
  beforeAll(async () => {
    await import('../../adapters/gcp/main.ts');
    for (const def of functions.filter((candidate) => !candidate.localOnly)) expect(getFunction(def.name)).toBeDefined();
    const server = getTestServer('health');
    servers.push(server);
    health = await listen(server);
  });

  it('registers every cloud function and both targets with the framework itself', () => {
    expect(getFunction(HTTP_TARGET)).toBeDefined();
    expect(getFunction(EVENTS_TARGET)).toBeDefined();
    for (const def of functions.filter((candidate) => candidate.localOnly)) expect(getFunction(def.name)).toBeUndefined();
  });

  it('serves a function under its own name through the app, with the execution id as the request id', async () => {
    const response = await fetch(`${health}/api/health`, { headers: { 'function-execution-id': 'exec-health' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('exec-health');
    expect(await response.json()).toMatchObject({ status: 'healthy' });
  });
});

describe('an instance whose FUNCTION_TARGET is an event function', () => {
  let httpRuns = 0;
  const jsonRoute = defineFunction({
    name: 'fixture-json-route',
    trigger: { kind: 'http', method: 'POST', route: 'anything', auth: 'public', summary: 'test', responses: {} },
    load: async () => ({
      handler: (async () => {
        httpRuns++;
        return { statusCode: 204 };
      }) as HttpLambda,
    }),
  });
  let url = '';
  const saved = { target: process.env.FUNCTION_TARGET, env: process.env.NODE_ENV };

  beforeAll(async () => {
    process.env.FUNCTION_TARGET = fixtureQueue.name;
    // Not "test": Express would log the parse error, the request body included, anywhere else.
    process.env.NODE_ENV = 'development';
    registerGcpFunctions(functionsFramework, { functions: [jsonRoute, ...fixtureFunctions] as FunctionDef[], bind: bindInline as (def: FunctionDef) => Promise<AnyHandler> });
    const server = getTestServer(fixtureQueue.name);
    servers.push(server);
    url = `${await listen(server)}/`;
  });
  afterAll(() => {
    if (saved.target === undefined) delete process.env.FUNCTION_TARGET;
    else process.env.FUNCTION_TARGET = saved.target;
    process.env.NODE_ENV = saved.env;
  });

  it('answers an unparsable body with a 400 problem, runs no HTTP handler and no event handler, logs nothing from Express', async () => {
    resetReceived();
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'x', 'ce-type': 't', 'ce-source': 's', 'function-execution-id': 'exec-event' },
      body: '{"message": {"data": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 400, code: 'malformed_event', requestId: 'exec-event' });
    expect(text).not.toMatch(/<html|<pre|SyntaxError/i);
    expect(httpRuns).toBe(0);
    expect(received.queue).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('still takes a well-formed CloudEvent', async () => {
    resetReceived();
    const { postCloudEvent, pubsubEvent } = await import('../../adapters/gcp/local-events.ts');
    await postCloudEvent(url, pubsubEvent('fixture-jobs', 'hello'));
    expect(received.queue.map((event) => event.Records[0]!.body)).toEqual(['hello']);
  });
});
