/**
 * The API reference page's Lambda bundle serves Swagger UI's files from itself: a zip has no
 * node_modules, so they are embedded at bundle time (adapters/aws/esbuild-plugins.ts), in a chunk
 * read on the first request for a file rather than at every cold start.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFunctionBundle, type BuiltBundle } from '../../scripts/lambda-bundle.ts';

const swaggerUi = (name: string) => readFileSync(new URL(`../../node_modules/swagger-ui-dist/${name}`, import.meta.url), 'utf8');
// Outside the project, so no node_modules is found by walking up from the bundle.
const dir = mkdtempSync(join(tmpdir(), 'portico-docs-bundle-'));
let bundle: BuiltBundle;
beforeAll(async () => {
  bundle = await buildFunctionBundle('docs-asset', dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Calls the bundle's handler under plain Node, in a process of its own as on Lambda. */
function get(file: string): { statusCode: number; headers: Record<string, string>; body: string } {
  const path = `/api/docs/${file}`;
  const event = { version: '2.0', routeKey: 'GET /api/docs/{file}', rawPath: path, rawQueryString: '', headers: {}, pathParameters: { file }, isBase64Encoded: false, requestContext: { http: { method: 'GET', path, sourceIp: '127.0.0.1' }, requestId: 'r1', routeKey: 'GET /api/docs/{file}', timeEpoch: 0 } };
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});
    const result = await handler(${JSON.stringify(event)}, { awsRequestId: 'r1', functionName: 'docs-asset', getRemainingTimeInMillis: () => 29000 });
    process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH }, maxBuffer: 16 * 1024 * 1024 });
  expect(child.stderr).toBe('');
  // The handler logs to stdout too; the result is the line marked RESULT.
  const line = child.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  return JSON.parse(line?.slice('RESULT '.length) ?? 'null') as { statusCode: number; headers: Record<string, string>; body: string };
}

describe('the docs-asset Lambda bundle', () => {
  it("serves Swagger UI's stylesheet and script byte for byte, with their content types, far from any node_modules", () => {
    const css = get('swagger-ui.css');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.body).toBe(swaggerUi('swagger-ui.css'));
    const js = get('swagger-ui-bundle.js');
    expect([js.statusCode, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(js.body).toBe(swaggerUi('swagger-ui-bundle.js'));
  });

  it('answers 404 problem+json for any other file', () => {
    const other = get('index.html');
    expect([other.statusCode, other.headers['content-type'], (JSON.parse(other.body) as { code: string }).code]).toEqual([404, 'application/problem+json', 'not_found']);
  });

  it('keeps the embedded files out of what a cold start reads: they are in a chunk of their own', () => {
    // app/project.ts's two small files are read at import; Swagger UI's are the embed that is not.
    const lazy = bundle.allInputs.filter((input) => input.startsWith('portico-embedded-files:') && !bundle.loadedInputs.includes(input));
    expect(lazy).toHaveLength(1);
    expect(bundle.loadedBytes).toBeLessThan(swaggerUi('swagger-ui-bundle.js').length);
  });
});
