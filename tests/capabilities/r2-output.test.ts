/**
 * Outputs to an S3-compatible store (the seed's Cloudflare R2) set only by the R2_* settings:
 * the app builds the platform's S3 adapter with that endpoint and those keys, the real AWS SDK
 * signs a PutObject to `<endpoint>/<bucket>/<key>`, and `output_url` is R2_PUBLIC_URL plus the
 * key. The store is a local HTTP server that answers PutObject as S3 does and records it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { createApp } from '../../app/app.ts';
import { services } from '../../app/services.ts';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import { createLogger } from '../../middleware/logger.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';

const KEY = 'r2-test-key-0123456789abcdef';
let store: Server;
let endpoint: string;
const puts: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];

beforeAll(async () => {
  store = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    puts.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(200, { etag: '"0123456789abcdef"' }).end();
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => store.close(resolve)));

describe('outputs to R2 (an S3-compatible store)', () => {
  it('writes through the S3 adapter with the R2 keys, and answers the public URL', async () => {
    const app = createApp({
      services,
      env: {
        RATE_LIMITING_ENABLED: 'false',
        API_KEYS: `site:${KEY}`,
        R2_BUCKET_NAME: 'portico-outputs',
        R2_ENDPOINT: endpoint,
        R2_ACCESS_KEY_ID: 'R2TESTACCESSKEY',
        R2_SECRET_ACCESS_KEY: 'r2-test-secret-access-key',
        R2_PUBLIC_URL: 'https://images.example.test/',
      },
      ports: { logger: createLogger({ level: 'silent', pretty: false }), documents: new MemoryDocumentStore() },
    });
    const def = app.find('capabilities-compress') as FunctionDef<HttpTrigger>;
    const handler = (await app.bind(def)) as HttpLambda;
    const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#208040' } }).png().toBuffer();
    const result = await handler(
      httpEvent({ method: 'POST', path: '/api/v1/image/compress', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify({ image_base64: png.toString('base64') }) }),
      lambdaContext(def.name),
    );
    expect(result.statusCode).toBe(200);
    const { data } = JSON.parse(result.body!) as { data: { output_url: string } };
    const key = /^https:\/\/images\.example\.test\/(uploads\/[0-9a-f]{32}_compressed\.webp)$/.exec(data.output_url)?.[1];
    expect(key).toBeDefined();
    const put = puts.find((request) => request.method === 'PUT');
    expect(put?.url.split('?')[0]).toBe(`/portico-outputs/${key}`);
    expect(put?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=R2TESTACCESSKEY\/\d{8}\/[a-z0-9-]+\/s3\/aws4_request/);
    expect(put?.headers['content-type']).toBe('image/webp');
    expect((await sharp(put!.body).metadata()).format).toBe('webp');
  });
});
