/**
 * The local host's door (adapters/local/door.ts) over real HTTP: a Host that is not a loopback
 * name is refused everywhere (DNS rebinding), and /admin/* and /api/dev/* refuse a foreign
 * Origin and the bodies a browser sends cross-origin without a preflight. Each refusal is a 403
 * problem with a stable code, and the function behind the door does not run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import { isLoopbackHost } from '../../adapters/local/door.ts';
import { createLocalHost, type LocalHost } from '../../adapters/local/server.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureFunctions, received, resetReceived } from '../support/fixture-functions.ts';

let devCalls = 0;
const probe = (name: string, method: 'GET' | 'POST', route: string, onCall: () => void = () => undefined) =>
  defineFunction({
    name,
    trigger: { kind: 'http', method, route, auth: 'public', summary: 'Door probe', responses: { 200: { description: 'ok' } } },
    load: async () => ({
      handler: async () => {
        onCall();
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
      },
    }),
  }) as FunctionDef;

const table = [
  ...fixtureFunctions,
  probe('door-public', 'GET', 'door/public'),
  probe('door-dev-read', 'GET', 'dev/door-read', () => devCalls++),
  probe('door-dev-write', 'POST', 'dev/door-write', () => devCalls++),
];

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let host: LocalHost;
let port: number;

function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectRefused(reply: Reply, code: string): void {
  expect(reply.status).toBe(403);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ status: 403, code, requestId: expect.any(String) });
}

const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  host = createLocalHost({ table, port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 64 * 1024 });
  port = Number(new URL(await host.listen()).port);
});

afterAll(async () => {
  await host?.close();
});

beforeEach(() => {
  resetReceived();
  devCalls = 0;
});

describe('isLoopbackHost', () => {
  it.each(['localhost', 'localhost:7071', 'LocalHost:1', '127.0.0.1', '127.0.0.1:7071', '[::1]', '[::1]:7071'])('accepts %s', (name) => {
    expect(isLoopbackHost(name)).toBe(true);
  });

  it.each([
    'evil.example',
    'evil.example:7071',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    'localhost.',
    '127.0.0.2',
    '0.0.0.0',
    '[::2]',
    '[::1',
    'localhost:abc',
    'localhost:7071:1',
    'user@localhost',
    '',
  ])('refuses %j', (name) => {
    expect(isLoopbackHost(name)).toBe(false);
  });

  it('refuses a missing Host', () => {
    expect(isLoopbackHost(undefined)).toBe(false);
  });
});

describe('the Host check, on every path', () => {
  it('refuses a rebound name on an API route and on the outbox', async () => {
    expectRefused(await send('GET', '/api/door/public', { host: `evil.example:${port}` }), 'host_not_allowed');
    expectRefused(await send('GET', '/api/dev/door-read', { host: `evil.example:${port}` }), 'host_not_allowed');
    expect(devCalls).toBe(0);
  });

  it('refuses a request with no Host at all (HTTP/1.0)', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('GET /api/door/public HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.\d 403/);
    expect(raw).toContain('"code":"host_not_allowed"');
  });

  it('serves the loopback names, with any port', async () => {
    for (const name of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
      expect((await send('GET', '/api/door/public', { host: name })).status).toBe(200);
    }
  });

  it('leaves cross-origin calls to the API itself to CORS', async () => {
    expect((await send('GET', '/api/door/public', { origin: 'https://evil.example' })).status).toBe(200);
  });
});

describe('/admin/* and /api/dev/*', () => {
  it('refuse a foreign Origin, even with a JSON body, and run nothing', async () => {
    const body = '{"input":"x"}';
    expectRefused(await send('POST', '/admin/functions/fixture-queue', { ...json, origin: 'https://evil.example' }, body), 'cross_origin_refused');
    expectRefused(await send('POST', '/ADMIN/functions/fixture-queue', { ...json, origin: 'null' }, body), 'cross_origin_refused');
    // Same name, another port: another origin.
    expectRefused(await send('POST', '/admin/functions/fixture-queue', { ...json, origin: 'http://127.0.0.1:1' }, body), 'cross_origin_refused');
    expectRefused(await send('GET', '/api/dev/door-read', { origin: 'https://evil.example' }), 'cross_origin_refused');
    expectRefused(await send('POST', '/api/dev/door-write', { ...json, origin: 'https://evil.example' }, '{}'), 'cross_origin_refused');
    expect(received.queue).toHaveLength(0);
    expect(devCalls).toBe(0);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['text/plain with a charset', { 'content-type': 'text/plain;charset=UTF-8' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a multipart form', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['no content type', {}],
  ])('refuse a body sent as %s, with no Origin', async (_, headers: Record<string, string>) => {
    expectRefused(await send('POST', '/admin/functions/fixture-queue', headers, '{"input":"x"}'), 'content_type_refused');
    expectRefused(await send('POST', '/api/dev/door-write', headers, '{}'), 'content_type_refused');
    expect(received.queue).toHaveLength(0);
    expect(devCalls).toBe(0);
  });

  it('serve the same origin and tools that send no Origin (curl)', async () => {
    const own = { ...json, origin: `http://127.0.0.1:${port}` };
    const ran = await send('POST', '/admin/functions/fixture-queue', own, '{"input":"x"}');
    expect(ran.status).toBe(202);
    expect(ran.body).toMatchObject({ status: 'succeeded' });
    expect((await send('POST', '/admin/functions/fixture-timer', json, '{}')).status).toBe(202);
    // No body needs no content type.
    expect((await send('POST', '/admin/functions/fixture-timer')).status).toBe(202);
    expect((await send('GET', '/api/dev/door-read', { origin: `http://localhost:${port}`, host: `localhost:${port}` })).status).toBe(200);
    expect((await send('POST', '/api/dev/door-write', json, '{}')).status).toBe(200);
    expect(received.queue).toHaveLength(1);
    expect(devCalls).toBe(2);
  });
});
