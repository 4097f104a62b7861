import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineFunction, handlerReference, type FunctionDef, type Trigger } from '../../kernel/functions.ts';
import { functions, jobs } from '../../app/functions.ts';
import { services } from '../../app/services.ts';
import { hostSettings, type HostSettings } from '../../adapters/azure/host-settings.ts';
import { entryFileOf, entrySources } from '../../adapters/aws/lambda-entries.ts';
import { blobLocation, serverlessConfig } from '../../adapters/aws/serverless-config.ts';
import { toYaml, type YamlValue } from '../../adapters/aws/yaml.ts';
import { loadConfig } from '../../app/config.ts';
import { fixtureBlob as inlineBlob, fixtureFunctions as inlineFunctions, fixtureQueue as inlineQueue, fixtureTimer as inlineTimer } from '../support/fixture-functions.ts';
import { RUNTIME_PACKAGES } from '../../adapters/capabilities/runtime-packages.ts';

type Event = Record<string, Record<string, unknown>>;
type Config = {
  plugins: string[];
  custom: { esbuild: Record<string, unknown>; portico: Record<string, string> };
  provider: Record<string, unknown> & { iam?: { role: { statements: { Effect: string; Action: string[]; Resource: unknown[] }[] } } };
  package: Record<string, unknown>;
  functions: Record<string, { handler: string; timeout?: number; url?: unknown; events: Event[] }>;
  resources?: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
};

const config = serverlessConfig(functions) as Config;

