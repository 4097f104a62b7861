/**
 * The capability service as another site's backend meets it: `npm start` over real HTTP, with
 * API keys, on embedded Azurite and the Cosmos emulator, nothing mocked. Every plugin runs end
 * to end through its route on inputs the test generates, and its output is fetched back from
 * `output_url` (a signed Azurite URL) and checked. Then: multipart, URL inputs through the SSRF
 * rules, the daily quota, async jobs with a signed callback received and verified here, a failing
 * plugin retried then dead-lettered (its failure called back too), and usage in the metrics view.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { AzureBlobStore } from '../../adapters/storage/blob-store.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { createTokenService } from '../../middleware/auth/tokens.ts';
import { parseWebhookHeaders } from '../../domain/webhooks.ts';
import { parseWebhookSecret, verifyWebhookSignature } from '../../middleware/webhooks.ts';
import { startLocalHost, storageConnectionOf, type LocalHostProcess } from '../support/local-host-process.ts';
import { makeVideo, probeBytes } from '../media/media-support.ts';
import { textImage, textPdf } from './support/inputs.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY_A = randomBytes(24).toString('base64url');
const KEY_B = randomBytes(24).toString('base64url');
const SECRET_A = `whsec_${randomBytes(24).toString('base64')}`;
const JWT_SECRET = randomBytes(48).toString('base64url');
/** The segmentation stand-in fails for images this wide: the plugin's upstream is down. */
const FAILING_WIDTH = 31;

let host: LocalHostProcess;
let dataDir: string;
let files: Server;
let filesUrl: string;
let receiver: Server;
let receiverUrl: string;
let segmentation: Server;
const callbacks: { headers: IncomingMessage['headers']; body: Buffer }[] = [];

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const bodyOf = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};
const photo = (width: number, height: number, colour = '#c84020') => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

