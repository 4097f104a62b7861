/**
 * GET /api/docs in a real browser: headless Chromium (Debian's `chromium`, which .ci/run installs)
 * driven by playwright-core, against a real local host on a free loopback port. The page must
 * show every operation of /api/openapi.json (method and path), load nothing from elsewhere,
 * break no rule of its CSP, and run a request from the page (health: "Try it out", "Execute")
 * that answers 200. A screenshot is kept in test-output/docs-browser/ (git-ignored).
 * Chromium missing is a failure, not a skip: CI must have it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../app/app.ts';
import { services } from '../../app/services.ts';
import { createInvoker } from '../../adapters/local/invoke.ts';
import { createLocalHost, type LocalHost } from '../../adapters/local/server.ts';
import { createLogger } from '../../middleware/logger.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = fileURLToPath(new URL('../../test-output/docs-browser/', import.meta.url));
/** Bounds on waiting for the page, not assertions on its speed. */
const WAIT_MS = 30_000;

type Operation = { method: string; path: string };

let host: LocalHost;
let base: string;
let browser: Browser | undefined;
let page: Page;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];
const requested: string[] = [];
const failed: string[] = [];

beforeAll(async () => {
  expect(existsSync(CHROMIUM) ? CHROMIUM : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`).toBe(CHROMIUM);
  // The app as `npm start` builds it, without emulators: health has no dependency to check.
  const app = createApp({ services, env: { LOG_LEVEL: 'silent', LOG_PRETTY: 'false' } });
  host = createLocalHost({ table: app.functions, port: 0, logger: createLogger({ level: 'silent', pretty: false }), maxBodyBytes: 64 * 1024, invoker: createInvoker(app.bind) });
  base = await host.listen();
  // Chromium's sandbox cannot start as root (as in CI containers).
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(WAIT_MS);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requested.push(request.url()));
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** Every operation the document describes, as method and path. */
async function documented(): Promise<Operation[]> {
  const response = await fetch(`${base}/api/openapi.json`);
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}

const sorted = (operations: Operation[]) => operations.map((o) => `${o.method} ${o.path}`).sort();

describe('GET /api/docs in Chromium', () => {
  it('shows every operation of /api/openapi.json, by method and path', async () => {
    const response = await page.goto(`${base}/api/docs`);
    expect(response?.status()).toBe(200);
    const expected = await documented();
    expect(expected.length).toBeGreaterThan(10);
    // Tags start collapsed (handlers/system/swagger-ui-assets.ts): open each in turn, as a reader
    // would, read its operations' summary rows, and close it again.
    const tags = page.locator('.opblock-tag');
    await tags.first().waitFor();
    const shown: Operation[] = [];
    for (let index = 0; index < (await tags.count()); index += 1) {
      const section = page.locator('.opblock-tag-section').nth(index);
      await tags.nth(index).click();
      await section.locator('.opblock').first().waitFor();
      shown.push(
        ...(await section.locator('.opblock').evaluateAll((blocks) =>
          blocks.map((block) => ({
            method: block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '',
            path: block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '',
          })),
        )),
      );
      await tags.nth(index).click();
    }
    expect(sorted(shown)).toEqual(sorted(expected));
  }, 60_000);

  it('runs GET /api/health from the page ("Try it out", "Execute") and shows its 200', async () => {
    // Swagger UI's id is operations-<tag>-<operationId>; the tag is the name's first word (app/openapi.ts).
    // Its tag starts collapsed: open it first.
    await page.locator('#operations-tag-health').click();
    const operation = page.locator('#operations-health-health');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/health');
    await operation.locator('button.execute').click();
    expect((await answered).status()).toBe(200);
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    await expect(operation.locator('.live-responses-table tbody .response-col_description').first().textContent()).resolves.toContain('healthy');
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}api-docs.png`, fullPage: true });
    expect(existsSync(`${OUTPUT}api-docs.png`)).toBe(true);
  }, 60_000);

  it('loaded everything from the app itself, with no CSP violation or script error', () => {
    const origin = new URL(base).origin;
    expect(requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    for (const file of ['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js', '/api/openapi.json']) expect(requested).toContain(`${origin}${file}`);
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
