/**
 * LOCAL_DEV_AUTH on the real local host (`npm start`'s entry, as a process): the PluckIt web app
 * in development sends no Authorization header, and the upstream then acts as its development
 * user; so does Portico here, and only here (tests/auth/trusted-issuers.test.ts shows every
 * other host refusing to start with it). A request that does send a token is still checked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHost, type LocalHostProcess } from '../support/local-host-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-dev-user-'));
let host: LocalHostProcess;

beforeAll(async () => {
  host = await startLocalHost({ dataDir, env: { LOCAL_DEV_AUTH: 'true' } });
}, 300_000);

afterAll(async () => {
  if (host) {
    const timer = setTimeout(() => host.kill(), 20_000);
    await host.stop();
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the development user on the local host', () => {
  it('is the caller of a protected route when no credentials are sent; a bad token is still 401', async () => {
    const me = await fetch(`${host.url}/api/auth/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ id: 'dev-user-001', email: null, isAdmin: false });
    const bad = await fetch(`${host.url}/api/auth/me`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(bad.status).toBe(401);
  });
});
