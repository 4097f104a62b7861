/**
 * The built Google Cloud entry point (`dist/adapters/gcp/main.js`) under plain node, as
 * `npm run package:gcp` stages it (adapters/gcp/staging.ts) and started by the Functions
 * Framework's own CLI as Cloud Run functions start it (`--target`, `--source`, the working
 * directory the staged source), so a file the deployed app needs and the stage lacks fails here:
 * the `portico` target serves the API, a deployed function's target serves only its own route, a
 * body the framework cannot parse is answered by Portico (problem+json, the body never logged),
 * and a bad setting stops the instance with a message naming it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stage } from '../../adapters/gcp/staging.ts';
import { freePort } from '../../adapters/local/azurite.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const entry = join(root, 'dist/adapters/gcp/main.js');

/**
 * The staged source, as Cloud Build receives it; its dependencies are this repository's (linked,
 * where Cloud Build would run `npm ci` on the staged lock file).
 */
function sourceFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-gcp-source-'));
  stage(root, dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const env = (extra: Record<string, string> = {}) => {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...extra };
  for (const name of ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY', 'FUNCTION_TARGET']) delete base[name];
  return base;
};

let running: { child: ChildProcess; source: string; output: () => string } | undefined;

afterEach(() => {
  running?.child.kill('SIGKILL');
  if (running) rmSync(running.source, { recursive: true, force: true });
  running = undefined;
});

async function serve(target: string): Promise<string> {
  expect(existsSync(entry)).toBe(true); // `npm test` builds first
  const port = await freePort();
  const source = sourceFolder();
  const child = spawn(process.execPath, [cli, `--target=${target}`, `--port=${port}`, `--source=${source}`], { cwd: source, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  running = { child, source, output: () => out };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the framework did not start: ${out}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`the framework exited with ${code}: ${out}`)));
    child.stdout!.on('data', () => {
      if (/URL: http:\/\/localhost:\d+\//.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return `http://127.0.0.1:${port}`;
}

describe('the built Google Cloud entry point under the Functions Framework CLI', () => {
  it('serves the API on the portico target, and answers an unparsable body itself without logging it', async () => {
    const url = await serve('portico');
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    const bad = await fetch(`${url}/api/diagnostics/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"hunter2-' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await bad.json()).toMatchObject({ code: 'malformed_json' });
    expect(running!.output()).not.toContain('hunter2');
    expect(running!.output()).not.toContain('entity.parse.failed');
  }, 90_000);

  it('serves only its own route on a deployed function target', async () => {
    const url = await serve('health');
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    const other = await fetch(`${url}/api/diagnostics/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 'route_not_found' });
    const wrongMethod = await fetch(`${url}/api/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
  }, 90_000);

  it('stops with a message naming the variable when configuration is invalid', () => {
    const source = sourceFolder();
    try {
      const run = spawnSync(process.execPath, [cli, '--target=portico', '--port=0', `--source=${source}`], { cwd: source, env: env({ CORS_ALLOWED_ORIGINS: 'not-an-origin' }), encoding: 'utf8', timeout: 60_000 });
      expect(run.status).not.toBe(0);
      expect(run.stdout + run.stderr).toContain('CORS_ALLOWED_ORIGINS');
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
  }, 90_000);
});
