/**
 * The API document is the function table seen from outside: every deployed HTTP route is in
 * it with its auth, parameters and schemas, nothing else is, and the committed openapi.json is
 * what the table generates today.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { isHttp, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { functions } from '../../app/functions.ts';
import { openApiDocument } from '../../app/openapi.ts';
import { version } from '../../app/project.ts';
import { services } from '../../app/services.ts';
import { Validator } from '@seriousme/openapi-schema-validator';
import { loadRateLimits, routeRateLimit } from '../../middleware/rate-limit.ts';
import { testApp } from '../support/app.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';

type Operation = {
  operationId: string;
  security: Record<string, unknown>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};
const document = openApiDocument(functions, { version }) as { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
const deployedHttp = functions.filter((def): def is FunctionDef<HttpTrigger> => isHttp(def) && !def.localOnly && def.trigger.method !== 'OPTIONS');

describe('the OpenAPI document', () => {
  it('has exactly one operation per deployed HTTP function, under its route and method', () => {
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(deployedHttp.map((d) => d.name).sort());
    for (const def of deployedHttp) expect(document.paths[`/api/${def.trigger.route}`]?.[def.trigger.method.toLowerCase()]?.operationId).toBe(def.name);
  });

  it('leaves out local-only functions and the catch-all preflight', () => {
    const names = new Set(operations.map((o) => o.op.operationId));
    for (const def of functions.filter((d) => d.localOnly || (isHttp(d) && d.trigger.method === 'OPTIONS'))) expect(names.has(def.name)).toBe(false);
    expect(Object.keys(document.paths).some((path) => path.includes('+'))).toBe(false);
  });

  it('declares every path parameter of every route, required', () => {
    for (const { path, op } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.required])).toEqual(inPath.map((name) => [name, true]));
    }
  });

  it('maps auth classes to security schemes: public none, user/admin bearer, apiKey X-API-Key; a configurable class is optional bearer', () => {
    for (const def of deployedHttp) {
      const op = document.paths[`/api/${def.trigger.route}`]![def.trigger.method.toLowerCase()]!;
      if (def.trigger.authSetting) {
        // Public unless the variable asks for a user: OpenAPI writes "optional" as an empty requirement beside the scheme.
        expect(op.security).toEqual([{}, { bearer: [] }]);
        continue;
      }
      const classes = def.trigger.auth === 'public' ? [] : typeof def.trigger.auth === 'string' ? [def.trigger.auth] : [...def.trigger.auth];
      const expected = [...new Set(classes.map((c) => (c === 'apiKey' ? 'apiKey' : 'bearer')))].sort();
      expect(op.security.flatMap((s) => Object.keys(s)).sort()).toEqual(expected);
    }
    expect(Object.keys(document.components.securitySchemes!).sort()).toEqual(['apiKey', 'bearer']);
  });

  it('documents a route\'s roles: x-roles, and 403 `missing_role` naming them', () => {
    const route = (roles?: readonly string[]) => ({
      name: 'roles-doc',
      trigger: { kind: 'http', method: 'POST', route: 'roles-doc', auth: 'user', summary: 'probe', responses: { 202: { description: 'queued' } }, ...(roles ? { roles } : {}) },
      handler: 'handlers/x/y.routes#probe',
    }) as FunctionDef;
    const opOf = (def: FunctionDef) =>
      (openApiDocument([def], { version }) as { paths: Record<string, Record<string, Operation & { 'x-roles'?: string[] }>> }).paths['/api/roles-doc']!.post!;
    const withRoles = opOf(route(['Voice.Enroll', 'Voice.Admin']));
    expect(withRoles['x-roles']).toEqual(['Voice.Enroll', 'Voice.Admin']);
    expect(withRoles.responses['403']!.description).toMatch(/^`missing_role`: .*`Voice\.Enroll`, `Voice\.Admin`/);
    expect(withRoles.responses['403']!.content).toHaveProperty(['application/problem+json']);
    const without = opOf(route());
    expect(without['x-roles']).toBeUndefined();
    expect(without.responses['403']).toBeUndefined();
  });

  it('gives JSON bodies their schema, errors the Problem schema, and streams text/event-stream', () => {
    for (const def of deployedHttp) {
      const op = document.paths[`/api/${def.trigger.route}`]![def.trigger.method.toLowerCase()]!;
      if (def.trigger.request?.body) expect(op.requestBody?.content['application/json']).toEqual({ schema: def.trigger.request.body });
      for (const [status, response] of Object.entries(op.responses)) {
        const own = (def.trigger.responses as Record<string, { schema?: unknown }>)[status]?.schema;
        // An error with a schema of its own (health's 503 report) may also be a problem, when the stack answers first.
        if (Number(status) >= 400) expect(response.content).toEqual({ ...(own ? { 'application/json': { schema: own } } : {}), 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
        else if (def.trigger.stream) expect(Object.keys(response.content ?? {})).toEqual(['text/event-stream']);
      }
    }
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it("uses no OpenAPI 3.0-only keyword: null is a type (JSON Schema 2020-12), never `nullable`", () => {
    const keys: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          keys.push(key);
          walk(inner);
        }
      }
    };
    walk(document);
    expect(keys).not.toContain('nullable');
    expect(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')).not.toMatch(/"nullable"/);
    // The fields a client may send as null say so with the null type.
    expect(JSON.stringify(document.paths['/api/wardrobe/{id}']!.put)).toContain('{"type":"null"}');
  });

  it('documents 429 `rate_limited` with Retry-After exactly on the routes the stack limits', () => {
    // The runtime's own decision, with limiting on and the default limits.
    const config = loadRateLimits({});
    for (const def of deployedHttp) {
      const op = document.paths[`/api/${def.trigger.route}`]![def.trigger.method.toLowerCase()]!;
      const limited = Boolean(def.trigger.credentialLimits) || routeRateLimit(config, def.trigger) !== undefined;
      if (!limited) {
        expect([def.name, op.responses['429']]).toEqual([def.name, (def.trigger.responses as Record<string, unknown>)['429'] ? expect.anything() : undefined]);
        continue;
      }
      expect(op.responses['429']?.description).toContain('`rate_limited`');
      expect(op.responses['429']?.headers).toMatchObject({ 'Retry-After': { $ref: '#/components/headers/RetryAfter' } });
      expect(op.responses['429']?.content).toHaveProperty(['application/problem+json']);
    }
    // Probes are never limited; a signed-in route is.
    expect(document.paths['/api/health']!.get!.responses['429']).toBeUndefined();
    expect(document.paths['/api/wardrobe']!.get!.responses['429']).toBeDefined();
  });

  it('documents 503 with Retry-After on every operation (middy ends any that outlives its deadline), with its codes', () => {
    for (const { op } of operations) {
      expect(op.responses['503']?.description).toContain('`timeout`');
      expect(op.responses['503']?.headers).toMatchObject({ 'Retry-After': { $ref: '#/components/headers/RetryAfter' } });
    }
    expect(document.paths['/api/wardrobe']!.get!.responses['503']!.description).toContain('`idp_unavailable`');
    expect(document.paths['/api/diagnostics/echo']!.post!.responses['503']!.description).not.toContain('`idp_unavailable`');
    expect(Object.keys(document.components.headers!).sort()).toEqual(['RateLimitLimit', 'RateLimitRemaining', 'RateLimitReset', 'RetryAfter']);
  });

  it('resolves every $ref it uses', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(refs.length).toBeGreaterThan(0);
    for (const [kind, name] of refs) expect(document.components[kind]?.[name]).toBeDefined();
  });

  it('is committed as openapi.json, as the table generates it today (run `npm run generate`)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('is served at GET /api/openapi.json through the standard stack', async () => {
    // Bound as every runtime binds it: the app's catalog builds the document from its own table.
    const handler = await testApp({ services }).handler<HttpLambda>('openapi');
    const result = await handler(httpEvent({ method: 'GET', path: '/api/openapi.json', routeKey: 'GET /api/openapi.json' }), lambdaContext('openapi'));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['cache-control']).toBe('public, max-age=300');
    expect(JSON.parse(result.body ?? '')).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
