/**
 * What a Lambda bundle reads at import, built as `npm run package:aws` builds it: its own code and
 * the SDKs it needs before the first call, and none of the SDKs behind ports. Those are chunks,
 * read when a port is first used: a Cosmos-backed route carries the Cosmos SDK, but loads it only
 * when it first queries. Sizes are asserted in bytes, never in time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctionBundle, type BuiltBundle } from '../../scripts/lambda-bundle.ts';

const LAZY_SDKS = ['@azure/cosmos', '@azure/storage-queue', '@azure/storage-blob', '@aws-sdk/client-sqs', '@aws-sdk/client-s3', 'openai', 'sharp', 'langfuse', '@opentelemetry/sdk-trace-base'];
const carries = (inputs: readonly string[], sdk: string) => inputs.some((input) => input.includes(`node_modules/${sdk}/`));

const dir = mkdtempSync(join(tmpdir(), 'portico-bundle-contents-'));
const bundles: Record<string, BuiltBundle> = {};
beforeAll(async () => {
  for (const name of ['diagnostics-echo', 'wardrobe-items-list', 'health']) bundles[name] = await buildFunctionBundle(name, join(dir, name));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Lambda bundles', () => {
  it('echo reads at most 1 MB of JavaScript at import, and no SDK that sits behind a port', () => {
    const echo = bundles['diagnostics-echo']!;
    expect(echo.loadedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(LAZY_SDKS.filter((sdk) => carries(echo.loadedInputs, sdk))).toEqual([]);
  });

  it('a Cosmos-backed route carries the Cosmos SDK in a chunk, not in what it reads at import', () => {
    const items = bundles['wardrobe-items-list']!;
    expect(carries(items.allInputs, '@azure/cosmos')).toBe(true);
    expect(carries(items.loadedInputs, '@azure/cosmos')).toBe(false);
    expect(LAZY_SDKS.filter((sdk) => carries(items.loadedInputs, sdk))).toEqual([]);
  });

  it('a bundle carries its own service and none of the others', () => {
    const service = (input: string) => /^handlers\/([a-z-]+)\//.exec(input)?.[1];
    const services = (bundle: BuiltBundle) => [...new Set(bundle.allInputs.map(service).filter(Boolean))].sort();
    expect(services(bundles['diagnostics-echo']!)).toEqual(['diagnostics']);
    expect(services(bundles['wardrobe-items-list']!)).toEqual(['wardrobe']);
    // health is app-scoped (its service describes the whole app), so it carries every manifest.
    expect(services(bundles.health!).length).toBeGreaterThan(1);
  });
});
