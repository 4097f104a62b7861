/**
 * The Lambda entries (adapters/aws/lambda-entries.ts, one generated file per deployable function)
 * and the bundle of a `stream: true` function, built with the bundling options and plugins of
 * serverless.yml (code splitting into the entry's chunk folder included) and run by plain Node
 * outside the project, as Lambda runs it. A fake `awslambda` global stands in for the Node.js
 * runtime (there is no Lambda runtime here): `streamifyResponse` and `HttpResponseStream.from` as
 * documented, over a Writable that records what the client gets.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import plugins from '../../adapters/aws/esbuild-plugins.ts';
import { chunkFolderOf, ENTRIES_FOLDER, entryFileOf, entrySources } from '../../adapters/aws/lambda-entries.ts';
import { functions, jobs } from '../../app/functions.ts';
import { services } from '../../app/services.ts';
import { handlerReference, type FunctionDef } from '../../kernel/functions.ts';
import { templateEsbuildOptions } from '../../scripts/lambda-bundle.ts';
import { eventsOf, isHeartbeat, parseFrames } from './frames.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'portico-stream-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deployed = functions.filter((def) => !def.localOnly);
const named = (name: string) => deployed.find((def) => def.name === name)!;
const isStream = (def: FunctionDef) => def.trigger.kind === 'http' && def.trigger.stream === true;
/** What a function's bundle carries: the job workers and `bundle: 'app'` functions (delete_account) every manifest. */
const scopeOf = (def: FunctionDef) => (def.service === 'jobs' || def.bundle === 'app' ? 'app' : services.find((service) => service.name === def.service)!.scope);
const jobModules = [...new Set(jobs.map((job) => handlerReference(job.handler!).module))].sort();

const entries = entrySources(functions, services, jobs);
/** The job modules' loaders, one file the job workers' entries share. */
const JOB_MODULES = `${ENTRIES_FOLDER}/job-modules.ts`;
const sourceOf = (def: FunctionDef) => entries.get(entryFileOf(def))!;
/** What an entry imports statically, as paths from the project root. */
const importsOf = (def: FunctionDef) =>
  [...sourceOf(def).matchAll(/^import .* from '([^']+)';$/gm)].map((match) => relative(ROOT, join(ROOT, ENTRIES_FOLDER, match[1]!)));
const manifestsIn = (paths: readonly string[]) => paths.filter((path) => /^handlers\/[^/]+\/index\.ts$/.test(path) || path === 'app/services.ts');

/** Builds a function's entry as serverless-esbuild does: one entry per build, into `<build dir>/<entry's folder>`. */
async function buildEntry(def: FunctionDef, buildDir: string, write = true): Promise<Metafile> {
  const result = await build({ ...templateEsbuildOptions(), logLevel: 'silent', entryPoints: [entryFileOf(def)], outdir: join(buildDir, ENTRIES_FOLDER), plugins, write });
  return result.metafile!;
}
/** The bundle's own output (each import() is an entry point of its own chunk). */
const bundleOutput = (metafile: Metafile, def: FunctionDef) => Object.values(metafile.outputs).find((output) => output.entryPoint === entryFileOf(def))!;
/** Every source file the bundle holds, read at import or behind import(). */
const inputsOf = (metafile: Metafile) => Object.keys(metafile.inputs);

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

