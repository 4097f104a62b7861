/**
 * A webhook receiver on this machine (node:http on 127.0.0.1) and the platform's SSRF-safe
 * client that reaches it, as tests/jobs/outgoing-webhooks.test.ts does: loopback allowed, and a
 * resolver playing DNS (`private.example.test` resolves to a private address, any other name to
 * the receiver). Registrations must be https, and the receiver has no certificate, so the client
 * given to the app stands in for TLS: it POSTs an https URL's request over plain http, through
 * the real client and its address checks.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSafeFetcher, type Resolver } from '../../../adapters/http/safe-fetch.ts';
import type { Ports } from '../../../app/ports.ts';
import { parseWebhookHeaders, type WebhookHeaders } from '../../../domain/webhooks.ts';

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The Standard Webhooks headers. */
  webhook: WebhookHeaders;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

const resolve: Resolver = async (hostname) => [{ address: hostname === 'private.example.test' ? '10.0.0.5' : '127.0.0.1', family: 4 }];

export async function startReceiver() {
  const received: Delivery[] = [];
  /** What the receiver answers, in turn; the last one repeats. */
  let answers = [204];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    received.push({ path: request.url ?? '', headers: request.headers, body, webhook: parseWebhookHeaders(request.headers as Record<string, string>), json: JSON.parse(body.toString('utf8')) });
    response.writeHead(answers.length > 1 ? answers.shift()! : answers[0]!).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const fetcher = createSafeFetcher({ timeoutMs: 5000, maxBytes: 64 * 1024, maxRedirects: 0, allowLoopback: true }, { resolve });
  /** The app's `safeHttp` port: the real client, https requests carried over http to the receiver. */
  const safeHttp: Ports['safeHttp'] = () => ({ ...fetcher, post: (url, body, headers, signal) => fetcher.post(url.replace(/^https:/, 'http:'), body, headers, signal) });
  return {
    received,
    safeHttp,
    /** A URL to register: a public-looking name that reaches this receiver. */
    url: (path: string) => `https://hooks.example.test:${port}${path}`,
    /** The receiver's own loopback URL, for a host running with VOICE_WEBHOOKS_ALLOW_LOOPBACK. */
    loopbackUrl: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** A URL whose name resolves to a private address. */
    privateUrl: (path: string) => `https://private.example.test:${port}${path}`,
    answer: (...statuses: number[]) => void (answers = statuses),
    to: (path: string) => received.filter((delivery) => delivery.path === path),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
