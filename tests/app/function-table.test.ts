/** The function table is the single source of truth; these checks keep it consistent. */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonSchema } from '../../kernel/functions.ts';
import { functions } from '../../app/functions.ts';
import { handlerModuleUrl, handlerReference } from '../../app/load-handler.ts';

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
  it.each(functions.map((def) => [def.name, def] as const))('%s names a handler module that exports it and its factory', async (_name, def) => {
    expect(def.handler).toMatch(/^handlers(\/[a-z-]+){2,3}(#[A-Za-z]+)?$/);
    const url = handlerModuleUrl(def as typeof def & { handler: string });
    expect(existsSync(fileURLToPath(url))).toBe(true);
    const module = (await import(url)) as Record<string, unknown>;
    const { exportName } = handlerReference(def.handler!);
    expect(typeof module[exportName]).toBe('function');
    // One handler per module has createHandler(deps); a module serving several has createHandlers(deps).
    expect(typeof (exportName === 'handler' ? module.createHandler : module.createHandlers)).toBe('function');
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

  it('HTTP routes use only API Gateway template syntax', () => {
    for (const def of functions) {
      if (def.trigger.kind !== 'http') continue;
      expect(def.trigger.route).toMatch(/^([a-z0-9.-]+|\{[A-Za-z0-9_]+\}|\{[A-Za-z0-9_]+\+\})(\/([a-z0-9.-]+|\{[A-Za-z0-9_]+\}))*$/);
      expect(Object.keys(def.trigger.responses).length).toBeGreaterThan(0);
    }
  });
});
