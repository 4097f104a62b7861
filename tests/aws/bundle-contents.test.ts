/**
 * What a Lambda bundle reads at import, built as `npm run package:aws` builds it: its own code and
 * the SDKs it needs before the first call, and none of the SDKs behind ports. Those are chunks,
 * read when a port is first used: a Cosmos-backed route carries the Cosmos SDK, but loads it only
 * when it first queries. Sizes are asserted in bytes, never in time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFunctionBundle, type BuiltBundle } from '../../scripts/lambda-bundle.ts';

const LAZY_SDKS = ['@azure/cosmos', '@azure/storage-queue', '@azure/storage-blob', '@aws-sdk/client-sqs', '@aws-sdk/client-s3', 'openai', 'sharp', 'langfuse', '@opentelemetry/sdk-trace-base'];
const carries = (inputs: readonly string[], sdk: string) => inputs.some((input) => input.includes(`node_modules/${sdk}/`));

const dir = mkdtempSync(join(tmpdir(), 'portico-bundle-contents-'));
const bundles: Record<string, BuiltBundle> = {};
beforeAll(async () => {
  for (const name of ['diagnostics-echo', 'wardrobe-list', 'health', 'capabilities-health']) bundles[name] = await buildFunctionBundle(name, join(dir, name));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Lambda bundles', () => {
  it('echo reads at most 1 MB of JavaScript at import, and no SDK that sits behind a port', () => {
    const echo = bundles['diagnostics-echo']!;
    expect(echo.loadedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(LAZY_SDKS.filter((sdk) => carries(echo.loadedInputs, sdk))).toEqual([]);
  });

  it('a Cosmos-backed route carries the Cosmos SDK in a chunk, not in what it reads at import', () => {
    const items = bundles['wardrobe-list']!;
    expect(carries(items.allInputs, '@azure/cosmos')).toBe(true);
    expect(carries(items.loadedInputs, '@azure/cosmos')).toBe(false);
    expect(LAZY_SDKS.filter((sdk) => carries(items.loadedInputs, sdk))).toEqual([]);
  });

  it('a bundle carries its own service and none of the others', () => {
    const service = (input: string) => /^handlers\/([a-z-]+)\//.exec(input)?.[1];
    const services = (bundle: BuiltBundle) => [...new Set(bundle.allInputs.map(service).filter(Boolean))].sort();
    expect(services(bundles['diagnostics-echo']!)).toEqual(['diagnostics']);
    expect(services(bundles['wardrobe-list']!)).toEqual(['wardrobe']);
    // health is app-scoped (its service describes the whole app), so it carries every manifest.
    expect(services(bundles.health!).length).toBeGreaterThan(1);
  });

  it('leaves the capability plugins\' run-time packages out, and run far from the project its health names each one missing', () => {
    const health = bundles['capabilities-health']!;
    expect(['sharp', 'pdfjs-dist', 'tesseract.js', 'nsfwjs', '@tensorflow/tfjs', '@napi-rs/canvas'].filter((name) => carries(health.allInputs, name))).toEqual([]);
    // The bundle alone, in a folder with no node_modules and no config/: plugins.yaml is embedded.
    const runner = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(health.file).href)});
      const event = { version: '2.0', routeKey: 'GET /api/v1/health', rawPath: '/api/v1/health', rawQueryString: '', headers: {},
        requestContext: { http: { method: 'GET', path: '/api/v1/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'node' }, requestId: 'req-1', routeKey: 'GET /api/v1/health', stage: '$default', time: '', timeEpoch: 0 },
        isBase64Encoded: false };
      const result = await handler(event, { awsRequestId: 'aws-req-1', functionName: 'capabilities-health', getRemainingTimeInMillis: () => 29000 });
      console.log(JSON.stringify(result));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', runner], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' } });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    const report = JSON.parse(result.body) as { status: string; plugins: { name: string; healthy: boolean; reason?: string }[] };
    expect(report.status).toBe('degraded');
    const byName = Object.fromEntries(report.plugins.map((plugin) => [plugin.name, plugin]));
    expect(byName['image-compress']).toMatchObject({ healthy: false, reason: expect.stringContaining('does not ship sharp') });
    expect(byName['document-pdf-to-text']).toMatchObject({ healthy: false, reason: expect.stringContaining('pdfjs-dist') });
    expect(byName['video-transcode']).toMatchObject({ healthy: false, reason: expect.stringContaining('@ffmpeg-installer/ffmpeg') });
    expect(byName['ai-embedding']).toMatchObject({ healthy: true });
  });
});
