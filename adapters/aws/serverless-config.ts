/**
 * serverless.yml, generated from the function table (osls, the open-source Serverless v3 line).
 * The handlers are already Lambda-shaped, so each function points straight at its TypeScript
 * module and serverless-esbuild bundles it, per function, into native ESM (`.mjs`).
 */
import { RUNTIME_PACKAGES } from '../capabilities/runtime-packages.ts';
import { blobLocation, type FunctionDef } from '../../kernel/functions.ts';
import { jobs as tableJobs } from '../../app/functions.ts';
import { deployedSettings } from '../../app/settings-catalog.ts';
import { toAwsSchedule } from '../../domain/schedule/ncrontab.ts';
import { deadLetterQueueOf, poisonQueueOf, type JobSpec } from '../../kernel/jobs.ts';
import { DEFAULT_RATE_LIMITS, limitVariable } from '../../middleware/rate-limit.ts';
import { hostSettings, type HostSettings } from '../azure/host-settings.ts';
import type { YamlValue } from './yaml.ts';

export { blobLocation };
import { chunkFolderOf, entryFileOf } from './lambda-entries.ts';

/** Variables passed through from the deploying shell; names as in the seeds and the README. */

export const MEMORY_SIZE_MB = 1024;
/** API Gateway HTTP APIs cut an integration off at 30 s, so a longer Lambda timeout would only waste money. */
const HTTP_TIMEOUT_SECONDS = 29;
/** Lambda's hard ceiling. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/** AWS guidance for a Lambda-consumed queue: visibility of at least 6x the function timeout, so a message throttled
 * or retried inside the poller does not reappear while an attempt is still running. */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/**
 * SQS keeps a message at most 14 days, and the default is 4. Every queue gets the maximum: a job
 * queue holds retries delayed up to 7 days, and a dead-letter queue keeps the original enqueue
 * time, so a dead letter must outlive any retry schedule.
 */
const MAX_RETENTION_SECONDS = 14 * 24 * 3600;
/**
 * A streamed response is not bounded by API Gateway (it is served by a function URL); it gets
 * Azure's 230 s HTTP limit, so one stream cap holds on every runtime.
 */
const STREAM_TIMEOUT_SECONDS = 230;

/**
 * The stack's own names carry the service and stage (`portico-prod-`), so stages share an account.
 * osls resolves these at package time, without credentials.
 */
export const QUEUE_NAME_PREFIX = '${self:custom.portico.queueNamePrefix}';
/**
 * S3 bucket names are global across all AWS accounts: S3_BUCKET_PREFIX from the deploying shell
 * (something of your own, e.g. `acme-portico-prod-`), else the stack prefix. Lower case only.
 */
export const BUCKET_PREFIX = '${self:custom.portico.bucketPrefix}';
const STACK_PREFIX = '${self:service}-${sls:stage}-';

/** What the deployed functions get on top of the settings catalog: jobs on SQS, blobs on S3, the resolved names. */
export const AWS_ENVIRONMENT: Record<string, YamlValue> = {
  // Overridable from the shell, so `osls offline start` can use Azurite (QUEUE_PROVIDER=azure).
  QUEUE_PROVIDER: "${env:QUEUE_PROVIDER, 'sqs'}",
  SQS_QUEUE_NAME_PREFIX: QUEUE_NAME_PREFIX,
  // No SQS_QUEUE_URL_PREFIX from CloudFormation (Fn::Join): serverless-offline cannot resolve
  // intrinsics. Each queue's URL is looked up once per cold start instead, unless it is set.
  BLOB_PROVIDER: "${env:BLOB_PROVIDER, 's3'}",
  S3_BUCKET_PREFIX: BUCKET_PREFIX,
};

/**
 * Banner for every bundle: an ESM bundle has no `require`, but CommonJS dependencies bundled into
 * it still call `require('node:…')` at run time; esbuild's shim forwards to this one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __porticoCreateRequire } from 'node:module'; const require = __porticoCreateRequire(import.meta.url);";

const logicalId = (name: string) => name.replace(/(^|[-_])([a-z0-9])/g, (_, _sep: string, char: string) => char.toUpperCase());
/** The CloudFormation logical id of the SQS queue named `queue`. */
const queueLogicalId = (queue: string) => `${logicalId(queue)}Queue`;
const queueArn = (queue: string) => ({ 'Fn::GetAtt': [queueLogicalId(queue), 'Arn'] });

/**
 * The function's Lambda timeout: HTTP is bounded by API Gateway, a stream by Azure's HTTP limit;
 * the rest get host.json's functionTimeout, as on Azure.
 */
export function timeoutSeconds(def: FunctionDef, host: HostSettings): number {
  if (def.trigger.kind === 'http') return def.trigger.stream ? STREAM_TIMEOUT_SECONDS : HTTP_TIMEOUT_SECONDS;
  return Math.min(Math.ceil(host.functionTimeoutMs / 1000), LAMBDA_MAX_TIMEOUT_SECONDS);
}

