/**
 * The Lambda bundle of a `stream: true` function, built with the bundling options and plugins of
 * serverless.yml and run by plain Node outside the project, as Lambda runs it. A fake `awslambda`
 * global stands in for the Node.js runtime (there is no Lambda runtime here): `streamifyResponse`
 * and `HttpResponseStream.from` as documented, over a Writable that records what the client gets.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { build, type BuildOptions } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { embedProjectFiles, streamingEntryModule, streamingModules, wrapStreamingHandlers } from '../../adapters/aws/esbuild-plugins.ts';
import { serverlessConfig } from '../../adapters/aws/serverless-config.ts';
import { functions } from '../../app/functions.ts';
import { eventsOf, isHeartbeat, parseFrames } from './frames.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const esbuild = (serverlessConfig(functions) as { custom: { esbuild: Record<string, unknown> } }).custom.esbuild;
const { bundle, format, platform, target, banner } = esbuild as BuildOptions;
const dir = mkdtempSync(join(tmpdir(), 'portico-stream-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs in the child: a fake runtime, one invocation with a function URL event, the result as JSON. */
const runner = (bundlePath: string, query: string) => `
import { Writable } from 'node:stream';
let metadata;
const chunks = [];
globalThis.awslambda = {
  streamifyResponse: (fn) => fn,
  HttpResponseStream: { from: (stream, meta) => ((metadata = meta), stream) },
};
const { handler } = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
const stream = new Writable({ write(chunk, _e, done) { chunks.push(Buffer.from(chunk)); done(); } });
const now = new Date();
const event = {
  version: '2.0', routeKey: '$default', rawPath: '/api/diagnostics/stream', rawQueryString: ${JSON.stringify(query)},
  headers: { host: 'abc.lambda-url.us-east-1.on.aws' }, queryStringParameters: Object.fromEntries(new URLSearchParams(${JSON.stringify(query)})),
  requestContext: { accountId: 'anonymous', apiId: 'abc', domainName: 'abc.lambda-url.us-east-1.on.aws', domainPrefix: 'abc',
    http: { method: 'GET', path: '/api/diagnostics/stream', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'node' },
    requestId: 'req-1', routeKey: '$default', stage: '$default', time: now.toUTCString(), timeEpoch: now.getTime() },
  isBase64Encoded: false,
};
const context = { awsRequestId: 'aws-req-1', functionName: 'diagnostics-stream', getRemainingTimeInMillis: () => 29000 };
await handler(event, stream, context);
console.log(JSON.stringify({ metadata, text: Buffer.concat(chunks).toString('utf8'), ended: stream.writableFinished }));
`;

describe('the streaming entry', () => {
  it('is found for exactly the table\'s stream: true functions', () => {
    const modules = streamingModules(functions);
    const streaming = functions.filter((def) => def.trigger.kind === 'http' && def.trigger.stream).map((def) => def.name).sort();
    expect([...modules.values()].flat().map((entry) => entry.route.name).sort()).toEqual(streaming);
    expect(modules.get('handlers/system/stream')).toEqual([{ exportName: 'handler', route: { name: 'diagnostics-stream', method: 'GET', route: 'diagnostics/stream' } }]);
  });

  it('re-exports the module and wraps only the streaming export', () => {
    const source = streamingEntryModule('/m.ts', '/w.ts', [{ exportName: 'chat', route: { name: 'c', method: 'POST', route: 'c' } }]);
    expect(source).toContain('export * from "/m.ts";');
    expect(source).toContain('export const chat = streamingLambda(original.chat, {"name":"c","method":"POST","route":"c"});');
  });

  it('streams the frames from the built bundle, run by plain Node far from the project', async () => {
    const outfile = join(dir, 'stream.mjs');
    await build({
      bundle, format, platform, target, banner, logLevel: 'silent',
      absWorkingDir: ROOT,
      entryPoints: ['handlers/system/stream.ts'],
      outfile,
      plugins: [embedProjectFiles, wrapStreamingHandlers],
    });
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', runner(outfile, 'count=2&intervalMs=0')], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' },
    });
    expect(child.stderr).toBe('');
    const { metadata, text, ended } = JSON.parse(child.stdout) as { metadata: { statusCode: number; headers: Record<string, string> }; text: string; ended: boolean };
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(ended).toBe(true);
    const frames = parseFrames(text);
    expect(isHeartbeat(frames[0]!)).toBe(true);
    expect(eventsOf(frames).map((frame) => frame.event)).toEqual(['tick', 'tick', 'done']);
  }, 60_000);
});