/** Only factory modules deploy: the fixtures, named by a (never bundled) module reference instead of their inline handler. */
const deployable = <T extends Trigger>(def: FunctionDef<T>): FunctionDef<T> => ({ ...def, load: undefined, handler: 'tests/support/fixture-functions#handler' }) as FunctionDef<T>;
const fixtureQueue = deployable(inlineQueue);
const fixtureTimer = deployable(inlineTimer);
const fixtureBlob = deployable(inlineBlob);
const fixtureFunctions = inlineFunctions.map(deployable);
const fixturePoison = deployable(defineFunction({ name: 'fixture-queue-poison', trigger: { kind: 'queue', queue: 'fixture-jobs-poison' }, load: inlineQueue.load! }));
const everyFiveMinutes = { ...fixtureTimer, trigger: { kind: 'timer' as const, schedule: '0 */5 * * * *' } };
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('serverless.yml', () => {
  it('is exactly what the function table generates (run `npm run generate` after changing the table)', () => {
    const committed = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
    expect(committed.split('\n').slice(1).join('\n')).toBe(toYaml(serverlessConfig(functions)));
  });

  it('declares every function but the local-only ones', () => {
    expect(functions.some((def) => def.localOnly)).toBe(true);
    expect(Object.keys(config.functions).sort()).toEqual(functions.filter((def) => !def.localOnly).map((def) => def.name).sort());
  });

  it('points each function at its generated entry (adapters/aws/entries/<function>.ts), whose file name has no dot Lambda would split at', () => {
    const entries = entrySources(functions, services, jobs);
    for (const def of functions.filter((candidate) => !candidate.localOnly)) {
      const { handler } = config.functions[def.name]!;
      expect(handler).toBe(`adapters/aws/entries/${def.name}.handler`);
      // Lambda takes the module up to the first dot of the file name; the rest is the export.
      const file = handler.slice(handler.lastIndexOf('/') + 1);
      expect(file.slice(0, file.indexOf('.'))).toBe(def.name);
      expect(entries.has(entryFileOf(def))).toBe(true);
    }
    expect(config.functions['auth-login']!.handler).toBe('adapters/aws/entries/auth-login.handler');
  });

  it('generates entries that bind the factory the table names, with its own manifest or every one for an app-scoped service', () => {
    const entries = entrySources(functions, services, jobs);
    const login = entries.get('adapters/aws/entries/auth-login.ts')!;
    expect(login).toContain("import { login as factory } from '../../../handlers/identity/accounts.routes.ts';");
    expect(login).toContain("import service from '../../../handlers/identity/index.ts';");
    expect(login).toContain('export const handler = lambdaEntry("auth-login", factory, [service]);');
    expect(entries.get('adapters/aws/entries/health.ts')).toContain("import { services } from '../../../app/services.ts';");
    const stream = entries.get('adapters/aws/entries/diagnostics-stream.ts')!;
    expect(stream).toContain('export const handler = streamingLambda(lambdaEntry("diagnostics-stream", factory, [service]),');
    // Only the job workers carry the loaders of the job modules, which jobs name by string.
    expect(entries.get('adapters/aws/entries/jobs-taste-jobs.ts')).toContain('export const handler = lambdaEntry("jobs-taste-jobs", factory, services, jobModules);');
    const loaders = entries.get('adapters/aws/entries/job-modules.ts')!;
    for (const spec of jobs) expect(loaders).toContain(`'${handlerReference(spec.handler!).module}': () => import('../../../${handlerReference(spec.handler!).module}.ts'),`);
    expect(login).not.toContain('jobModules');
  });

  it('is the same whatever the generator\'s environment holds: settings are read at bind time, never at import', () => {
    // Renamed job homes, a narrower metadata auth mode and other limits would all have changed the
    // table when settings were read at import; `generate --check` must still find nothing to write.
    const hostile = {
      TASTE_JOB_QUEUE_NAME: 'renamed-taste-jobs', TASTE_JOB_DEAD_LETTER_QUEUE_NAME: 'renamed-dlq', COSMOS_DB_TASTE_JOBS_CONTAINER: 'renamed-records',
      METADATA_EXTRACT_AUTH_MODE: 'api_key', WEEKLY_DIGEST_MAX_CONCURRENCY: '9', SCRAPER_MAX_CONCURRENCY: '3', RATE_LIMIT_DEFAULT: '7',
    };
    const child = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/generate.ts', '--check'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)), env: { ...process.env, ...hostile }, encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
  });

  it('has every generated entry committed as generated (npm run generate)', () => {
    for (const [file, source] of entrySources(functions, services, jobs)) expect(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')).toBe(source);
  });

  it('refuses a function with an inline handler: only factory modules can be bundled', () => {
    expect(() => serverlessConfig([inlineQueue])).toThrow(/fixture-queue has an inline handler/);
  });

  it('routes HTTP functions under /api with API Gateway’s 29 s limit, streams at a function URL, and gives the rest host.json’s functionTimeout', () => {
    expect(config.provider).toMatchObject({ runtime: 'nodejs22.x', timeout: 29, httpApi: { payload: '2.0' } });
    for (const def of functions.filter((candidate) => !candidate.localOnly)) {
      const declared = config.functions[def.name]!;
      if (def.trigger.kind === 'http' && def.trigger.stream) {
        expect(declared).toMatchObject({ timeout: 230, url: { invokeMode: 'RESPONSE_STREAM' }, events: [] });
      } else if (def.trigger.kind === 'http') {
        expect(declared.timeout).toBeUndefined();
        expect(declared.url).toBeUndefined();
        // A case alias (API Gateway is case-sensitive) is one more path to the same function.
        const { method, route } = def.trigger;
        expect(declared.events).toEqual([{ httpApi: { method, path: `/api/${route}` } }]);
      } else {
        expect(declared.timeout).toBe(hostSettings().functionTimeoutMs / 1000);
      }
    }
  });

  it('bundles each function on its own into minified native ESM (.mjs) for Node 22, split into lazily read chunks, with serverless-offline after esbuild', () => {
    expect(config.plugins).toEqual(['serverless-esbuild', 'serverless-offline']);
    expect(config.package).toEqual({ individually: true });
    expect(config.custom.esbuild).toMatchObject({ bundle: true, format: 'esm', platform: 'node', target: 'node22', outputFileExtension: '.mjs', packager: 'npm', external: [], exclude: [...RUNTIME_PACKAGES] });
    expect(config.custom.esbuild).toMatchObject({ minify: true, sourcemap: 'external', splitting: true, plugins: 'adapters/aws/esbuild-plugins.ts' });
    expect((config.custom.esbuild.banner as { js: string }).js).toMatch(/createRequire.*const require = .*\(import\.meta\.url\)/);
  });

  it('passes the deployed variables through from the deploying shell', () => {
    expect((config.provider.environment as Record<string, string>).JWT_SECRET).toBe("${env:JWT_SECRET, ''}");
  });

  it('does not make Node read source maps on each cold start (no NODE_OPTIONS=--enable-source-maps)', () => {
    expect(config.provider.environment).not.toHaveProperty('NODE_OPTIONS');
  });

  it('puts jobs on SQS and blobs on S3, with the stage-prefixed names resolved for the functions', () => {
    expect(config.custom.portico).toEqual({
      queueNamePrefix: '${self:service}-${sls:stage}-',
      bucketPrefix: "${env:S3_BUCKET_PREFIX, '${self:service}-${sls:stage}-'}",
    });
    expect(config.provider.environment).toMatchObject({
      QUEUE_PROVIDER: "${env:QUEUE_PROVIDER, 'sqs'}",
      SQS_QUEUE_NAME_PREFIX: '${self:custom.portico.queueNamePrefix}',
      SQS_QUEUE_URL_PREFIX: "${env:SQS_QUEUE_URL_PREFIX, ''}",
      BLOB_PROVIDER: "${env:BLOB_PROVIDER, 's3'}",
      S3_BUCKET_PREFIX: '${self:custom.portico.bucketPrefix}',
    });
    // What the functions read at start-up is valid configuration once osls has resolved it.
    const resolved = loadConfig({ QUEUE_PROVIDER: 'sqs', BLOB_PROVIDER: 's3', AWS_REGION: 'eu-west-1', SQS_QUEUE_NAME_PREFIX: 'portico-prod-', SQS_QUEUE_URL_PREFIX: 'https://sqs.eu-west-1.amazonaws.com/123456789012/', S3_BUCKET_PREFIX: 'portico-prod-' }, false);
    expect(resolved).toMatchObject({ queue: { provider: 'sqs', queueNamePrefix: 'portico-prod-' }, blobs: { provider: 's3', bucketPrefix: 'portico-prod-' } });
  });
});

describe('queues', () => {
  const host: HostSettings = { ...hostSettings(), functionTimeoutMs: 600_000, queues: { ...hostSettings().queues, maxDequeueCount: 3 } };
  const { functions: declared, resources, provider } = serverlessConfig([fixtureQueue, fixturePoison], host) as Config;

  it('consume SQS one message at a time, reporting failed items', () => {
    expect(declared['fixture-queue']!.events).toEqual([{ sqs: { arn: getAtt('FixtureJobsQueue'), batchSize: 1, functionResponseType: 'ReportBatchItemFailures' } }]);
    expect(declared['fixture-queue-poison']!.events[0]!.sqs).toMatchObject({ arn: getAtt('FixtureJobsPoisonQueue') });
  });

  it('redrive to `<queue>-poison` after maxDequeueCount receives, with visibility 6x the consumer timeout', () => {
    expect(resources!.Resources.FixtureJobsQueue).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: '${self:custom.portico.queueNamePrefix}fixture-jobs',
        VisibilityTimeout: 3600,
        MessageRetentionPeriod: 1209600,
        RedrivePolicy: { deadLetterTargetArn: getAtt('FixtureJobsPoisonQueue'), maxReceiveCount: 3 },
      },
    });
    expect(resources!.Resources.FixtureJobsPoisonQueue).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: '${self:custom.portico.queueNamePrefix}fixture-jobs-poison', VisibilityTimeout: 3600, MessageRetentionPeriod: 1209600 },
    });
    expect(resources!.Resources.FixtureJobsDeadletterQueue).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: '${self:custom.portico.queueNamePrefix}fixture-jobs-deadletter', MessageRetentionPeriod: 1209600 },
    });
    expect(Object.keys(resources!.Resources)).toHaveLength(3);
  });

  it('give a job queue its dead-letter queue even when no poison collector consumes it', () => {
    const alone = serverlessConfig([fixtureQueue]) as Config;
    expect(alone.resources!.Resources.FixtureJobsQueue!.Properties).toMatchObject({ VisibilityTimeout: 1800, RedrivePolicy: { maxReceiveCount: 5 } });
    expect(alone.resources!.Resources.FixtureJobsPoisonQueue!.Properties).not.toHaveProperty('VisibilityTimeout');
  });

  it('may be used by the functions, and nothing else may', () => {
    expect(provider.iam!.role.statements[0]).toEqual({
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility'],
      Resource: [getAtt('FixtureJobsQueue'), getAtt('FixtureJobsPoisonQueue'), getAtt('FixtureJobsDeadletterQueue')],
    });
  });
});

