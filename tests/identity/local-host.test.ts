/**
 * The developer's sign-up over real HTTP on the local host: request a PIN, read it from
 * GET /api/dev/outbox, confirm, refresh, log out. The table is the service's own definitions,
 * with the handlers `bind` built on memory ports injected through `load`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FunctionDef } from '../../kernel/functions.ts';
import { createLocalHost, type LocalHost } from '../../adapters/local/server.ts';
import { identityFunctions } from '../../handlers/identity/functions.ts';
import { setup } from './support.ts';

const t = setup();
const table = identityFunctions.map((def) => ({ ...def, handler: undefined, load: async () => ({ handler: await t.handler(def.name) }) })) as FunctionDef[];

let host: LocalHost;
let base: string;

beforeAll(async () => {
  host = createLocalHost({ table, port: 0, logger: t.logger, maxBodyBytes: 64 * 1024 });
  base = await host.listen();
});

afterAll(async () => {
  await host?.close();
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${base}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: response.status === 204 ? undefined : ((await response.json()) as Record<string, string>) };
};

describe('sign-up on the local host', () => {
  it('request-pin, read the outbox, confirm, refresh, logout', async () => {
    expect(await post('auth/request-pin', { email: 'dev@example.com' })).toEqual({ status: 202, json: { status: 'sent' } });
    const outbox = (await (await fetch(`${base}/api/dev/outbox?email=${encodeURIComponent('dev@example.com')}`)).json()) as { messages: { text: string }[] };
    const pin = /code is (\d+)/.exec(outbox.messages.at(-1)!.text)![1];
    const created = await post('auth/confirm-signup', { email: 'dev@example.com', pin, password: 'correct horse battery' });
    expect(created.status).toBe(201);
    const refreshed = await post('auth/refresh', { refreshToken: created.json!.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await post('auth/logout', { refreshToken: refreshed.json!.refreshToken })).status).toBe(204);
    expect((await post('auth/refresh', { refreshToken: refreshed.json!.refreshToken })).status).toBe(401);
  });
});
