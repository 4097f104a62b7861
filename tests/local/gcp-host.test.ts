/**
 * `npm run start:gcp` as a process (adapters/gcp/start.ts): the table through the Functions
 * Framework's `portico` target on PORT, CloudEvents on the `portico-events` target, Portico's
 * problems (not Express's HTML) for bodies the framework cannot parse, streams that flow, and a
 * SIGTERM that ends the process even while a client holds a stream open.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pubsubEvent } from '../../adapters/gcp/local-events.ts';
import { startLocalHost, stopLocalHost, type LocalHostProcess } from '../support/local-host-process.ts';

describe('npm run start:gcp', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-gcp-host-'));
  let host: LocalHostProcess | undefined;
  let eventsUrl = '';

  beforeAll(async () => {
    host = await startLocalHost({ dataDir, entry: 'gcp' });
    const started = host
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { events?: string })
      .find((line) => line.events);
    eventsUrl = started!.events!;
  });
  afterAll(() => stopLocalHost(host, dataDir));

  it('serves the table on PORT: health, and a 404 problem for a path no function serves', async () => {
    const health = await fetch(`${host!.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBeTruthy();
    const miss = await fetch(`${host!.url}/api/no-such-route`);
    expect(miss.status).toBe(404);
    expect(miss.headers.get('content-type')).toBe('application/problem+json');
    expect(await miss.json()).toMatchObject({ code: 'route_not_found' });
  });

  it('answers malformed JSON with Portico problem+json, not Express HTML, with the request id it returns', async () => {
    const response = await fetch(`${host!.url}/api/diagnostics/inspect/abc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    const text = await response.text();
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(text).not.toMatch(/<html|<pre|SyntaxError/i);
    expect(response.status).toBe(400);
    const problem = JSON.parse(text) as { code: string; requestId: string };
    expect(problem.code).toBe('malformed_json');
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('takes CloudEvents on the events target, refusing one no function takes', async () => {
    const event = pubsubEvent('nobody-reads-this', 'x');
    const response = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': event.id, 'ce-type': event.type, 'ce-source': event.source, 'ce-time': event.time },
      body: JSON.stringify(event.data),
    });
    await response.arrayBuffer();
    // Refused, so Pub/Sub would keep it; production mode: the framework's crash answer carries no error text.
    expect(response.status).toBe(500);
  });

  it('streams ticks as they come, and SIGTERM ends the process while a client still holds the stream', async () => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(`${host!.url}/api/diagnostics/stream?count=50&intervalMs=2000`, { agent: false }).once('response', resolve).once('error', reject).end();
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
    const code = await host!.stop();
    await closed;
    expect(code).toBe(0);
    expect(text).not.toContain('event: done');
  });
});
