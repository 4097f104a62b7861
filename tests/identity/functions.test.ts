/** The accounts service's function definitions meet the function table's rules (tests/app/function-table.test.ts). */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { handlerModuleUrl, handlerReference } from '../../app/load-handler.ts';
import { identityContainers } from '../../handlers/identity/containers.ts';
import { identityFunctions } from '../../handlers/identity/functions.ts';

describe('identity functions', () => {
  it.each(identityFunctions.map((def) => [def.name, def] as const))('%s names a handler module exporting it and its factory', async (_name, def) => {
    expect(def.handler).toMatch(/^handlers\/[a-z-]+\/[a-z-]+(#[A-Za-z]+)?$/);
    const url = handlerModuleUrl(def as typeof def & { handler: string });
    expect(existsSync(fileURLToPath(url))).toBe(true);
    const module = (await import(url)) as Record<string, unknown>;
    const { exportName } = handlerReference(def.handler!);
    expect(typeof module[exportName]).toBe('function');
    expect(typeof (exportName === 'handler' ? module.createHandler : module.createHandlers)).toBe('function');
  });

  it('has unique names and routes; only the outbox is local-only, and it is the only unlimited one', () => {
    expect(new Set(identityFunctions.map((def) => def.name)).size).toBe(identityFunctions.length);
    expect(new Set(identityFunctions.map((def) => `${def.trigger.method} ${def.trigger.route}`)).size).toBe(identityFunctions.length);
    expect(identityFunctions.filter((def) => def.localOnly).map((def) => def.name)).toEqual(['dev-outbox']);
    expect(identityFunctions.filter((def) => def.trigger.auth !== 'public').map((def) => [def.name, def.trigger.auth])).toEqual([['auth-me', 'user']]);
  });

  it('request schemas refuse unknown fields', () => {
    for (const def of identityFunctions) {
      for (const schema of Object.values(def.trigger.request ?? {})) expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it('declares containers partitioned by id, with unique names', () => {
    expect(identityContainers.map((c) => c.name)).toEqual(['accounts', 'account-emails', 'pins', 'refresh-families', 'refresh-tokens']);
    expect(identityContainers.every((c) => c.partitionKey === 'id')).toBe(true);
  });
});