describe('schedules and blobs', () => {
  it('map timers to EventBridge schedules through toAwsSchedule', () => {
    const declared = (serverlessConfig([everyFiveMinutes]) as Config).functions['fixture-timer']!;
    expect(declared.events).toEqual([{ schedule: { rate: ['rate(5 minutes)'] } }]);
    expect(declared.timeout).toBe(300);
  });

  it('map blob triggers to events of the existing bucket, filtered by the path around {name}', () => {
    const images = deployable(defineFunction({ ...inlineBlob, name: 'fixture-images', trigger: { kind: 'blob', path: 'media/images/{name}.png' } }));
    const { functions: declared, provider, resources } = serverlessConfig([fixtureBlob, images]) as Config;
    // The bucket the S3 blob store keeps the container in: `<bucket prefix><container>`.
    expect(declared['fixture-blob']!.events).toEqual([{ s3: { bucket: '${self:custom.portico.bucketPrefix}uploads', event: 's3:ObjectCreated:*', existing: true } }]);
    expect(declared['fixture-images']!.events).toEqual([
      { s3: { bucket: '${self:custom.portico.bucketPrefix}media', event: 's3:ObjectCreated:*', existing: true, rules: [{ prefix: 'images/' }, { suffix: '.png' }] } },
    ]);
    expect(provider.iam!.role.statements).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket', 's3:CreateBucket'], Resource: ['arn:aws:s3:::${self:custom.portico.bucketPrefix}*'] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: ['arn:aws:s3:::${self:custom.portico.bucketPrefix}*/*'] },
    ]);
    expect(resources).toBeUndefined();
  });

  it('read a blob path as bucket, key prefix and key suffix', () => {
    expect(blobLocation('uploads/{name}')).toEqual({ bucket: 'uploads', prefix: '', suffix: '' });
    expect(blobLocation('media/in/{name}.csv')).toEqual({ bucket: 'media', prefix: 'in/', suffix: '.csv' });
  });
});

it('refuses a schedule AWS cannot run rather than approximating it', () => {
  expect(() => serverlessConfig(fixtureFunctions)).toThrow(/minute precision/);
});

describe('the YAML writer', () => {
  // The readers that matter: YAML 1.1 and 1.2 (the yaml library), and js-yaml as osls itself loads serverless.yml.
  const oslsRequire = createRequire(fileURLToPath(new URL('../../node_modules/osls/lib/configuration/read.js', import.meta.url)));
  const jsYaml = oslsRequire('js-yaml') as { load(text: string, options?: { schema?: unknown }): unknown };
  const cloudFormationSchema = oslsRequire('../utils/serverless-utils/cloudformation-schema');
  const readers: [string, (text: string) => unknown][] = [
    ['YAML 1.1', (text) => parseYaml(text, { version: '1.1' })],
    ['YAML 1.2', (text) => parseYaml(text, { version: '1.2' })],
    ['osls (js-yaml)', (text) => jsYaml.load(text, { schema: cloudFormationSchema })],
  ];

  it('quotes what YAML would misread and nests lists of maps', () => {
    expect(toYaml({ a: 'yes', b: '3', c: 'plain text', d: [{ e: 1, f: ['x'] }], g: '${env:X}', h: true })).toBe(
      'a: "yes"\nb: "3"\nc: plain text\nd:\n  - e: 1\n    f:\n      - x\ng: "${env:X}"\nh: true\n',
    );
  });

  // Issue 11: the hand-written writer left `.inf`, `.nan` and `.5` plain, and they came back as numbers.
  const misread = ['.inf', '-.inf', '+.INF', '.nan', '.NaN', '.5', '-.5', '1e3', '1_000', '0o17', '0x1F', '017', '12:30', 'yes', 'on', 'Off', 'y', 'N', '~', 'null', 'True', '', ' lead', 'trail ', '- item', '#c', 'a: b', 'a #b', "'q'", '"', '*alias', '&anchor', '!tag', '%dir', '@at', '`tick', '? key', '2026-12-05', "${env:X, ''}", 'line\nbreak'];
  it.each(readers)('writes every string so %s reads it back as the same string, as a value and as a key', (_reader, read) => {
    for (const text of misread) expect([text, read(toYaml({ value: text, list: [text], [text || 'empty']: 1 }))]).toEqual([text, { value: text, list: [text], [text || 'empty']: 1 }]);
  });

  it('writes serverless variables double-quoted, so what they expand to stays a string', () => {
    expect(toYaml({ a: "${env:X, ''}", b: 'arn:aws:s3:::${self:custom.bucket}*' })).toBe('a: "${env:X, \'\'}"\nb: "arn:aws:s3:::${self:custom.bucket}*"\n');
  });

  it('round-trips any string, number and boolean through every reader (fast-check)', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...misread), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 4 }), (value) => {
        // JSON drops -0's sign, as YAML does.
        const expected = JSON.parse(JSON.stringify(value)) as unknown;
        for (const [, read] of readers) expect(JSON.parse(JSON.stringify(read(toYaml(value as YamlValue))))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the committed serverless.yml back as the generated config, with osls\'s own reader', () => {
    const committed = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
    const expected = JSON.parse(JSON.stringify(serverlessConfig(functions))) as unknown;
    for (const [, read] of readers) expect(read(committed)).toEqual(expected);
  });
});
