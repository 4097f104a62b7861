/**
 * Jest's ESM mode hides interop mistakes (e.g. a named import of HttpResponse from the CJS
 * @azure/functions), so the built entry point is loaded here by plain `node`.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { functions } from '../../app/functions.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const loader = fileURLToPath(new URL('../support/load-azure-entry.mjs', import.meta.url));

function load(env: Record<string, string>) {
  expect(existsSync(`${root}/dist/adapters/azure/main.js`)).toBe(true); // `npm test` builds first
  return spawnSync(process.execPath, [loader], { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8' });
}

describe('the built Azure entry point under plain node', () => {
  it('registers every function of the table with the host', () => {
    const run = load({ NODE_PATH: fileURLToPath(new URL('../support/host-modules', import.meta.url)) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { registered } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { registered: string[] };
    expect(registered.sort()).toEqual(functions.filter((def) => !def.localOnly).map((def) => def.name).sort());
  });

  it('loads outside the host too, where @azure/functions falls back to test mode', () => {
    const run = load({ NODE_PATH: '' });
    expect(run.status).toBe(0);
    for (const def of functions.filter((item) => !item.localOnly)) expect(run.stderr + run.stdout).toContain(`register function "${def.name}"`);
  });

  it('stops with a message naming the variable when configuration is invalid', () => {
    const run = load({ CORS_ALLOWED_ORIGINS: 'not-an-origin' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('CORS_ALLOWED_ORIGINS');
  });
});
