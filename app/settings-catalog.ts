/**
 * Every environment variable Portico reads, by name, in one list. Each module still reads and
 * validates its own settings; this list is what the places that must know them all read:
 * serverless.yml passes exactly these to Lambda, and tests check that every variable the code
 * reads is listed here and documented in the README and `.env.example`. The platform's variables
 * are listed here; each service's come from its manifest (`settings.variables`). Job families
 * (`<PREFIX>_MAX_RETRIES`, ...) and rate limits (`RATE_LIMIT_<NAME>`) are derived from the job
 * list and the limits in use, so a new job or limit cannot be forgotten either.
 */
import type { JobSpec } from '../kernel/jobs.ts';
import { JOB_SETTING_SUFFIXES } from './config.ts';
import { services } from './services.ts';
import { SEGMENTATION_VARIABLES } from '../kernel/segmentation.ts';

export const PLATFORM_SETTINGS = {
  platform: [
    'CORS_ALLOWED_ORIGINS', 'LOG_LEVEL', 'MAX_BODY_BYTES', 'HEALTH_TIMEOUT_MS',
    'AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY', 'COSMOS_DB_DATABASE', 'JOB_LEASE_SECONDS',
    'RATE_LIMITING_ENABLED', 'TRUSTED_PROXY_HOPS',
  ],
  cloud: [
    'QUEUE_PROVIDER', 'BLOB_PROVIDER', 'AWS_REGION', 'SQS_QUEUE_NAME_PREFIX', 'SQS_QUEUE_URL_PREFIX',
    'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_S3', 'S3_BUCKET_PREFIX', 'S3_FORCE_PATH_STYLE',
  ],
  auth: [
    'JWT_SECRET', 'JWT_SECRET_PREVIOUS', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ACCESS_TTL_SECONDS', 'JWT_CLOCK_TOLERANCE_SECONDS',
    'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URI', 'OIDC_JWKS_TIMEOUT_MS',
    'GOOGLE_CLIENT_IDS', 'GOOGLE_JWKS_URI', 'LOCAL_DEV_AUTH', 'LOCAL_DEV_USER_ID',
    'API_KEYS', 'ADMIN_USER_IDS',
  ],
  ai: [
    'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_OPENAI_API_VERSION',
    'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'AI_TIMEOUT_MS', 'AI_MAX_RETRIES',
    'OPENAI_TRANSCRIPTION_MODEL', 'AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT', 'OPENAI_EMBEDDING_MODEL', 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
  ],
  /** The background-removal service, shared by the wardrobe's uploads and the capability plugin. */
  segmentation: SEGMENTATION_VARIABLES,
  telemetry: [
    'OTEL_SERVICE_NAME', 'OTEL_TRACES_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_PROTOCOL',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    'OTEL_METRICS_EXPORTER', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_METRIC_EXPORT_INTERVAL',
    'LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY', 'LANGFUSE_HOST', 'LANGFUSE_BASE_URL',
  ],
  /** Read by the local host (and the Azure adapter's stand-ins for Lambda's context) only: never deployed. */
  localHost: ['PORT', 'PORTICO_DATA_DIR', 'LOG_PRETTY', 'PORTICO_MEMORY_MB', 'REGION_NAME', 'LOCAL_BLOB_SCAN_INTERVAL_MS'],
  /** Set by the runtime itself (the Functions Framework's target on Google Cloud): read, never passed on deploy. */
  runtime: ['FUNCTION_TARGET'],
} as const satisfies Record<string, readonly string[]>;

/** The platform's groups, then one group per service (its manifest's variables). */
export const SETTINGS: Readonly<Record<string, readonly string[]>> & typeof PLATFORM_SETTINGS = {
  ...PLATFORM_SETTINGS,
  ...Object.fromEntries(services.map((service) => [service.name, service.settings.variables])),
};

/** `<PREFIX>_MAX_RETRIES`, ... for every job family. */
export function jobFamilySettings(jobs: readonly Pick<JobSpec, 'settingsPrefix'>[]): string[] {
  const prefixes = [...new Set(jobs.map((job) => job.settingsPrefix))];
  return prefixes.flatMap((prefix) => JOB_SETTING_SUFFIXES.map((suffix) => `${prefix}_${suffix}`));
}

/** Every variable a deployed function may read, in a stable order. */
export function deployedSettings(jobs: readonly Pick<JobSpec, 'settingsPrefix'>[], rateLimitVariables: readonly string[]): string[] {
  const { localHost: _local, runtime: _runtime, ...deployed } = SETTINGS;
  return [...new Set([...Object.values(deployed).flat(), ...jobFamilySettings(jobs), ...rateLimitVariables])];
}
