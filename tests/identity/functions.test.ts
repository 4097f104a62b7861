/** The accounts service's function definitions meet the function table's rules (tests/app/function-table.test.ts). */
import { describe, expect, it } from '@jest/globals';
import { identityContainers } from '../../handlers/identity/store.ts';
import { identityFunctions } from '../../handlers/identity/functions.ts';

describe('identity functions', () => {
  // That each names a module exporting its handler and factory is checked for the whole table in tests/app/function-table.test.ts.
  it('has unique names and routes; only the outbox is local-only; only me and delete_account need a user', () => {
    expect(new Set(identityFunctions.map((def) => def.name)).size).toBe(identityFunctions.length);
    expect(new Set(identityFunctions.map((def) => `${def.trigger.method} ${def.trigger.route}`)).size).toBe(identityFunctions.length);
    expect(identityFunctions.filter((def) => def.localOnly).map((def) => def.name)).toEqual(['dev-outbox']);
    expect(identityFunctions.filter((def) => def.trigger.auth !== 'public').map((def) => [def.name, def.trigger.auth])).toEqual([['auth-me', 'user'], ['axly-delete-account', 'user']]);
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