/**
 * The `serverless.yml` handler: the function's generated entry (adapters/aws/lambda-entries.ts),
 * from which serverless-esbuild builds `<function>.mjs`, exporting `handler`.
 */
function lambdaHandler(def: FunctionDef): string {
  if (!def.handler) throw new Error(`${def.name} has an inline handler; only factory modules can be deployed.`);
  return `${entryFileOf(def).replace(/\.ts$/, '')}.handler`;
}

function events(def: FunctionDef): YamlValue[] {
  const trigger = def.trigger;
  switch (trigger.kind) {
    case 'http':
      // API Gateway HTTP APIs buffer the whole response: a streamed one is served by its function URL instead.
      // API Gateway matches paths case-sensitively: each case alias is a path of its own.
      return trigger.stream ? [] : [{ httpApi: { method: trigger.method, path: `/api/${trigger.route}` } }];
    case 'queue':
      return [
        {
          sqs: {
            arn: queueArn(trigger.queue),
            // One message per invocation, as Azure runs one per call: a message that times the
            // function out then never counts a receive against (and dead-letters) its neighbours.
            batchSize: 1,
            functionResponseType: 'ReportBatchItemFailures',
          },
        },
      ];
    case 'timer':
      return [{ schedule: { rate: [toAwsSchedule(trigger.schedule)] } }];
    case 'blob': {
      const { bucket, prefix, suffix } = blobLocation(trigger.path);
      const rules = [...(prefix ? [{ prefix }] : []), ...(suffix ? [{ suffix }] : [])];
      // The bucket is the application's, not the stack's: deleting the stack must never delete data.
      // The container is the bucket `<prefix><container>`, where the S3 blob store puts it.
      return [{ s3: { bucket: BUCKET_PREFIX + bucket, event: 's3:ObjectCreated:*', existing: true, ...(rules.length > 0 ? { rules } : {}) } }];
    }
  }
}

/**
 * The SQS queues of the stack. Each job queue `<q>` gets:
 * - `<q>-poison`, its SQS dead-letter queue (RedrivePolicy, after host.json's maxDequeueCount
 *   receives). Azure's host moves a message it gave up on to `<q>-poison`; SQS moves it to the
 *   DLQ. Same name, so the table's poison collector consumes it unchanged and finds `<q>` by
 *   stripping `-poison` from the queue ARN.
 * - `<q>-deadletter`, where the job worker announces the jobs it dead-lettered itself (a
 *   different thing: the application gave up, not the host), as on Azure.
 */
function queueResources(table: readonly FunctionDef[], host: HostSettings): Record<string, YamlValue> {
  const consumerTimeout = new Map<string, number>();
  for (const def of table) {
    if (def.trigger.kind !== 'queue') continue;
    consumerTimeout.set(def.trigger.queue, Math.max(consumerTimeout.get(def.trigger.queue) ?? 0, timeoutSeconds(def, host)));
  }
  const poisonQueues = new Set([...consumerTimeout.keys()].map(poisonQueueOf));
  const jobQueues = [...consumerTimeout.keys()].filter((queue) => !poisonQueues.has(queue));
  const visibility = (queue: string) => {
    const timeout = consumerTimeout.get(queue);
    return timeout === undefined ? {} : { VisibilityTimeout: timeout * VISIBILITY_TIMEOUT_FACTOR };
  };
  const resources: Record<string, YamlValue> = {};
  for (const queue of jobQueues) {
    const poison = poisonQueueOf(queue);
    const deadLetter = deadLetterQueueOf(queue);
    resources[queueLogicalId(queue)] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: QUEUE_NAME_PREFIX + queue,
        ...visibility(queue),
        MessageRetentionPeriod: MAX_RETENTION_SECONDS,
        RedrivePolicy: { deadLetterTargetArn: queueArn(poison), maxReceiveCount: host.queues.maxDequeueCount },
      },
    };
    resources[queueLogicalId(poison)] = {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: QUEUE_NAME_PREFIX + poison, ...visibility(poison), MessageRetentionPeriod: MAX_RETENTION_SECONDS },
    };
    resources[queueLogicalId(deadLetter)] = {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: QUEUE_NAME_PREFIX + deadLetter, MessageRetentionPeriod: MAX_RETENTION_SECONDS },
    };
  }
  return resources;
}

/**
 * Least privilege: the stack's own queues, and the buckets under the stage's bucket prefix (the
 * blob store's containers, which it creates on first put, and the blob triggers' buckets).
 */
function iamStatements(queueIds: readonly string[]): YamlValue[] {
  return [
    ...(queueIds.length > 0
      ? [
          {
            Effect: 'Allow',
            // Send (enqueue, retry, dead-letter announcements); the rest is what the SQS event
            // source mapping and the queue port (lookup by name, counts) do.
            Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility'],
            Resource: queueIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
          },
        ]
      : []),
    // ListBucket also makes a missing key a 404 (not 403) and answers the health check's HeadBucket.
    { Effect: 'Allow', Action: ['s3:ListBucket', 's3:CreateBucket'], Resource: [`arn:aws:s3:::${BUCKET_PREFIX}*`] },
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`arn:aws:s3:::${BUCKET_PREFIX}*/*`] },
  ];
}

