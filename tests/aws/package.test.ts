/**
 * `npm run package:aws` for real (osls + serverless-esbuild, no AWS credentials), then the
 * CloudFormation template it wrote is checked against the function table: every function, every
 * event, the queues' redrive and visibility, and the artifacts: each zip holds its function's
 * bundle (built from its generated entry, adapters/aws/entries/) and its service's chunks,
 * loads under plain Node, resolves its Handler setting as Lambda's Node.js runtime does, and
 * reads little JavaScript at import.
 */
import { beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FunctionDef } from '../../kernel/functions.ts';
import { functions } from '../../app/functions.ts';
import { chunkFolderOf, entryFileOf } from '../../adapters/aws/lambda-entries.ts';
import { hostSettings } from '../../adapters/azure/host-settings.ts';
import { toAwsSchedule } from '../../domain/schedule/ncrontab.ts';
import { poisonQueueOf } from '../../kernel/jobs.ts';
import { readZip } from './zip.ts';
import { RUNTIME_PACKAGES } from '../../adapters/capabilities/runtime-packages.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type GetAtt = { 'Fn::GetAtt': [string, string] };

const root = fileURLToPath(new URL('../../', import.meta.url));
const output = join(root, '.serverless');
const deployed = functions.filter((def) => !def.localOnly);
/** A function's bundle in its zip: its entry's path, built to `.mjs`. */
const bundleOf = (def: FunctionDef) => entryFileOf(def).replace(/\.ts$/, '.mjs');
/** What a cold start may read of JavaScript at import (bundle plus statically imported chunks): 1 MB. */
const MAX_IMPORT_BYTES = 1024 * 1024;
const isStream = (def: FunctionDef) => def.trigger.kind === 'http' && def.trigger.stream === true;
/** `npm run package:aws` packages the default stage, `dev`: every name the stack creates starts with this. */
const STACK_PREFIX = 'portico-dev-';
const functionTimeout = hostSettings().functionTimeoutMs / 1000;
const maxDequeueCount = hostSettings().queues.maxDequeueCount;

let resources: Record<string, Resource> = {};
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const refersTo = (value: unknown, id: string) => JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] });
/** The logical id of a table function's Lambda, found by its deployed name. */
const lambdaId = (def: FunctionDef) => {
  const found = ofType('AWS::Lambda::Function').find(([, resource]) => resource.Properties.FunctionName === `portico-dev-${def.name}`);
  if (!found) throw new Error(`no Lambda function for ${def.name}`);
  return found[0];
};
const lambdaOf = (def: FunctionDef) => resources[lambdaId(def)]!.Properties;

/** The packager while it runs: its own process group, ended with it if the hook gives up. */
let packager: ReturnType<typeof spawn> | undefined;
afterAll(() => {
  if (packager?.pid !== undefined && packager.exitCode === null && packager.signalCode === null) process.kill(-packager.pid, 'SIGKILL');
});

/** Runs a command to completion, keeping its output for the failure message. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    packager = child;
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: text }));
  });
}

/** serverless-esbuild's per-function zip folders (`<function>-<pid>-<ms>-<hex>`), named in the temp folder. */
const ZIP_FOLDER = /^[a-z0-9-]+-\d+-(\d{13})-[0-9a-f]{8}$/;
const packagingStarted = Date.now();

