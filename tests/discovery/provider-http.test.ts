/** The providers' shared GET (adapters/discovery/http.ts) and the capped body reader under it. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { endpoint, getJson, redactedUrl } from '../../adapters/discovery/http.ts';
import { readCappedBody } from '../../adapters/http/capped-body.ts';
import { providerError, startFakeProviders, type FakeProviders } from '../support/fake-providers.ts';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const open = () => new AbortController().signal;
const redditUrl = () => new URL('/search.json?q=bars', fake.url);

describe('redactedUrl', () => {
  it('replaces every credential parameter, whatever its case, and keeps the rest', () => {
    const url = new URL('https://api.example.com/v1?text=Pikeville+KY&apiKey=s1&key=s2&api_key=s3&TOKEN=s4&access_token=s5&limit=1');
    const redacted = redactedUrl(url);
    expect(redacted).not.toMatch(/s[1-5]/);
    expect(new URL(redacted).searchParams.get('text')).toBe('Pikeville KY');
    expect(new URL(redacted).searchParams.get('limit')).toBe('1');
    expect(new URL(redacted).searchParams.get('apiKey')).toBe('REDACTED');
  });

  it('drops credentials in the authority too', () => {
    expect(redactedUrl(new URL('https://user:secret@api.example.com/x'))).toBe('https://api.example.com/x');
  });
});

describe('endpoint', () => {
  it('puts the path under a base that has a prefix (a proxy), parameters in order', () => {
    expect(endpoint(new URL('https://proxy.example.com/geo/'), '/v1/geocode/search', { text: 'Pikeville KY', limit: '1' }).href).toBe(
      'https://proxy.example.com/geo/v1/geocode/search?text=Pikeville+KY&limit=1',
    );
    expect(endpoint(new URL('https://api.geoapify.com'), '/v1/geocode/search', {}).href).toBe('https://api.geoapify.com/v1/geocode/search');
  });
});

describe('getJson', () => {
  it('answers the status and the parsed body, and asks for JSON with the headers given', async () => {
    const answer = await getJson('reddit', redditUrl(), { signal: open(), timeoutMs: 60_000, headers: { 'user-agent': 'Portico-Test/1.0' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kind: 'Listing' });
    expect(typeof answer.elapsedMs).toBe('number');
    expect(fake.requests[0]!.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'Portico-Test/1.0' });
  });

  it.each([
    [404, 'upstream_4xx'],
    [401, 'upstream_4xx'],
    [429, 'upstream_429'],
    [503, 'upstream_5xx'],
  ])('a %s fails as %s and keeps the status', async (status, code) => {
    fake.answerWith('reddit', { status, json: { message: 'no', error: status } });
    expect(await providerError(getJson('reddit', redditUrl(), { signal: open(), timeoutMs: 60_000 }))).toMatchObject({ code, status, provider: 'reddit' });
  });

  it('a 2xx that is not JSON, or is empty, is malformed', async () => {
    for (const text of ['<html>rate limited</html>', '', '{"kind": "Listing", "data": {']) {
      fake.answerWith('reddit', { text });
      expect(await providerError(getJson('reddit', redditUrl(), { signal: open(), timeoutMs: 60_000 }))).toMatchObject({ code: 'malformed', status: 200 });
    }
  });

  it('a body over maxBytes is malformed', async () => {
    fake.answerWith('reddit', { json: { padding: 'x'.repeat(2000) } });
    expect(await providerError(getJson('reddit', redditUrl(), { signal: open(), timeoutMs: 60_000, maxBytes: 1024 }))).toMatchObject({ code: 'malformed' });
  });

  it('a signal already aborted fails as aborted without calling the provider', async () => {
    expect(await providerError(getJson('reddit', redditUrl(), { signal: AbortSignal.abort(), timeoutMs: 60_000 }))).toMatchObject({ code: 'aborted' });
    expect(fake.requests).toHaveLength(0);
  });

  it('a body that stalls after the headers fails as timeout: the timeout covers the body too', async () => {
    // Headers now, the rest of the body never: the answer's declared length is longer than what is sent.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"kind": "Listing"');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/search.json`);
      expect(await providerError(getJson('reddit', url, { signal: open(), timeoutMs: 50 }))).toMatchObject({ code: 'timeout' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('readCappedBody', () => {
  const streamed = (chunks: number[]) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const size of chunks) controller.enqueue(new Uint8Array(size));
          controller.close();
        },
      }),
    );

  it('reads a streamed body (no declared length) up to the limit, and refuses one past it', async () => {
    expect((await readCappedBody(streamed([400, 600]), 1000))?.byteLength).toBe(1000);
    expect(await readCappedBody(streamed([400, 600, 1]), 1000)).toBeUndefined();
  });

  it('refuses a declared length over the limit, whatever the body holds', async () => {
    expect(await readCappedBody(new Response('x'.repeat(10), { headers: { 'content-length': '5000' } }), 1000)).toBeUndefined();
  });
});

describe('the fake providers', () => {
  it('close() ends hanging and delayed calls (they fail as network) and leaves nothing running', async () => {
    const other = await startFakeProviders({ delayMs: 60_000 });
    other.setMode('google', 'hang');
    const hanging = providerError(getJson('google', new URL('/maps/api/geocode/json?address=x', other.url), { signal: open(), timeoutMs: 60_000 }));
    const delayed = providerError(getJson('reddit', new URL('/search.json?q=x', other.url), { signal: open(), timeoutMs: 60_000 }));
    await other.waitForRequests(2);
    await other.close();
    expect([(await hanging).code, (await delayed).code]).toEqual(['network', 'network']);
  });

  it('answers an unknown path 404 and records it without a provider', async () => {
    expect(await providerError(getJson('reddit', new URL('/r/asheville.rss', fake.url), { signal: open(), timeoutMs: 60_000 }))).toMatchObject({ code: 'upstream_4xx', status: 404 });
    expect(fake.requests[0]).toMatchObject({ provider: undefined, path: '/r/asheville.rss' });
  });
});
