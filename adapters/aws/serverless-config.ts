/**
 * serverless.yml, generated from the function table (osls, the open-source Serverless v3 line).
 * The handlers are already Lambda-shaped, so each function points straight at its module.
 */
import type { FunctionDef } from '../../app/define.ts';
import { toAwsSchedule } from '../../domain/schedule/ncrontab.ts';
import { handlerReference } from '../../app/load-handler.ts';
import type { YamlValue } from './yaml.ts';

/** Variables passed through from the deploying shell; names as in the seeds and the README. */
export const DEPLOYED_VARIABLES = [
  'CORS_ALLOWED_ORIGINS', 'LOG_LEVEL', 'MAX_BODY_BYTES', 'HEALTH_TIMEOUT_MS',
  'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY', 'COSMOS_DB_DATABASE', 'JOB_LEASE_SECONDS',
  'JWT_SECRET', 'JWT_SECRET_PREVIOUS', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ACCESS_TTL_SECONDS', 'JWT_CLOCK_TOLERANCE_SECONDS',
  'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URI', 'OIDC_JWKS_TIMEOUT_MS',
  'API_KEYS', 'ADMIN_USER_IDS',
  'PIN_LENGTH', 'PIN_EXP_MINUTES', 'PIN_MAX_PER_HOUR', 'PASSWORD_MIN_LENGTH', 'PASSWORD_SCRYPT_LOG2N', 'REFRESH_TTL_DAYS',
  'SENDGRID_KEY', 'EMAIL_FROM',
  'RATE_LIMITING_ENABLED', 'RATE_LIMIT_DEFAULT', 'RATE_LIMIT_AUTH', 'RATE_LIMIT_CREDENTIAL_EMAIL', 'RATE_LIMIT_CREDENTIAL_ADDRESS', 'TRUSTED_PROXY_HOPS',
];

const logicalId = (name: string) => name.replace(/(^|[-_])([a-z0-9])/g, (_, _sep: string, char: string) => char.toUpperCase());

function events(def: FunctionDef): YamlValue[] {
  const trigger = def.trigger;
  switch (trigger.kind) {
    case 'http':
      return [{ httpApi: { method: trigger.method, path: `/api/${trigger.route}` } }];
    case 'queue':
      return [
        {
          sqs: {
            arn: { 'Fn::GetAtt': [`${logicalId(trigger.queue)}Queue`, 'Arn'] },
            batchSize: 1,
            functionResponseType: 'ReportBatchItemFailures',
          },
        },
      ];
    case 'timer':
      return [{ schedule: { rate: [toAwsSchedule(trigger.schedule)] } }];
    case 'blob': {
      const [bucket] = trigger.path.split('/');
      return [{ s3: { bucket: bucket!, event: 's3:ObjectCreated:*', existing: true } }];
    }
  }
}

export function serverlessConfig(all: readonly FunctionDef[]): YamlValue {
  const table = all.filter((def) => !def.localOnly); // development aids never reach a cloud
  const queues = [...new Set(table.flatMap((def) => (def.trigger.kind === 'queue' ? [def.trigger.queue] : [])))];
  return {
    service: 'portico',
    frameworkVersion: '3',
    provider: {
      name: 'aws',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      memorySize: 1024,
      // API Gateway HTTP APIs give up after 30 s.
      timeout: 29,
      httpApi: { payload: '2.0' },
      environment: Object.fromEntries([
        ['NODE_OPTIONS', '--enable-source-maps'],
        ...DEPLOYED_VARIABLES.map((name) => [name, `\${env:${name}, ''}`]),
      ]),
    },
    // Sources, tests and tooling stay behind; dist/ and the runtime node_modules ship.
    package: { patterns: ['!**/*.ts', '!tests/**', '!bench/**', '!scripts/**', '!.ci/**', 'dist/**', '!dist/**/*.map'] },
    functions: Object.fromEntries(
      table.map((def) => {
        const { module, exportName } = handlerReference(def.handler ?? def.name);
        return [def.name, { handler: `dist/${module}.${exportName}`, events: events(def) }];
      }),
    ),
    ...(queues.length > 0
      ? {
          resources: {
            Resources: Object.fromEntries(
              queues.map((queue) => [`${logicalId(queue)}Queue`, { Type: 'AWS::SQS::Queue', Properties: { QueueName: queue } }]),
            ),
          },
        }
      : {}),
  };
}