beforeAll(async () => {
  rmSync(output, { recursive: true, force: true });
  // No credentials of any kind: not from the environment, not from ~/.aws.
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', AWS_CONFIG_FILE: join(root, '.serverless-no-config'), AWS_SHARED_CREDENTIALS_FILE: join(root, '.serverless-no-credentials') };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];
  const { code, output: log } = await run('npm', ['run', '--silent', 'package:aws'], env);
  if (code !== 0) throw new Error(`npm run package:aws exited with ${code}:\n${log}`);
  resources = (JSON.parse(readFileSync(join(output, 'cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Record<string, Resource> }).Resources;
  // Minutes on 2 cores (one bundle per function, two at a time: serverless.yml custom.esbuild.concurrency),
  // many more when the machine is busy: the limit is there to end a hung packager, not to time it.
}, 1_800_000);

describe('npm run package:aws', () => {
  it('leaves none of its zip folders in the temp folder (the packager gets a TMPDIR of its own, removed after)', () => {
    const left = readdirSync(tmpdir()).filter((name) => Number(ZIP_FOLDER.exec(name)?.[1] ?? 0) >= packagingStarted);
    expect(left).toEqual([]);
  });

  it('packages every function of the table but the local-only ones, and nothing else', () => {
    // osls adds one function of its own when a blob trigger names an existing bucket: the custom
    // resource that attaches the bucket's notifications (the uploads bucket is the stack's, made once).
    const blobTriggered = deployed.some((def) => def.trigger.kind === 'blob');
    const names = ofType('AWS::Lambda::Function').map(([, resource]) => resource.Properties.FunctionName);
    const own = [...deployed.map((def) => `portico-dev-${def.name}`), ...(blobTriggered ? ['portico-dev-custom-resource-existing-s3'] : [])];
    expect(names.sort()).toEqual(own.sort());
    expect(functions.length).toBeGreaterThan(deployed.length);
  });

  it.each(deployed.map((def) => [def.name, def] as const))('%s: Node 22, its entry bundled to .mjs with its service’s chunks in its own zip', (name, def) => {
    const lambda = lambdaOf(def);
    const timeout = isStream(def) ? 230 : def.trigger.kind === 'http' ? 29 : functionTimeout;
    // The function's generated entry, which exports `handler`.
    expect(lambda).toMatchObject({ Runtime: 'nodejs22.x', Handler: `${entryFileOf(def).replace(/\.ts$/, '')}.handler`, Timeout: timeout });
    // What the composition root reads to put jobs on SQS and blobs on S3 (AWS_REGION is Lambda's own).
    expect((lambda.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      QUEUE_PROVIDER: 'sqs',
      SQS_QUEUE_NAME_PREFIX: STACK_PREFIX,
      SQS_QUEUE_URL_PREFIX: '',
      BLOB_PROVIDER: 's3',
      S3_BUCKET_PREFIX: STACK_PREFIX,
    });
    expect((lambda.Code as { S3Key: string }).S3Key).toMatch(new RegExp(`/${name}\\.zip$`));
    const zip = join(output, `${name}.zip`);
    expect(existsSync(zip)).toBe(true);
    const entries = [...readZip(zip).keys()];
    const code = entries.filter((entry) => !entry.endsWith('.map'));
    const chunks = code.filter((entry) => entry.startsWith(`${chunkFolderOf(def)}/`));
    // The bundle and its service's chunks, in their folder: nothing else (no node_modules, no other bundle).
    expect(code.filter((entry) => entry !== bundleOf(def) && !chunks.includes(entry))).toEqual([]);
    expect(code).toContain(bundleOf(def));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((entry) => entry.endsWith('.mjs'))).toBe(true);
    // Its maps: one beside the bundle and each chunk, and no other.
    expect(entries.filter((entry) => entry.endsWith('.map')).sort()).toEqual([bundleOf(def), ...chunks].map((entry) => `${entry}.map`).sort());
  });

  it('gives each service one chunk folder, and no zip another function’s bundle or another service’s chunks', () => {
    expect(new Set(deployed.map(chunkFolderOf)).size).toBe(new Set(deployed.map((def) => def.service)).size);
    for (const def of deployed) {
      const entries = [...readZip(join(output, `${def.name}.zip`)).keys()];
      const folders = new Set(entries.flatMap((entry) => /^(?:.*\/)?chunks-[^/]+(?=\/)/.exec(entry) ?? []));
      expect([def.name, [...folders]]).toEqual([def.name, [chunkFolderOf(def)]]);
      const others = deployed
        .filter((other) => other !== def)
        .flatMap((other) => [bundleOf(other), ...(chunkFolderOf(other) === chunkFolderOf(def) ? [] : [`${chunkFolderOf(other)}/`])]);
      expect([def.name, entries.filter((entry) => others.some((other) => entry.startsWith(other)))]).toEqual([def.name, []]);
    }
  });

  it('routes every buffered HTTP function, and only those, on the HTTP API (payload 2.0)', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(routes.sort()).toEqual(deployed.flatMap((def) => (def.trigger.kind === 'http' && !isStream(def) ? [`${def.trigger.method} /api/${def.trigger.route}`] : [])).sort());
  });

  it('gives every streaming function, and only those, a public function URL in RESPONSE_STREAM mode', () => {
    const urls = ofType('AWS::Lambda::Url');
    expect(urls.map(([, url]) => (url.Properties.TargetFunctionArn as GetAtt)['Fn::GetAtt'][0]).sort()).toEqual(deployed.filter(isStream).map(lambdaId).sort());
    for (const [, url] of urls) expect(url.Properties).toMatchObject({ AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' });
    // No Cors block: the function URL would answer preflight itself and override the middleware's headers.
    for (const [, url] of urls) expect(url.Properties.Cors).toBeUndefined();
  });

  it.each(deployed.map((def) => [def.name, def.trigger.kind, def] as const))('%s: its %s event', (_name, _kind, def) => {
    const id = lambdaId(def);
    const trigger = def.trigger;
    switch (trigger.kind) {
      case 'http': {
        if (trigger.stream) {
          const url = ofType('AWS::Lambda::Url').find(([, candidate]) => refersTo(candidate.Properties.TargetFunctionArn, id));
          expect(url?.[1].Properties.InvokeMode).toBe('RESPONSE_STREAM');
          break;
        }
        const [integrationId, integration] = ofType('AWS::ApiGatewayV2::Integration').find(([, candidate]) => refersTo(candidate.Properties.IntegrationUri, id))!;
        expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
        const route = ofType('AWS::ApiGatewayV2::Route').find(([, candidate]) => JSON.stringify(candidate.Properties.Target).includes(`"${integrationId}"`))!;
        expect(route[1].Properties.RouteKey).toBe(`${trigger.method} /api/${trigger.route}`);
        break;
      }
      case 'queue': {
        const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) => refersTo(mapping.Properties.FunctionName, id));
        expect(mappings).toHaveLength(1);
        const mapping = mappings[0]![1].Properties;
        expect(mapping).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], Enabled: true });
        const queue = resources[(mapping.EventSourceArn as GetAtt)['Fn::GetAtt'][0]]!;
        expect(queue.Type).toBe('AWS::SQS::Queue');
        expect(queue.Properties.QueueName).toBe(STACK_PREFIX + trigger.queue);
        expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
        // AWS: at least 6x the function timeout, so a message is not redelivered while still being worked on.
        expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (lambdaOf(def).Timeout as number));
        break;
      }
      case 'timer': {
        const rules = ofType('AWS::Events::Rule').filter(([, rule]) => (rule.Properties.Targets as { Arn: unknown }[]).some((target) => refersTo(target.Arn, id)));
        expect(rules.map(([, rule]) => rule.Properties)).toEqual([expect.objectContaining({ ScheduleExpression: toAwsSchedule(trigger.schedule), State: 'ENABLED' })]);
        break;
      }
      case 'blob': {
        const notifications = ofType('Custom::S3').filter(([, resource]) => resource.Properties.FunctionName === `portico-dev-${def.name}`);
        expect(notifications.map(([, resource]) => resource.Properties)).toEqual([
          expect.objectContaining({ BucketName: STACK_PREFIX + trigger.path.split('/')[0], BucketConfigs: [expect.objectContaining({ Event: 's3:ObjectCreated:*' })] }),
        ]);
        break;
      }
    }
  });

  it('gives each job queue an SQS dead-letter queue, `<queue>-poison`, after 5 receives, drained by the poison collector', () => {
    const queues = ofType('AWS::SQS::Queue');
    const byName = (name: string) => queues.find(([, queue]) => queue.Properties.QueueName === STACK_PREFIX + name);
    const consumed = new Set(deployed.flatMap((def) => (def.trigger.kind === 'queue' ? [def.trigger.queue] : [])));
    const poisonQueues = new Set([...consumed].map(poisonQueueOf));
    const jobQueues = [...consumed].filter((queue) => !poisonQueues.has(queue));
    expect(jobQueues.length).toBeGreaterThan(0);
    for (const name of jobQueues) {
      const [, queue] = byName(name)!;
      const [poisonId, poison] = byName(poisonQueueOf(name))!;
      expect(queue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [poisonId, 'Arn'] }, maxReceiveCount: maxDequeueCount });
      expect(maxDequeueCount).toBe(5);
      // A dead letter outlives any retry schedule: SQS's maximum retention everywhere.
      expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(poison.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(consumed.has(poisonQueueOf(name))).toBe(true);
    }
  });

  it('lets the functions use the stack’s queues and nothing wider', () => {
    const role = resources.IamRoleLambdaExecution!.Properties as { Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[] };
    const statements = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
    const sqs = statements.find((statement) => statement.Action.includes('sqs:SendMessage'))!;
    expect(sqs.Resource).toEqual(ofType('AWS::SQS::Queue').map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] })));
    expect(statements.flatMap((statement) => [statement.Resource].flat())).not.toContain('*');
    const s3 = statements.filter((statement) => statement.Action.some((action) => action.startsWith('s3:')));
    expect(s3.flatMap((statement) => [statement.Resource].flat())).toEqual([`arn:aws:s3:::${STACK_PREFIX}*`, `arn:aws:s3:::${STACK_PREFIX}*/*`]);
  });
});

