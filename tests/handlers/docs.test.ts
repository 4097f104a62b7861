/**
 * GET /api/docs and GET /api/docs/{file} through the real bind and HTTP stack: the page, the files
 * it loads (every one it names is served, from swagger-ui-dist, byte for byte), content types,
 * caching, a CSP that allows only this origin, and the standard security headers kept. The page
 * in a browser is tests/local/docs-browser.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import type { HttpLambda } from '../../kernel/functions.ts';
import { services } from '../../app/services.ts';
import type { SwaggerUiFile } from '../../handlers/system/swagger-ui-assets.ts';
import { SECURITY_HEADERS } from '../../middleware/security-headers.ts';
import { testApp } from '../support/app.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';

const t = testApp({ services });
const swaggerUi = (name: string) => readFileSync(new URL(`../../node_modules/swagger-ui-dist/${name}`, import.meta.url), 'utf8');

async function page() {
  const handler = await t.handler<HttpLambda>('docs');
  return handler(httpEvent({ method: 'GET', path: '/api/docs' }), lambdaContext('docs'));
}

async function file(name: string) {
  const handler = await t.handler<HttpLambda>('docs-asset');
  const event = { ...httpEvent({ method: 'GET', path: `/api/docs/${name}`, routeKey: 'GET /api/docs/{file}' }), pathParameters: { file: name } };
  return handler(event, lambdaContext('docs-asset'));
}

/** What the page loads: every src and href, resolved as a browser resolves them against /api/docs. */
function loads(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, 'http://host/api/docs')).map((url) => (url.protocol === 'data:' ? url.href : url.pathname));
}

describe('GET /api/docs', () => {
  it('is an HTML page with a CSP that allows only this origin (and data: images), cached briefly', async () => {
    const result = await page();
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['cache-control']).toBe('public, max-age=300');
    const csp = String(result.headers?.['content-security-policy'] ?? '');
    const directives = Object.fromEntries(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]: string[]) => [name, values]));
    expect(directives).toEqual({
      'default-src': ["'none'"], 'script-src': ["'self'"], 'style-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"],
      'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"],
    });
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
  });

  it('keeps every other security header of the stack', async () => {
    const result = await page();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (name !== 'content-security-policy' && name !== 'cache-control') expect([name, result.headers?.[name]]).toEqual([name, value]);
  });

  it('has no inline script or style, so the CSP needs no unsafe-inline', async () => {
    const html = (await page()).body ?? '';
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="docs/swagger-ui-bundle.js">', '<script src="docs/init.js">']);
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
  });

  it('loads only files that GET /api/docs/{file} serves', async () => {
    const paths = loads((await page()).body ?? '');
    // The empty icon only stops a request for /favicon.ico.
    expect(paths).toEqual(['data:,', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']);
    for (const path of paths.slice(1)) expect([path, (await file(path.split('/').pop()!)).statusCode]).toEqual([path, 200]);
  });
});

describe('GET /api/docs/{file}', () => {
  it("serves swagger-ui-dist's stylesheet and script byte for byte, cached for a day", async () => {
    for (const [name, type] of [['swagger-ui.css', 'text/css; charset=utf-8'], ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8']] as const) {
      const result = await file(name);
      expect([result.statusCode, result.headers?.['content-type'], result.headers?.['cache-control']]).toEqual([200, type, 'public, max-age=86400']);
      expect(result.body === swaggerUi(name)).toBe(true);
      expect(result.headers?.['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves the start-up script, which points Swagger UI at /api/openapi.json and no online validator', async () => {
    const result = await file('init.js');
    expect([result.statusCode, result.headers?.['content-type'], result.headers?.['cache-control']]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=300']);
    expect(result.body).toContain("new URL('openapi.json', document.baseURI)");
    expect(result.body).toContain('validatorUrl: null');
  });

  it('answers 404 problem+json with the request id for anything else, a path outside the package included', async () => {
    for (const name of ['index.html', 'swagger-ui.js', '../package.json', '..%2Fpackage.json', 'constructor', '']) {
      const result = await file(name);
      expect([name, result.statusCode, result.headers?.['content-type']]).toEqual([name, 404, 'application/problem+json']);
      const problem = JSON.parse(result.body ?? '{}') as { code: string; requestId: string };
      expect(problem.code).toBe('not_found');
      expect(problem.requestId).toEqual(expect.any(String));
    }
  });

  it('finds swagger-ui-dist from the built dist/ too, as the Azure app runs it', async () => {
    const built = new URL('../../dist/handlers/system/swagger-ui-assets.js', import.meta.url);
    expect(existsSync(built)).toBe(true); // `npm test` builds first
    const { readSwaggerUiFile } = (await import(built.href)) as { readSwaggerUiFile: (name: SwaggerUiFile) => Promise<string> };
    expect((await readSwaggerUiFile('swagger-ui.css')) === swaggerUi('swagger-ui.css')).toBe(true);
  });
});
