/** The function table is the single source of truth; these checks keep it consistent. */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { handlerReference, type JsonSchema } from '../../kernel/functions.ts';
import { moduleUrl } from '../../app/app.ts';
import { functions, jobs } from '../../app/functions.ts';
import { services } from '../../app/services.ts';
import { ROLE_NAME } from '../../middleware/auth/roles.ts';
import { testApp } from '../support/app.ts';

/** `handlers/<service>[/<area>]/<module>[.routes|.timer|.job]#export`, or the job runtime's queue functions. */
const HANDLER_REFERENCE = /^(handlers\/[a-z-]+(\/[a-z-]+)?\/[a-z-]+(\.(routes|timer|job|blob))?|jobs\/functions)#[A-Za-z][A-Za-z0-9]*$/;

/** Every object schema must refuse unknown fields, or validation would let them through. */
function openObjects(schema: unknown, path = '#'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as JsonSchema;
  const here = node.type === 'object' && node.properties && node.additionalProperties !== false ? [path] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([key, child]) =>
      Array.isArray(child) ? child.flatMap((item, i) => openObjects(item, `${path}/${key}/${i}`)) : openObjects(child, `${path}/${key}`),
    ),
  ];
}

describe('the function table', () => {
  it.each(functions.map((def) => [def.name, def] as const))('%s names a module that exports its factory', async (_name, def) => {
    expect(def.handler).toMatch(HANDLER_REFERENCE);
    const { module, exportName } = handlerReference(def.handler!);
    const url = moduleUrl(module);
    expect(existsSync(fileURLToPath(url))).toBe(true);
    const exports = (await import(url)) as Record<string, unknown>;
    // The factory: (deps, def) => handler. bind calls it once per function.
    expect(typeof exports[exportName]).toBe('function');
  });

  it('every function binds with every service on the real deps (each factory accepts them)', async () => {
    const { app } = testApp({ services });
    expect(app.functions.length).toBeGreaterThanOrEqual(functions.length);
    const bound = await Promise.all(app.functions.map(async (def) => [def.name, typeof (await app.bind(def))] as const));
    expect(bound.filter(([, type]) => type !== 'function')).toEqual([]);
    // Each function is built once: binding again gives the same handler.
    for (const def of app.functions) expect(await app.bind(def)).toBe(await app.bind(def));
  });

  it('every job names a module that exports createRun, which accepts its service’s deps', async () => {
    const { app } = testApp({ services });
    expect(app.jobs.map((spec) => spec.type).sort()).toEqual(jobs.map((spec) => spec.type).sort());
    for (const service of services) {
      for (const spec of service.jobs) {
        expect(spec.handler).toMatch(/^handlers\/[a-z-]+(\/[a-z-]+)?\/[a-z-]+\.job#createRun$/);
        // The worker's binder: imports the module and calls createRun with the service's deps.
        expect(typeof (await app.ports.documents, await app.depsOf(service.name).jobRuntime.bindJob!(spec))).toBe('function');
      }
    }
  });

  it('HTTP request schemas refuse unknown fields at every level', () => {
    for (const def of functions) {
      if (def.trigger.kind !== 'http') continue;
      expect(openObjects(def.trigger.request ?? {})).toEqual([]);
    }
  });

  it('every /api/admin/* route is admin-only, and only dev aids are local-only', () => {
    for (const def of functions) {
      if (def.trigger.kind !== 'http') continue;
      if (def.trigger.route.startsWith('admin/')) expect([def.name, def.trigger.auth]).toEqual([def.name, 'admin']);
      if (def.localOnly) expect(def.trigger.route).toMatch(/^dev\//);
    }
  });

  it('roles are role names, and only on routes a signed-in user calls (an API key or the public holds none)', () => {
    for (const def of functions) {
      if (def.trigger.kind !== 'http' || !def.trigger.roles) continue;
      const classes = typeof def.trigger.auth === 'string' ? [def.trigger.auth] : def.trigger.auth;
      expect([def.name, classes.every((c) => c === 'user' || c === 'admin')]).toEqual([def.name, true]);
      for (const role of def.trigger.roles) expect(role).toMatch(ROLE_NAME);
    }
  });

  // Underscores are allowed in literal segments: the Axly seed's routes have them (request_pin, delete_account).
  it('HTTP routes use only API Gateway template syntax', () => {
    for (const def of functions) {
      if (def.trigger.kind !== 'http') continue;
      expect(def.trigger.route).toMatch(/^([A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\}|\{[A-Za-z0-9_]+\+\})(\/([A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\}))*$/);
      expect(Object.keys(def.trigger.responses).length).toBeGreaterThan(0);
    }
  });
});
