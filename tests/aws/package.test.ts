/**
 * `npm run package:aws` for real (osls + serverless-esbuild, no AWS credentials), then the
 * CloudFormation template it wrote is checked against the function table: every function, every
 * event, the queues' redrive and visibility, and the artifacts, which must load under plain Node.
 */
import { beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FunctionDef } from '../../kernel/functions.ts';
import { functions } from '../../app/functions.ts';
import { handlerReference } from '../../app/load-handler.ts';
import { hostSettings } from '../../adapters/azure/host-settings.ts';
import { toAwsSchedule } from '../../domain/schedule/ncrontab.ts';
import { poisonQueueOf } from '../../kernel/jobs.ts';
import { readZip } from './zip.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type GetAtt = { 'Fn::GetAtt': [string, string] };

const root = fileURLToPath(new URL('../../', import.meta.url));
const output = join(root, '.serverless');
const deployed = functions.filter((def) => !def.localOnly);
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

/** Runs a command to completion, keeping its output for the failure message. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: text }));
  });
}

beforeAll(async () => {
  rmSync(output, { recursive: true, force: true });
  // No credentials of any kind: not from the environment, not from ~/.aws.
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', AWS_CONFIG_FILE: join(root, '.serverless-no-config'), AWS_SHARED_CREDENTIALS_FILE: join(root, '.serverless-no-credentials') };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];
  const { code, output: log } = await run('npm', ['run', '--silent', 'package:aws'], env);
  if (code !== 0) throw new Error(`npm run package:aws exited with ${code}:\n${log}`);
  resources = (JSON.parse(readFileSync(join(output, 'cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Record<string, Resource> }).Resources;
}, 240_000);

describe('npm run package:aws', () => {
  it('packages every function of the table but the local-only ones, and nothing else', () => {
    const names = ofType('AWS::Lambda::Function').map(([, resource]) => resource.Properties.FunctionName);
    expect(names.sort()).toEqual(deployed.map((def) => `portico-dev-${def.name}`).sort());
    expect(functions.length).toBeGreaterThan(deployed.length);
  });

  it.each(deployed.map((def) => [def.name, def] as const))('%s: Node 22, its TypeScript module bundled to .mjs in its own zip', (name, def) => {
    const { module, exportName } = handlerReference(def.handler!);
    const lambda = lambdaOf(def);
    const timeout = isStream(def) ? 230 : def.trigger.kind === 'http' ? 29 : functionTimeout;
    expect(lambda).toMatchObject({ Runtime: 'nodejs22.x', Handler: `${module}.${exportName}`, Timeout: timeout });
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
    expect([...readZip(zip).keys()].filter((entry) => !entry.endsWith('.map'))).toEqual([`${module}.mjs`]);
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

  /** Unzips each distinct bundle (functions sharing a module ship the same one) as Lambda would lay it out. */
  function unpack(def: FunctionDef): string {
    const { module } = handlerReference(def.handler!);
    const bytes = readZip(join(output, `${def.name}.zip`)).get(`${module}.mjs`)!();
    const file = join(dir, createHash('sha256').update(bytes).digest('hex').slice(0, 16), `${module}.mjs`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    return pathToFileURL(file).href;
  }

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
    const byBundle = new Map<string, FunctionDef[]>();
    for (const def of deployed) {
      const url = unpack(def);
      byBundle.set(url, [...(byBundle.get(url) ?? []), def]);
    }
    for (const [url, defs] of byBundle) {
      const exportNames = defs.map((def) => handlerReference(def.handler!).exportName);
      const child = node(`
        const module = await import(${JSON.stringify(url)});
        console.log(JSON.stringify(${JSON.stringify(exportNames)}.map((name) => typeof module[name])));`);
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toEqual(exportNames.map(() => 'function'));
    }
  });

  it('answer: the health bundle reports healthy with the package version', () => {
    const health = deployed.find((def) => def.name === 'health')!;
    const event = { version: '2.0', routeKey: 'GET /api/health', rawPath: '/api/health', rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { http: { method: 'GET', path: '/api/health', sourceIp: '127.0.0.1' }, requestId: 'r1', routeKey: 'GET /api/health', timeEpoch: 0 } };
    const context = { awsRequestId: 'r1', functionName: 'health' };
    const child = node(`
      const { handler } = await import(${JSON.stringify(unpack(health))});
      const result = await handler(${JSON.stringify(event)}, { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 29000 });
      console.log(JSON.stringify(result));`);
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { statusCode: number; body: string };
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'healthy', version: pkg.version, dependencies: {} });
  });
});
