/**
 * `npm run start:gcp` as a user starts it (adapters/gcp/start.ts as a child process, embedded
 * emulators): the Functions Framework answers the API and the API document, stands behind the
 * same door as `npm start` (a loopback Host only; no cross-origin reads of the development
 * outbox), takes CloudEvents on its events endpoint (PORT + 1, here ephemeral: the start line
 * says where), refuses one no function takes, and stops on SIGTERM with exit 0 and its emulators gone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
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

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await host.stop()).toBe(0);
  }, 30_000);
});