/** Lambda sets these itself and refuses a deployment that names them. */
const LAMBDA_RESERVED = new Set(['AWS_REGION']);

/** RATE_LIMIT_<NAME> for the built-in limits and every limit a route names. */
export function rateLimitVariables(table: readonly FunctionDef[]): string[] {
  const named = table.flatMap((def) => (def.trigger.kind === 'http' && typeof def.trigger.rateLimit === 'string' ? [def.trigger.rateLimit] : []));
  return [...new Set([...Object.keys(DEFAULT_RATE_LIMITS), ...named])].map(limitVariable);
}

export function serverlessConfig(all: readonly FunctionDef[], host: HostSettings = hostSettings(), jobs: readonly JobSpec[] = tableJobs): YamlValue {
  const table = all.filter((def) => !def.localOnly); // development aids never reach a cloud
  const queues = queueResources(table, host);
  const statements = iamStatements(Object.keys(queues));
  return {
    service: 'portico',
    // osls 4: the open-source line that continues Serverless v3 (upstream v4 needs a licence).
    frameworkVersion: '4',
    // Order matters: serverless-esbuild must bundle before serverless-offline serves.
    plugins: ['serverless-esbuild', 'serverless-offline'],
    provider: {
      name: 'aws',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      stage: "${opt:stage, 'dev'}",
      region: "${opt:region, 'us-east-1'}",
      memorySize: MEMORY_SIZE_MB,
      timeout: HTTP_TIMEOUT_SECONDS,
      httpApi: { payload: '2.0' },
      // No NODE_OPTIONS=--enable-source-maps: Node would read every map on each cold start. The
      // maps ship beside the bundles; set it on a function while debugging a stack trace.
      environment: Object.fromEntries([
        ...deployedSettings(jobs, rateLimitVariables(table))
          .filter((name) => !LAMBDA_RESERVED.has(name))
          .map((name) => [name, `\${env:${name}, ''}`]),
        ...Object.entries(AWS_ENVIRONMENT),
      ]),
      iam: { role: { statements } },
    },
    // One zip per function, holding only its own bundle.
    package: { individually: true },
    custom: {
      portico: {
        queueNamePrefix: STACK_PREFIX,
        bucketPrefix: `\${env:S3_BUCKET_PREFIX, '${STACK_PREFIX}'}`,
      },
      esbuild: {
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        // serverless-esbuild's own option: it sets esbuild's outExtension AND finds the bundle by it.
        outputFileExtension: '.mjs',
        banner: { js: ESM_REQUIRE_BANNER },
        minify: true,
        // Maps are written beside the bundle (not inlined), so a cold start never reads them.
        sourcemap: 'external',
        // ESM code splitting: what a function loads with import() (an SDK on first use, a job's
        // module) becomes a chunk that is read only when it is first needed.
        // Each bundle's chunks go to a folder of their own (see lambda-entries.ts chunkFolderOf).
        splitting: true,
        // Puts each bundle's chunks in its own folder, and serves app/project.ts the files it reads.
        plugins: 'adapters/aws/esbuild-plugins.ts',
        // Everything is bundled, the AWS SDK v3 included (the pinned version, not the runtime's),
        // so no node_modules ship and packaging never runs npm install (nor needs the network).
        external: [],
        // Except what a bundle cannot hold: native binaries, wasm and model data that packages read
        // from their own folders at run time. They stay external and unpackaged; a capability plugin
        // that needs one reports itself unhealthy where the deployment does not ship it.
        exclude: [...RUNTIME_PACKAGES],
        packager: 'npm',
        // serverless-esbuild's own: by default it builds every function at once (concurrency
        // Infinity) and keeps each build's esbuild context (its parsed sources, ~0.3-0.4 GB per
        // bundle) until all are zipped. One bundle per function made that ~25 GB, and esbuild was
        // killed for memory. esbuild spreads one build over every core already, so two at a time
        // loses nothing, and without the contexts memory stays ~1.5 GB; only serverless-offline's
        // watch mode would rebuild from scratch (the offline runs here do not watch).
        concurrency: 2,
        skipRebuild: true,
      },
    },
    functions: Object.fromEntries(
      table.map((def) => [
        def.name,
        {
          handler: lambdaHandler(def),
          // Its own bundle's chunks, none of the others' (serverless-esbuild leaves the other bundles out).
          package: { patterns: ['!**/chunks-*/**', `${chunkFolderOf(def)}/**`] },
          ...(def.trigger.kind === 'http' && !def.trigger.stream ? {} : { timeout: timeoutSeconds(def, host) }),
          // Auth is Portico's own (as on Azure, where HTTP functions are anonymous); CORS is the middleware's.
          ...(def.trigger.kind === 'http' && def.trigger.stream ? { url: { invokeMode: 'RESPONSE_STREAM' } } : {}),
          events: events(def),
        },
      ]),
    ),
    ...(Object.keys(queues).length > 0 ? { resources: { Resources: queues } } : {}),
  };
}
