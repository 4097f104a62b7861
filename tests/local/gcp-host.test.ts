/**
 * `npm run start:gcp` as a user starts it (adapters/gcp/start.ts as a child process, embedded
 * emulators): the Functions Framework answers the API and the API document, with Portico's
 * problems (not Express's HTML) for a path no function serves and for a body the framework cannot
 * parse; stands behind the same door as `npm start` (a loopback Host only; no cross-origin reads
 * of the development outbox); takes CloudEvents on its events endpoint (PORT + 1, here ephemeral:
 * the start line says where) and refuses one no function takes; streams as it produces; and stops
 * on SIGTERM with exit 0 even while a client holds a stream open.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postCloudEvent, pubsubEvent } from '../../adapters/gcp/local-events.ts';
import { topicOfTimer } from '../../adapters/gcp/names.ts';
import { startLocalHost, stopLocalHost, type LocalHostProcess } from '../support/local-host-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-gcp-host-'));
let host: LocalHostProcess;
let eventsUrl: string;

beforeAll(async () => {
  host = await startLocalHost({ dataDir, entry: 'gcp' });
  eventsUrl = (host.line as unknown as { events: string }).events;
}, 240_000);

afterAll(() => stopLocalHost(host, dataDir), 60_000);

/** A raw request, so the Host header can be anything. */
function send(path: string, headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(path, host.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'GET', headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm run start:gcp', () => {
  it('serves the API and its document through the Functions Framework', async () => {
    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { dependencies: { cosmos: { status: string } } }).dependencies.cosmos.status).toBe('up');
    const document = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/api/wardrobe');
  });

  it('answers a path no function serves, and malformed JSON, with Portico problems carrying the request id', async () => {
    const miss = await fetch(`${host.url}/api/no-such-route`);
    expect(miss.status).toBe(404);
    expect(miss.headers.get('content-type')).toBe('application/problem+json');
    expect(await miss.json()).toMatchObject({ code: 'route_not_found' });
    const response = await fetch(`${host.url}/api/diagnostics/inspect/abc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(text).not.toMatch(/<html|<pre|SyntaxError/i);
    const problem = JSON.parse(text) as { code: string; requestId: string };
    expect(problem.code).toBe('malformed_json');
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers only to a loopback Host, as npm start does', async () => {
    const rebound = await send('/api/health', { host: 'attacker.example:7071' });
    expect(rebound.status).toBe(403);
    expect(rebound.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'host_not_allowed' });
  });

  it('refuses a cross-origin read of the development outbox', async () => {
    const port = new URL(host.url).port;
    const outbox = '/api/dev/outbox?email=someone%40example.com';
    const foreign = await send(outbox, { host: `localhost:${port}`, origin: 'https://attacker.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ code: 'cross_origin_refused' });
    expect((await send(outbox, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('runs a timer from its Cloud Scheduler CloudEvent, and refuses an event no function takes', async () => {
    expect(eventsUrl).toMatch(/^http:\/\/localhost:\d+$/);
    await expect(postCloudEvent(eventsUrl, pubsubEvent(topicOfTimer({ name: 'purge-expired' }), '{}'))).resolves.toBeUndefined();
    await expect(postCloudEvent(eventsUrl, pubsubEvent('no-such-topic', '{}'))).rejects.toThrow(/not acknowledged \(500\)/);
  });

  it('streams ticks as they come, and SIGTERM ends the process with exit 0 while a client still holds the stream', async () => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(`${host.url}/api/diagnostics/stream?count=50&intervalMs=2000`, { agent: false }).once('response', resolve).once('error', reject).end();
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    let text = '';
    // The first tick, while 49 more are still to come 2 s apart.
    await new Promise<void>((resolve) =>
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('event: tick')) resolve();
      }),
    );
    expect(text).not.toContain('event: done');
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    const code = await host.stop();
    await closed;
    expect(code).toBe(0);
    expect(text).not.toContain('event: done');
  }, 60_000);
});