describe('the packaged bundles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-lambda-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Unzips a function's zip (its JavaScript: the maps are never read) as Lambda lays it out in its task root. */
  function unpack(def: FunctionDef): string {
    const taskRoot = join(dir, def.name);
    if (!existsSync(taskRoot)) {
      for (const [entry, bytes] of readZip(join(output, `${def.name}.zip`))) {
        if (entry.endsWith('.map')) continue;
        mkdirSync(dirname(join(taskRoot, entry)), { recursive: true });
        writeFileSync(join(taskRoot, entry), bytes());
      }
    }
    return taskRoot;
  }
  const bundleUrl = (def: FunctionDef) => pathToFileURL(join(unpack(def), bundleOf(def))).href;

  /**
   * The Lambda Node.js runtime always defines the `awslambda` global (response streaming's
   * streamifyResponse and HttpResponseStream); a streaming bundle wraps its handler with it at load.
   * This stand-in passes the handler through, enough to load a bundle and see its exports.
   */
  const LAMBDA_GLOBAL = 'globalThis.awslambda = { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };';

  /** Runs `script` (an ES module body) in plain Node, as Lambda would: no project around, no emulators. */
  function node(script: string) {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LOG_LEVEL: 'silent' };
    return spawnSync(process.execPath, ['--input-type=module', '-e', `${LAMBDA_GLOBAL}\n${script}`], { cwd: dir, env, encoding: 'utf8' });
  }

  it('load under plain Node 22, one per process as on Lambda, and export each function’s handler', () => {
    for (const def of deployed) {
      const child = node(`
        const module = await import(${JSON.stringify(bundleUrl(def))});
        console.log(JSON.stringify(Object.keys(module).map((name) => [name, typeof module[name]])));`);
      expect([def.name, child.stderr]).toEqual([def.name, '']);
      expect([def.name, JSON.parse(child.stdout)]).toEqual([def.name, [['handler', 'function']]]);
    }
  }, 300_000);

  /**
   * What Lambda's Node.js runtime does with the Handler setting (aws-lambda-nodejs-runtime-interface-client,
   * UserFunction.js): the part after the last `/` is split at its FIRST dot into a module name and a
   * property path; the module is `<task root>/<folder>/<name>` tried bare, `.js` (CommonJS: no
   * package.json in the zip), `.mjs`, `.cjs`; the handler is the property path walked from its exports.
   */
  const resolveLikeLambda = (taskRoot: string, handlers: string[]) => `
    import { existsSync } from 'node:fs';
    import { createRequire } from 'node:module';
    import { basename, join, resolve } from 'node:path';
    import { pathToFileURL } from 'node:url';
    const require = createRequire(join(${JSON.stringify(taskRoot)}, 'index.js'));
    const found = [];
    for (const handler of ${JSON.stringify(handlers)}) {
      const file = basename(handler);
      const [, name, path] = /^([^.]*)\\.(.*)$/.exec(file);
      const base = resolve(${JSON.stringify(taskRoot)}, handler.slice(0, handler.length - file.length), name);
      const loaded = existsSync(base) ? require(base)
        : existsSync(base + '.js') ? require(base + '.js')
        : existsSync(base + '.mjs') ? await import(pathToFileURL(base + '.mjs').href)
        : existsSync(base + '.cjs') ? require(base + '.cjs')
        : undefined;
      found.push(loaded === undefined ? 'no module ' + base : typeof path.split('.').reduce((object, key) => object?.[key], loaded));
    }
    console.log(JSON.stringify(found));`;

  it('resolve each function’s Handler setting as Lambda’s Node.js runtime does (the module up to the first dot)', () => {
    for (const def of deployed) {
      const handler = lambdaOf(def).Handler as string;
      const child = node(resolveLikeLambda(unpack(def), [handler]));
      expect([handler, child.stderr]).toEqual([handler, '']);
      expect([handler, JSON.parse(child.stdout)]).toEqual([handler, ['function']]);
    }
  }, 300_000);

  it(`diagnostics-echo reads at most ${MAX_IMPORT_BYTES} bytes of JavaScript at import: its bundle and the chunks it imports statically`, async () => {
    const echo = deployed.find((def) => def.name === 'diagnostics-echo')!;
    const taskRoot = unpack(echo);
    const bundle = bundleOf(echo);
    // esbuild parses the built files and tells each import's kind: only static imports are read at import.
    // The packages the template leaves out are not in the zip: they stay imports, as on Lambda.
    const { metafile } = await build({ entryPoints: [bundle], absWorkingDir: taskRoot, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', logLevel: 'silent', external: [...RUNTIME_PACKAGES] });
    const loaded = new Set<string>();
    const pending = [bundle];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (loaded.has(file)) continue;
      loaded.add(file);
      for (const imported of metafile.inputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
    const bytes = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + statSync(join(taskRoot, file)).size, 0);
    const javascript = [...readZip(join(output, 'diagnostics-echo.zip')).keys()].filter((entry) => entry.endsWith('.mjs'));
    expect([...loaded].filter((file) => !javascript.includes(file))).toEqual([]);
    expect([...loaded].some((file) => file.startsWith(`${chunkFolderOf(echo)}/`))).toBe(true);
    expect(bytes(loaded)).toBeLessThanOrEqual(MAX_IMPORT_BYTES);
    // The rest (the SDKs, the model clients) waits behind import() until first used.
    expect(bytes(javascript)).toBeGreaterThan(bytes(loaded));
  }, 300_000);

  it('answer: the health bundle reports healthy with the package version', () => {
    const health = deployed.find((def) => def.name === 'health')!;
    const event = { version: '2.0', routeKey: 'GET /api/health', rawPath: '/api/health', rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { http: { method: 'GET', path: '/api/health', sourceIp: '127.0.0.1' }, requestId: 'r1', routeKey: 'GET /api/health', timeEpoch: 0 } };
    const context = { awsRequestId: 'r1', functionName: 'health' };
    const child = node(`
      const { handler } = await import(${JSON.stringify(bundleUrl(health))});
      const result = await handler(${JSON.stringify(event)}, { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 29000 });
      console.log(JSON.stringify(result));`);
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { statusCode: number; body: string };
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(result.statusCode).toBe(200);
    // No Cosmos DB and no AWS credentials here: no dependency to probe, and neither the migration
    // ledger nor the queues the services name can be read (informational, never unhealthy).
    const unreadable = { error: 'unavailable' };
    expect(JSON.parse(result.body)).toEqual({
      status: 'healthy', version: pkg.version, dependencies: {}, migrations: unreadable,
      queues: { 'voice-enrollment': unreadable, 'voice-synthesis-short': unreadable, 'voice-synthesis-long': unreadable, 'voice-webhooks': unreadable },
      system: { cpu: expect.any(Object), memory: expect.any(Object), disk: expect.any(Object), uptimeSeconds: expect.any(Object) },
    });
  });
});