describe('the Lambda entries', () => {
  it('are one per deployable function, named so that Lambda finds them (no dot before the handler\'s)', () => {
    expect([...entries.keys()].sort()).toEqual([...deployed.map(entryFileOf), JOB_MODULES].sort());
    expect(functions.length).toBeGreaterThan(deployed.length); // the local-only ones get none
    for (const def of deployed) expect(basename(entryFileOf(def), '.ts')).not.toContain('.');
  });

  it.each(deployed.map((def) => [def.name, def] as const))('%s: exports exactly `handler`, its factory bound by the function\'s name', (_name, def) => {
    const source = sourceOf(def);
    const { module, exportName } = handlerReference(def.handler!);
    expect([...source.matchAll(/^export\s+(?:const|let|var|function|class|default|\{|\*)\s*(\w*)/gm)].map((match) => match[1])).toEqual(['handler']);
    expect(importsOf(def)).toContain(`${module}.ts`);
    expect(source).toContain(`import { ${exportName} as factory } from`);
    expect(source).toContain(`lambdaEntry(${JSON.stringify(def.name)}, factory, `);
  });

  it('wrap exactly the table\'s stream: true functions in streamingLambda, with their route', () => {
    const wrapped = deployed.filter((def) => sourceOf(def).includes('streamingLambda('));
    expect(wrapped.map((def) => def.name).sort()).toEqual(deployed.filter(isStream).map((def) => def.name).sort());
    for (const def of deployed) expect([def.name, importsOf(def).includes('adapters/aws/lambda-stream.ts')]).toEqual([def.name, isStream(def)]);
    expect(sourceOf(named('diagnostics-stream'))).toContain(
      'export const handler = streamingLambda(lambdaEntry("diagnostics-stream", factory, [service]), {"name":"diagnostics-stream","method":"GET","route":"diagnostics/stream"});',
    );
    expect(sourceOf(named('diagnostics-echo'))).toContain('export const handler = lambdaEntry("diagnostics-echo", factory, [service]);');
  });

  it('import their own manifest alone for a service-scoped service (diagnostics, identity, wardrobe)', () => {
    const scoped = deployed.filter((def) => scopeOf(def) === 'service');
    expect([...new Set(scoped.map((def) => def.service))].sort()).toEqual(expect.arrayContaining(['diagnostics', 'identity', 'wardrobe']));
    for (const def of scoped) expect([def.name, manifestsIn(importsOf(def))]).toEqual([def.name, [`handlers/${def.service}/index.ts`]]);
    expect(manifestsIn(importsOf(named('diagnostics-stream')))).toEqual(['handlers/diagnostics/index.ts']);
  });

  it('import app/services.ts (every manifest) for an app-scoped service (system, operations), the job runtime and delete_account', () => {
    const appScoped = deployed.filter((def) => scopeOf(def) === 'app');
    expect([...new Set(appScoped.map((def) => def.service))].sort()).toEqual(['identity', 'jobs', 'operations', 'system']);
    expect(appScoped.filter((def) => def.service === 'identity').map((def) => def.name)).toEqual(['axly-delete-account']);
    for (const def of appScoped) {
      expect([def.name, manifestsIn(importsOf(def))]).toEqual([def.name, ['app/services.ts']]);
      expect(sourceOf(def)).toMatch(/lambdaEntry\("[^"]+", factory, services[,)]/);
    }
  });

  it('give the job runtime\'s entries a loader for every job module, and no other entry any', () => {
    const loaders = [...entries.get(JOB_MODULES)!.matchAll(/^ {2}'([^']+)': \(\) => import\('([^']+)'\),$/gm)];
    expect(loaders.map((match) => match[1]).sort()).toEqual(jobModules);
    for (const [, module, path] of loaders) expect(relative(ROOT, join(ROOT, ENTRIES_FOLDER, path!))).toBe(`${module}.ts`);
    expect(jobModules).toEqual(expect.arrayContaining(['handlers/system/purge.job', 'handlers/wardrobe/taste/taste.job']));
    for (const def of deployed) {
      const worker = def.service === 'jobs';
      expect([def.name, importsOf(def).includes(JOB_MODULES)]).toEqual([def.name, worker]);
      expect([def.name, /, jobModules\)/.test(sourceOf(def))]).toEqual([def.name, worker]);
      // Nothing but job-modules.ts loads code by import(): every other module is imported statically.
      expect([def.name, sourceOf(def).includes('import(')]).toEqual([def.name, false]);
    }
  });

  it('build a job worker bundle that holds every manifest and every job module, and exports `handler` alone', async () => {
    const worker = named('jobs-taste-jobs');
    const metafile = await buildEntry(worker, join(dir, 'worker'), false);
    expect(bundleOutput(metafile, worker).exports).toEqual(['handler']);
    expect(inputsOf(metafile)).toEqual(expect.arrayContaining(['app/services.ts', JOB_MODULES, ...services.map((service) => `handlers/${service.name}/index.ts`), ...jobModules.map((module) => `${module}.ts`)]));
  }, 300_000);
});

describe('the built diagnostics-stream bundle', () => {
  it('holds the diagnostics service alone, its chunks in its own folder, and streams the frames run by plain Node far from the project', async () => {
    const def = named('diagnostics-stream');
    const buildDir = join(dir, 'build');
    const metafile = await buildEntry(def, buildDir);
    expect(bundleOutput(metafile, def).exports).toEqual(['handler']);
    expect(inputsOf(metafile)).toContain('handlers/diagnostics/index.ts');
    expect(inputsOf(metafile).filter((input) => /^handlers\/(?!diagnostics\/)/.test(input) || input === 'app/services.ts')).toEqual([]);
    // serverless-esbuild's layout: the bundle beside its entry's path, its chunks in the entry's chunk folder.
    const outputs = Object.keys(metafile.outputs).map((output) => relative(buildDir, join(ROOT, output)));
    const bundle = entryFileOf(def).replace(/\.ts$/, '.mjs');
    expect(outputs).toEqual(expect.arrayContaining([bundle, `${bundle}.map`]));
    expect(outputs.filter((output) => output !== bundle && output !== `${bundle}.map` && !output.startsWith(`${chunkFolderOf(def)}/`))).toEqual([]);
    expect(outputs.some((output) => output.startsWith(`${chunkFolderOf(def)}/`) && output.endsWith('.mjs'))).toBe(true);

    const child = spawnSync(process.execPath, ['--input-type=module', '-e', runner(join(buildDir, bundle), 'count=2&intervalMs=0')], {
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
  }, 300_000);
});