async function call(path: string, init: { key?: string; json?: unknown; form?: FormData; method?: string; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.key) headers['x-api-key'] = init.key;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${host.url}/api/${path}`, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers,
    body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}

const runPlugin = (name: string, input: unknown, key = KEY_A) => call(`v1/plugins/${name}`, { key, json: input });
async function output(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
}
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}\n${host.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'portico-capabilities-e2e-'));
  const png = await photo(640, 480);
  files = createServer((request, response) => {
    if (request.url === '/photo.png') return response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (request.url === '/elsewhere') return response.writeHead(302, { location: 'http://10.0.0.7/photo.png' }).end();
    // Larger than image-ocr's max_file_size (20 MB), announced by its Content-Length.
    if (request.url === '/huge.png') return response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(21 * 1024 * 1024) }).end();
    response.writeHead(404).end();
  });
  receiver = createServer(async (request, response) => {
    callbacks.push({ headers: request.headers, body: await bodyOf(request) });
    response.writeHead(204).end();
  });
  // A segmentation service: the left half cut out (transparent); a 500 for the "down" width.
  segmentation = createServer(async (request, response) => {
    const image = await bodyOf(request);
    const { width, height } = await sharp(image).metadata();
    if (width === FAILING_WIDTH) return response.writeHead(500).end('down');
    const mask = await sharp({ create: { width: width!, height: height!, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: await sharp({ create: { width: Math.ceil(width! / 2), height: height!, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } }).png().toBuffer(), left: Math.floor(width! / 2), top: 0 }])
      .png()
      .toBuffer();
    response.writeHead(200, { 'content-type': 'image/png' }).end(await sharp(image).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer());
  });
  [filesUrl, receiverUrl] = await Promise.all([listen(files), listen(receiver)]);
  const segmentationUrl = await listen(segmentation);
  host = await startLocalHost({
    dataDir,
    env: {
      JWT_SECRET,
      ADMIN_USER_IDS: 'portico|ops',
      API_KEYS: `site-a:${KEY_A},site-b:${KEY_B}`,
      CAPABILITIES_WEBHOOK_SECRETS: `site-a:${SECRET_A}`,
      CAPABILITIES_KEY_QUOTAS: 'site-b:3',
      // The files and the callback receiver are on this machine; a deployment never allows it.
      CAPABILITIES_ALLOW_LOOPBACK_URLS: 'true',
      SEGMENTATION_ENDPOINT_URL: `${segmentationUrl}/segment`,
      SEGMENTATION_SHARED_TOKEN: 'segmentation-token-for-tests',
      CAPABILITIES_JOB_MAX_RETRIES: '1',
      CAPABILITIES_JOB_BASE_BACKOFF_SECONDS: '1',
      CAPABILITIES_JOB_JITTER_SECONDS: '0',
      RATE_LIMIT_CAPABILITIES: '1000',
    },
  });
}, 180_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([files, receiver, segmentation].map((server) => new Promise((resolve) => server?.close(resolve))));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the seed\'s routes', () => {
  it('reports every plugin in health, healthy here', async () => {
    const { status, body } = await call('v1/health');
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.plugins.map((plugin: Json) => plugin.name)).toEqual(expect.arrayContaining(['image-compress', 'image-ocr', 'document-pdf-to-text', 'ai-embedding', 'nsfw-check', 'image-remove-background']));
    expect(body.plugins.filter((plugin: Json) => !plugin.healthy)).toEqual([]);
  });

  it('compresses an image given by URL, answering the seed\'s shape with an output a client can fetch', async () => {
    const { status, body } = await call('v1/image/compress', { key: KEY_A, json: { image_url: `${filesUrl}/photo.png`, options: { quality: 70, format: 'webp', max_width: 320, max_height: 320 } } });
    expect(status).toBe(200);
    expect(body).toEqual({
      success: true,
      data: { output_url: expect.stringMatching(/\/capabilities-output\/uploads\/[0-9a-f]{32}_compressed\.webp\?.*sig=/), metadata: { original_size: expect.any(Number), compressed_size: expect.any(Number), compression_ratio: expect.any(Number), width: 320, height: 240, format: 'webp' } },
      execution_time_ms: expect.any(Number),
    });
    const { bytes, type } = await output(body.data.output_url);
    expect(type).toBe('image/webp');
    expect(bytes.byteLength).toBe(body.data.metadata.compressed_size);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });
  });

  it('takes multipart/form-data with the image in `file` and the options as fields', async () => {
    const form = new FormData();
    form.append('file', new Blob([await photo(300, 200)], { type: 'image/png' }), 'photo.png');
    form.append('format', 'jpeg');
    form.append('quality', '60');
    form.append('max_height', '100');
    const { status, body } = await call('v1/image/compress', { key: KEY_A, form });
    expect(status).toBe(200);
    expect(body.data.metadata).toMatchObject({ width: 150, height: 100, format: 'jpeg' });
    expect(await sharp((await output(body.data.output_url)).bytes).metadata()).toMatchObject({ format: 'jpeg', width: 150, height: 100 });
  });

  it('refuses without a valid key, and refuses what a client sent with a problem carrying success: false', async () => {
    const unauthorised = await call('v1/image/compress', { json: {} });
    expect(unauthorised).toMatchObject({ status: 401, type: 'application/problem+json', body: { success: false, code: 'unauthorized', requestId: expect.any(String) } });
    expect((await call('v1/image/compress', { key: 'x'.repeat(32), json: {} })).status).toBe(401);
    const cases: [unknown, number, string][] = [
      [{ image_base64: b64(Buffer.from('not an image at all')) }, 415, 'unsupported_format'],
      [{ image_url: 'http://10.0.0.1/photo.png' }, 400, 'url_not_allowed'],
      [{ image_url: `${filesUrl}/elsewhere` }, 400, 'url_not_allowed'],
      [{ image_url: `${filesUrl}/missing.png` }, 422, 'fetch_failed'],
      [{ options: { quality: 101 } }, 400, 'validation_failed'],
      [{}, 400, 'missing_input'],
    ];
    for (const [input, status, code] of cases) {
      const answer = await call('v1/image/compress', { key: KEY_A, json: input });
      expect({ input, status: answer.status, code: answer.body.code, success: answer.body.success }).toEqual({ input, status, code, success: false });
    }
    expect((await runPlugin('image-teleport', {})).body).toMatchObject({ code: 'plugin_not_found', success: false });
    expect((await runPlugin('image-ocr', { image_url: `${filesUrl}/huge.png` })).body).toMatchObject({ code: 'input_too_large', status: 413 });
  });

  it('writes nothing for a refused input', async () => {
    const blobs = new AzureBlobStore(storageConnectionOf(host.line));
    const before = (await blobs.list('capabilities-output')).length;
    const bomb = await photo(1, 1);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    for (const name of ['image-compress', 'image-resize', 'image-convert', 'image-thumbnail', 'nsfw-check']) {
      const options = { 'image-convert': { format: 'png' }, 'image-resize': { width: 10 } }[name as string];
      const answer = await runPlugin(name, { image_base64: b64(bomb), ...(options ? { options } : {}) });
      expect({ name, status: answer.status, code: answer.body.code }).toEqual({ name, status: 413, code: 'input_too_large' });
    }
    expect((await blobs.list('capabilities-output')).length).toBe(before);
  });

  it('lists the registry with each plugin\'s input schema', async () => {
    const { body } = await call('v1/plugins');
    const ocr = body.plugins.find((plugin: Json) => plugin.name === 'image-ocr');
    expect(ocr).toMatchObject({ category: 'image', enabled: true, input_schema: { type: 'object', properties: { image_url: {}, image_base64: {} } } });
  });
});

describe('every plugin, end to end on the local host', () => {
  it('image-resize, image-thumbnail, image-convert and image-metadata', async () => {
    const input = b64(await photo(400, 200));
    const resized = await runPlugin('image-resize', { image_base64: input, options: { width: 100, height: 100, fit: 'cover', format: 'png' } });
    expect(await sharp((await output(resized.body.data.output_url)).bytes).metadata()).toMatchObject({ format: 'png', width: 100, height: 100 });
    const thumbnail = await runPlugin('image-thumbnail', { image_base64: input, options: { size: 64 } });
    expect(await sharp((await output(thumbnail.body.data.output_url)).bytes).metadata()).toMatchObject({ format: 'webp', width: 64, height: 64 });
    const converted = await runPlugin('image-convert', { image_base64: input, options: { format: 'avif' } });
    expect((await sharp((await output(converted.body.data.output_url)).bytes).metadata()).format).toBe('heif');
    const metadata = await runPlugin('image-metadata', { image_base64: input });
    expect(metadata.body.data.metadata).toMatchObject({ format: 'png', width: 400, height: 200, has_exif: false });
    expect(metadata.body.data.metadata.dominant_colors[0]).toMatchObject({ hex: '#c84020', share: 1 });
  });

  it('image-remove-background through the segmentation service', async () => {
    const { status, body } = await runPlugin('image-remove-background', { image_base64: b64(await photo(40, 20)) });
    expect(status).toBe(200);
    const png = (await output(body.data.output_url)).bytes;
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 40, height: 20 });
    expect(data[3]).toBe(0); // the left half cut out
    expect(data[(info.width - 1) * 4 + 3]).toBe(255); // the right half kept
  });

  it('image-ocr finds the words drawn in the image', async () => {
    const image = await textImage(900, 160, ['Portico reads receipts'], 48);
    const { status, body } = await runPlugin('image-ocr', { image_base64: b64(image) });
    expect(status).toBe(200);
    expect(body.data.text.toLowerCase()).toEqual(expect.stringContaining('portico'));
    expect(body.data.text.toLowerCase()).toEqual(expect.stringContaining('receipts'));
  });

  it('document-pdf-to-text and document-pdf-to-images on a PDF the test writes', async () => {
    const pdf = b64(await textPdf([{ text: 'First page about otters' }, { text: 'Second page about herons', size: [400, 200] }]));
    const text = await runPlugin('document-pdf-to-text', { pdf_base64: pdf });
    expect(text.body.data.page_count).toBe(2);
    expect(text.body.data.pages.map((page: Json) => page.text)).toEqual([expect.stringContaining('otters'), expect.stringContaining('herons')]);
    const images = await runPlugin('document-pdf-to-images', { pdf_base64: pdf, options: { scale: 1 } });
    expect(images.body.data.images.map((image: Json) => [image.page, image.width, image.height])).toEqual([[1, 300, 200], [2, 400, 200]]);
    for (const image of images.body.data.images) expect(await sharp((await output(image.output_url)).bytes).metadata()).toMatchObject({ format: 'png', width: image.width, height: image.height });
  });

  it('video-screenshot, video-transcode and video-compress on a video ffmpeg makes', async () => {
    const video = b64(await makeVideo({ seconds: 2, width: 160, height: 120, fps: 10 }));
    const stills = await runPlugin('video-screenshot', { video_base64: video, options: { count: 2, format: 'png' } });
    expect(stills.status).toBe(200);
    expect(stills.body.data.frames).toHaveLength(2);
    for (const frame of stills.body.data.frames) expect(await sharp((await output(frame.output_url)).bytes).metadata()).toMatchObject({ format: 'png', width: 160, height: 120 });
    const webm = await runPlugin('video-transcode', { video_base64: video, options: { format: 'webm', max_height: 60 } });
    expect(webm.status).toBe(200);
    const probed = await probeBytes((await output(webm.body.data.output_url)).bytes, 'webm');
    const track = probed.streams.find((stream) => stream.codec_type === 'video')!;
    expect(track).toMatchObject({ codec_name: 'vp9', width: 80, height: 60, nb_read_frames: '20' });
    const smaller = await runPlugin('video-compress', { video_base64: video });
    expect(smaller.status).toBe(200);
    expect((await output(smaller.body.data.output_url)).bytes.byteLength).toBe(smaller.body.data.metadata.compressed_size);
  });

  it('ai-embedding, ai-classify and nsfw-check', async () => {
    const embedding = await runPlugin('ai-embedding', { texts: ['a red summer dress', 'a red dress for summer', 'tax law of 1990'] });
    expect(embedding.status).toBe(200);
    const [a, b, c] = embedding.body.data.vectors as number[][];
    const dot = (x: number[], y: number[]) => x.reduce((sum, value, index) => sum + value * y[index]!, 0);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    const classified = await runPlugin('ai-classify', { text: 'my phone battery drains overnight', labels: ['battery', 'screen', 'shipping'] });
    expect(classified.body.data.label).toBe('battery');
    const nsfw = await runPlugin('nsfw-check', { image_base64: b64(await photo(96, 96, '#3070c0')) });
    expect(nsfw.status).toBe(200);
    expect(Object.values(nsfw.body.data.scores as Record<string, number>).reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 2);
  });
});

describe('keys, quotas and jobs', () => {
  it('counts a daily quota per key: site-b gets its 3 calls, then 429 quota_exceeded; site-a is untouched', async () => {
    const input = { image_base64: b64(await photo(8, 8)) };
    for (let i = 0; i < 3; i++) expect((await runPlugin('image-metadata', input, KEY_B)).status).toBe(200);
    const refused = await runPlugin('image-metadata', input, KEY_B);
    expect(refused).toMatchObject({ status: 429, body: { code: 'quota_exceeded', success: false } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await runPlugin('image-metadata', input)).status).toBe(200);
  });

  it('runs a job through the queue and calls back, signed with the key\'s secret; another key sees 404', async () => {
    const submitted = await call('v1/jobs', { key: KEY_A, json: { plugin: 'image-compress', input: { image_base64: b64(await photo(200, 100)), options: { format: 'png' } }, callback_url: `${receiverUrl}/hooks/capabilities` } });
    expect(submitted).toMatchObject({ status: 202, body: { job_id: expect.any(String), status: 'queued' } });
    const id = submitted.body.job_id as string;
    const done = await until(() => call(`v1/jobs/${id}`, { key: KEY_A }), (answer) => answer.body.status === 'succeeded' && answer.body.callback?.status === 'delivered', 'the job and its callback');
    expect(done.body).toMatchObject({ plugin: 'image-compress', attempts: 1, result: { output_url: expect.any(String), metadata: { width: 200, height: 100, format: 'png' } } });
    const delivery = callbacks.find((entry) => JSON.parse(entry.body.toString()).data.job_id === id)!;
    const headers = parseWebhookHeaders(delivery.headers as Record<string, string>);
    expect(verifyWebhookSignature([parseWebhookSecret(SECRET_A)], headers, delivery.body)).toBe(true);
    expect(JSON.parse(delivery.body.toString())).toMatchObject({ type: 'capability.job.succeeded', data: { job_id: id, status: 'succeeded', result: { output_url: done.body.result.output_url } } });
    expect((await call(`v1/jobs/${id}`, { key: KEY_B })).status).toBe(404);
  });

  it('retries a failing plugin, then dead-letters it, and calls back the failure', async () => {
    const submitted = await call('v1/jobs', { key: KEY_A, json: { plugin: 'image-remove-background', input: { image_base64: b64(await photo(FAILING_WIDTH, 10)) }, callback_url: `${receiverUrl}/hooks/capabilities` } });
    const id = submitted.body.job_id as string;
    const failed = await until(() => call(`v1/jobs/${id}`, { key: KEY_A }), (answer) => answer.body.status === 'failed' && answer.body.callback?.status === 'delivered', 'the failed job');
    expect(failed.body).toMatchObject({ attempts: 2, error: { code: 'job_failed' } });
    const token = (await createTokenService(loadAuthSettings({ JWT_SECRET })).issueAccessToken({ userId: 'ops' })).accessToken;
    const letter = await until(() => call('admin/dead-letters', { token }), (answer) => (answer.body.items ?? []).some((item: Json) => item.id === id), 'the dead letter');
    expect(letter.body.items.find((item: Json) => item.id === id)).toMatchObject({ type: 'capabilities.run', reason: 'max_attempts', lastError: expect.stringContaining('image-remove-background') });
    const delivery = callbacks.find((entry) => JSON.parse(entry.body.toString()).data.job_id === id)!;
    expect(JSON.parse(delivery.body.toString())).toMatchObject({ type: 'capability.job.failed', data: { status: 'failed', error: { code: 'job_failed' } } });
  });

  it('refuses a callback to a private address, and a job of a plugin\'s bad input at once', async () => {
    const input = { image_base64: b64(await photo(8, 8)) };
    expect((await call('v1/jobs', { key: KEY_A, json: { plugin: 'image-compress', input, callback_url: 'http://10.1.2.3/hook' } })).body).toMatchObject({ code: 'url_not_allowed' });
    expect((await call('v1/jobs', { key: KEY_B, json: { plugin: 'image-compress', input, callback_url: `${receiverUrl}/x` } })).body).toMatchObject({ code: 'callback_not_configured' });
    expect((await call('v1/jobs', { key: KEY_A, json: { plugin: 'image-compress', input: { options: { quality: 0 } } } })).body).toMatchObject({ code: 'validation_failed' });
  });

  it('shows usage per key and plugin in the metrics view', async () => {
    const token = (await createTokenService(loadAuthSettings({ JWT_SECRET })).issueAccessToken({ userId: 'ops' })).accessToken;
    const { body } = await call('admin/metrics', { token });
    const calls = body.counters.find((counter: Json) => counter.name === 'portico.capabilities.calls');
    expect(calls.points).toEqual(expect.arrayContaining([
      expect.objectContaining({ attributes: { key: 'site-a', plugin: 'image-compress', mode: 'sync', outcome: 'success' } }),
      expect.objectContaining({ attributes: { key: 'site-b', plugin: 'image-metadata', mode: 'sync', outcome: 'success' }, value: 3 }),
      expect.objectContaining({ attributes: expect.objectContaining({ key: 'site-a', plugin: 'image-compress', outcome: 'input_too_large' }) }),
    ]));
  });
});
