/**
 * Cold start of the Lambda bundles, against a baseline bundle built in the same run.
 *
 * - Baseline: middy core + http-json-body-parser + http-cors + http-error-handler + pino + ajv,
 *   echoing a validated JSON body: the least a middy JSON route carries.
 * - Portico: the bundles of `diagnostics-echo`, `health` and `wardrobe-list`, built exactly as
 *   `npm run package:aws` builds them: the esbuild options of the generated serverless.yml
 *   (`custom.esbuild`) and its plugins, which generate each bundle's entry.
 *
 * Each figure is import + first call in a fresh `node` process (the Node 22 the project pins), timed
 * inside that process, the median of RUNS processes, with the environment the generated template gives
 * the function (`provider.environment`, its `${env:…}` defaults resolved as a deploy without overrides
 * would, plus what Lambda itself sets). The first calls really run: health probes SQS and S3 (a stub
 * on loopback answers them), the wardrobe route queries Cosmos DB (the embedded emulator). Printed:
 * the JavaScript each bundle loads at import (the bundle and the chunks it imports statically), and
 * each median as a ratio to the baseline's. Also: the Azure entry (dist/adapters/azure/main.js, every
 * function registered) against `node -e 0`.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { serverlessConfig } from '../adapters/aws/serverless-config.ts';
import { startCosmosEmulator } from '../adapters/local/cosmos-emulator.ts';
import { functions } from '../app/functions.ts';
import { buildFunctionBundle, buildSource, type BuiltBundle } from '../scripts/lambda-bundle.ts';
import { createTokenService, loadAuthSettings } from '../middleware/auth/index.ts';

const RUNS = Number(process.env.COLD_START_RUNS ?? 15);
const root = fileURLToPath(new URL('../', import.meta.url));
const JWT_SECRET = 'cold-start-benchmark-secret-of-32-bytes!';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

type Template = { provider: { environment: Record<string, string> } };
const template = serverlessConfig(functions) as unknown as Template;

/** The template's environment as a deploy without overrides resolves it, plus what Lambda sets. */
function lambdaEnvironment(extra: Record<string, string>): Record<string, string> {
  const prefix = 'portico-dev-';
  const resolved = Object.fromEntries(
    Object.entries(template.provider.environment).map(([name, value]) => {
      const text = String(value).replaceAll('${self:custom.portico.queueNamePrefix}', prefix).replaceAll('${self:custom.portico.bucketPrefix}', prefix);
      const fallback = /^\$\{env:[A-Za-z0-9_]+, '([^']*)'\}$/.exec(text);
      return [name, fallback ? fallback[1]! : text.replace(/\$\{env:[A-Za-z0-9_]+, '([^']*)'\}/g, '$1')];
    }),
  );
  const cleared = Object.fromEntries(Object.entries(resolved).filter(([, value]) => value !== ''));
  return {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_LAMBDA_FUNCTION_NAME: 'portico-dev-bench',
    ...cleared,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

const BASELINE = `
import middy from '@middy/core';
import jsonBodyParser from '@middy/http-json-body-parser';
import cors from '@middy/http-cors';
import errorHandler from '@middy/http-error-handler';
import { pino } from 'pino';
import { Ajv } from 'ajv';
const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const validate = new Ajv({ allErrors: true }).compile({ type: 'object', required: ['message'], additionalProperties: false,
  properties: { message: { type: 'string', minLength: 1, maxLength: 1000 }, tags: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 50 } } } });
export const handler = middy()
  .use(cors({ origins: ['https://app.example.com'] }))
  .use(errorHandler({ logger: false }))
  .use(jsonBodyParser())
  .handler(async (event, context) => {
    if (!validate(event.body)) return { statusCode: 400, body: JSON.stringify({ errors: validate.errors }) };
    log.info({ requestId: context.awsRequestId }, 'echo');
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: event.body.message, tags: event.body.tags ?? [], requestId: context.awsRequestId }) };
  });
`;

function event(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const now = Date.now();
  return {
    version: '2.0', routeKey: `${method} ${path}`, rawPath: path, rawQueryString: '',
    headers: { 'content-type': 'application/json', origin: 'https://app.example.com', ...headers },
    requestContext: { accountId: '123456789012', apiId: 'api', domainName: 'api.example.com', domainPrefix: 'api', requestId: 'cold-1', routeKey: `${method} ${path}`, stage: '$default', time: new Date(now).toUTCString(), timeEpoch: now,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** What each fresh process runs: import the bundle, call the export once, print the time and the status. */
const RUNNER = `
// The Lambda Node.js runtime's global, which a bundle holding a streaming function needs at import.
globalThis.awslambda = { streamifyResponse: (fn) => fn, HttpResponseStream: { from: (stream) => stream } };
const [file, name, eventJson] = process.argv.slice(1);
const context = { awsRequestId: 'cold-1', functionName: 'bench', getRemainingTimeInMillis: () => 29000, callbackWaitsForEmptyEventLoop: false };
const started = performance.now();
const module = await import(file);
const imported = performance.now() - started;
const result = await module[name](JSON.parse(eventJson), context);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, imported, status: result?.statusCode, body: typeof result?.body === 'string' ? result.body.slice(0, 500) : '' }));
process.exit(0);
`;

/** Asynchronous, so the stubs this process serves (AWS, Cosmos DB) can answer the child. */
const run = promisify(execFile);

async function coldStart(file: string, name: string, payload: unknown, env: Record<string, string>): Promise<{ ms: number; importMs: number; status: number }> {
  const samples: number[] = [];
  const imports: number[] = [];
  let status = 0;
  for (let round = 0; round < RUNS; round += 1) {
    const child = await run(process.execPath, ['--input-type=module', '-e', RUNNER, file, name, JSON.stringify(payload)], { cwd: tmpdir(), env, encoding: 'utf8', timeout: 60_000 }).catch((error: { stderr?: string }) => {
      throw new Error(`${name} failed to start: ${(error.stderr ?? String(error)).slice(-1500)}`);
    });
    const result = JSON.parse(child.stdout) as { ms: number; imported: number; status: number; body: string };
    // A first call that failed would time the failure, not the function: stop instead.
    if (result.status !== 200) throw new Error(`${name} answered ${result.status}: ${result.body}`);
    samples.push(result.ms);
    imports.push(result.imported);
    status = result.status;
  }
  return { ms: median(samples), importMs: median(imports), status };
}

/** Whole-process wall time of `node <args>`, median of RUNS. */
function processTime(args: string[], env: NodeJS.ProcessEnv): number {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${child.stderr.slice(0, 2000)}`);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Answers the health check's SQS GetQueueUrl/GetQueueAttributes and S3 HeadBucket on loopback. */
async function startAwsStub(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'HEAD') return void res.writeHead(200).end();
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ QueueUrl: `http://127.0.0.1:${port}/123456789012/portico-dev-system-jobs`, Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function runColdStart(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'portico-cold-'));
  const stub = await startAwsStub();
  const cosmos = await startCosmosEmulator();
  try {
    const baseline = await buildSource(BASELINE, join(out, 'baseline'));

    // A token as the identity service issues it, so the route really authenticates and queries.
    const { accessToken: token } = await createTokenService(loadAuthSettings({ JWT_SECRET })).issueAccessToken({ userId: 'bench-user' });
    const aws = { AWS_ENDPOINT_URL_SQS: stub.url, AWS_ENDPOINT_URL_S3: stub.url, S3_FORCE_PATH_STYLE: 'true', JWT_SECRET, CORS_ALLOWED_ORIGINS: 'https://app.example.com' };
    const echoEvent = event('POST', '/api/diagnostics/echo', { message: 'cold' });
    const rows: { name: string; built: BuiltBundle; ms: number; importMs: number; status: number; env: Record<string, string> }[] = [];

    const base = { name: 'baseline (middy + parser + cors + errors + pino + ajv)', built: baseline, ...await coldStart(baseline.file, 'handler', echoEvent, lambdaEnvironment({})), env: {} };
    for (const [name, payload, extra] of [
      ['diagnostics-echo', echoEvent, aws],
      ['health', event('GET', '/api/health'), aws],
      ['wardrobe-list', event('GET', '/api/wardrobe', undefined, { authorization: `Bearer ${token}` }), { ...aws, COSMOS_DB_ENDPOINT: cosmos.endpoint, COSMOS_DB_KEY: cosmos.key }],
    ] as const) {
      const built = await buildFunctionBundle(name, join(out, name));
      const env = lambdaEnvironment(extra);
      rows.push({ name, built, env, ...await coldStart(built.file, 'handler', payload, env) });
    }
    const echo = rows[0]!;
    const withMaps = await coldStart(echo.built.file, 'handler', echoEvent, { ...echo.env, NODE_OPTIONS: '--enable-source-maps' });

    console.log(`\nCold start: import + first call in a fresh node ${process.version} process, median of ${RUNS} (the template's environment; no NODE_OPTIONS)`);
    console.log('  (import: the import alone; total: import + first call, which binds the factory and loads what the call needs, e.g. an SDK)');
    console.log(`  ${'bundle'.padEnd(58)} ${'loaded JS'.padStart(10)} ${'import'.padStart(9)} ${'total'.padStart(9)}  status  ratio`);
    for (const row of [base, ...rows]) {
      console.log(`  ${row.name.padEnd(58)} ${kb(row.built.loadedBytes).padStart(10)} ${`${row.importMs.toFixed(1)} ms`.padStart(9)} ${`${row.ms.toFixed(1)} ms`.padStart(9)}  ${String(row.status).padStart(6)}  ${(row.ms / base.ms).toFixed(2)}x`);
    }
    console.log(`  diagnostics-echo with NODE_OPTIONS=--enable-source-maps (not set by the template): ${withMaps.ms.toFixed(1)} ms, ${(withMaps.ms / base.ms).toFixed(2)}x`);

    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    const plain = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' };
    const nothing = processTime(['-e', '0'], plain);
    const azure = processTime([join(root, 'dist/adapters/azure/main.js')], plain);
    console.log(`\nAzure entry (dist/adapters/azure/main.js, ${functions.filter((def) => !def.localOnly).length} functions registered): ${azure.toFixed(1)} ms per process against ${nothing.toFixed(1)} ms for node -e 0 (+${(azure - nothing).toFixed(1)} ms)`);
    console.log(`cold start, diagnostics-echo vs baseline: ${(echo.ms / base.ms).toFixed(2)}x, ${kb(echo.built.loadedBytes)} of JavaScript loaded at import`);
  } finally {
    await Promise.allSettled([stub.close(), cosmos.stop()]);
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await import('./env.ts');
  await runColdStart();
}
