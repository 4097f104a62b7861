/** The segmentation client against a real local HTTP server: what it sends, and every way the service can fail. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../adapters/local/azurite.ts';
import { HttpSegmentation } from '../../../adapters/segmentation/http-segmentation.ts';
import { SegmentationError } from '../../../domain/wardrobe/media.ts';
import { cutout, png } from './support.ts';

type Behaviour = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

let server: Server;
let base: URL;
let behaviour: Behaviour;
const seen: { headers: IncomingMessage['headers']; body: Buffer; method?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ headers: req.headers, body, method: req.method });
      behaviour(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/segment`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (timeoutMs = 2000, endpoint = base, maxResponseBytes?: number) =>
  new HttpSegmentation({ endpoint, token: 'shared-token-value', timeoutMs, ...(maxResponseBytes ? { maxResponseBytes } : {}) });

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SegmentationError);
  return (error as SegmentationError).reason;
}

describe('HttpSegmentation', () => {
  it('POSTs the image with the shared token and returns the PNG cut-out', async () => {
    const answer = await cutout(40, 20, { r: 200, g: 30, b: 40 });
    behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(answer);
    const image = await png(40, 20, { r: 1, g: 2, b: 3 });
    seen.length = 0;
    const result = await client().removeBackground({ bytes: image, contentType: 'image/png' });
    expect(Buffer.from(result).equals(answer)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.authorization).toBe('Bearer shared-token-value');
    expect(seen[0]!.headers['content-type']).toBe('image/png');
    expect(seen[0]!.body.equals(image)).toBe(true);
  });

  it('reports a non-2xx answer as rejected', async () => {
    behaviour = (_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad token"}');
    expect(await reason(client().removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('rejected');
    behaviour = (_req, res) => res.writeHead(500).end();
    expect(await reason(client().removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('rejected');
  });

  it('reports an answer that is not a PNG, or is too large, as invalid_response', async () => {
    behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('definitely not a png');
    expect(await reason(client().removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('invalid_response');
    const answer = await cutout(40, 20, { r: 200, g: 30, b: 40 });
    behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(answer);
    expect(await reason(client(2000, base, 64).removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('invalid_response');
    // Chunked (no Content-Length): the cap is enforced while reading.
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(answer.subarray(0, 40));
      res.end(answer.subarray(40));
    };
    expect(await reason(client(2000, base, 64).removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('invalid_response');
  });

  it('gives up on a stalled service after the timeout', async () => {
    behaviour = () => undefined; // never answers
    expect(await reason(client(150).removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('timeout');
    // Headers, then a stalled body: still a timeout.
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    };
    expect(await reason(client(150).removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('timeout');
  });

  it('reports a refused connection as unreachable', async () => {
    const closed = new URL(`http://127.0.0.1:${await freePort()}/segment`);
    expect(await reason(client(2000, closed).removeBackground({ bytes: new Uint8Array(8), contentType: 'image/png' }))).toBe('unreachable');
  });
});
