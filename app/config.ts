/**
 * Configuration: read once from the environment, validated, typed and frozen.
 * Names follow the seeds where they exist (CORS_ALLOWED_ORIGINS, ADMIN_USER_IDS, ...).
 * Any invalid value stops start-up with a message naming the variable.
 */
import type { JobSettings } from '../domain/jobs.ts';
import { boolean, choice, ConfigError, integer, list, text, type Env } from '../kernel/env.ts';

export { ConfigError };

import type { LogLevel } from '../middleware/logger.ts';

export type { LogLevel };

export interface Config {
  port: number;
  corsAllowedOrigins: readonly string[];
  logLevel: LogLevel;
  /** Pretty, human logs; defaults to on when stdout is a terminal. */
  logPretty: boolean;
  maxBodyBytes: number;
  healthTimeoutMs: number;
  /** Storage connection (Azurite or Azure) for queues and blobs. */
  storageConnection: string | undefined;
  /** Cosmos DB; absent when not configured. */
  cosmos: { endpoint: string; key: string; database: string } | undefined;
  /** How long a worker holds a job before another may take it over (the function timeout). */
  jobLeaseSeconds: number;
  /** Where job messages go: Azure Storage queues (storageConnection) or Amazon SQS. */
  queue: QueueConfig;
  /** Where blobs go: Azure Blob Storage (storageConnection) or Amazon S3. */
  blobs: BlobConfig;
  /** PORTICO_MEMORY_MB: what the Azure adapter reports as Lambda's memoryLimitInMB (Lambda's own range). */
  memoryLimitMb: number;
  /** LOCAL_BLOB_SCAN_INTERVAL_MS: how often the local host scans blob triggers' containers (their latency). */
  localBlobScanIntervalMs: number;
}

export type QueueConfig =
  | { provider: 'azure' }
  | {
      provider: 'sqs';
      region: string;
      /** AWS_ENDPOINT_URL_SQS: a non-AWS endpoint (ElasticMQ, LocalStack). */
      endpoint: string | undefined;
      /** `https://sqs.<region>.amazonaws.com/<account>/`: saves a GetQueueUrl per queue. */
      queueUrlPrefix: string | undefined;
      /** Prepended to every queue name (`portico-prod-`), so stages share an account. */
      queueNamePrefix: string;
    };

export type BlobConfig =
  | { provider: 'azure' }
  | {
      provider: 's3';
      region: string;
      /** AWS_ENDPOINT_URL_S3: a non-AWS endpoint (MinIO, LocalStack). */
      endpoint: string | undefined;
      /** Bucket names are global across AWS: container `c` is bucket `<prefix>c`. */
      bucketPrefix: string;
      forcePathStyle: boolean;
    };

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];



function origins(env: Env, name: string): string[] {
  return list(env, name).map((origin) => {
    // An origin is scheme://host[:port] and nothing else; `*` is refused because credentials are allowed.
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(name, `has "${origin}", which is not an origin like https://app.example.com`);
    }
    if (url.origin !== origin) throw new ConfigError(name, `has "${origin}"; write it as "${url.origin}"`);
    return origin;
  });
}


export function loadConfig(env: Env = process.env, isTty = Boolean(process.stdout.isTTY)): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return Object.freeze({
    port: integer(env, 'PORT', 7071, 0, 65535),
    corsAllowedOrigins: Object.freeze(origins(env, 'CORS_ALLOWED_ORIGINS')),
    logLevel,
    logPretty: boolean(env, 'LOG_PRETTY', isTty),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1024 * 1024, 1, 100 * 1024 * 1024),
    healthTimeoutMs: integer(env, 'HEALTH_TIMEOUT_MS', 2000, 1, 60000),
    storageConnection: env.AzureWebJobsStorage?.trim() || undefined,
    cosmos: cosmos(env),
    jobLeaseSeconds: integer(env, 'JOB_LEASE_SECONDS', 300, 1, 86_400),
    queue: queueConfig(env),
    blobs: blobConfig(env),
    memoryLimitMb: integer(env, 'PORTICO_MEMORY_MB', 1536, 128, 10_240),
    localBlobScanIntervalMs: integer(env, 'LOCAL_BLOB_SCAN_INTERVAL_MS', 2000, 100, 600_000),
  });
}

function httpUrl(env: Env, name: string, mustEndWithSlash = false): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(value)) throw new ConfigError(name, `must be an http(s) URL, got "${value}"`);
  if (mustEndWithSlash && !value.endsWith('/')) throw new ConfigError(name, `must end with "/" (queue URLs are it plus the queue name), got "${value}"`);
  return value;
}

/** The SDKs read AWS_REGION themselves, but an AWS provider without one fails only at the first call: refuse it here. */
function awsRegion(env: Env, because: string): string {
  const region = text(env, 'AWS_REGION');
  if (region === undefined) throw new ConfigError('AWS_REGION', `is required when ${because} (Lambda sets it)`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigError('AWS_REGION', `must be a region such as eu-west-1, got "${region}"`);
  return region;
}

function queueConfig(env: Env): QueueConfig {
  if (choice(env, 'QUEUE_PROVIDER', ['azure', 'sqs'], 'azure') === 'azure') return { provider: 'azure' };
  const queueNamePrefix = text(env, 'SQS_QUEUE_NAME_PREFIX') ?? '';
  // SQS names are at most 80 of [A-Za-z0-9_-]; the queue adapter refuses a prefixed name past 80.
  if (!/^[A-Za-z0-9_-]{0,40}$/.test(queueNamePrefix)) {
    throw new ConfigError('SQS_QUEUE_NAME_PREFIX', `may hold at most 40 letters, digits, - and _, got "${queueNamePrefix}"`);
  }
  return {
    provider: 'sqs',
    region: awsRegion(env, 'QUEUE_PROVIDER is sqs'),
    endpoint: httpUrl(env, 'AWS_ENDPOINT_URL_SQS'),
    queueUrlPrefix: httpUrl(env, 'SQS_QUEUE_URL_PREFIX', true),
    queueNamePrefix,
  };
}

function blobConfig(env: Env): BlobConfig {
  if (choice(env, 'BLOB_PROVIDER', ['azure', 's3'], 'azure') === 'azure') return { provider: 'azure' };
  const bucketPrefix = text(env, 'S3_BUCKET_PREFIX');
  // Without a prefix, `job-payloads` would be a bucket name some other AWS account already owns.
  if (bucketPrefix === undefined) throw new ConfigError('S3_BUCKET_PREFIX', 'is required when BLOB_PROVIDER is s3 (bucket names are global across AWS accounts)');
  if (!/^[a-z0-9][a-z0-9.-]{0,39}$/.test(bucketPrefix)) {
    throw new ConfigError('S3_BUCKET_PREFIX', `must be 1-40 lower-case letters, digits, dots and hyphens, starting with a letter or digit, got "${bucketPrefix}"`);
  }
  return {
    provider: 's3',
    region: awsRegion(env, 'BLOB_PROVIDER is s3'),
    endpoint: httpUrl(env, 'AWS_ENDPOINT_URL_S3'),
    bucketPrefix,
    forcePathStyle: boolean(env, 'S3_FORCE_PATH_STYLE', false),
  };
}

function cosmos(env: Env): Config['cosmos'] {
  const endpoint = env.COSMOS_DB_ENDPOINT?.trim();
  const key = env.COSMOS_DB_KEY?.trim();
  if (!endpoint && !key) return undefined;
  if (!endpoint) throw new ConfigError('COSMOS_DB_ENDPOINT', 'is required when COSMOS_DB_KEY is set');
  if (!key) throw new ConfigError('COSMOS_DB_KEY', 'is required when COSMOS_DB_ENDPOINT is set');
  if (!/^https?:\/\/[^\s]+$/.test(endpoint)) throw new ConfigError('COSMOS_DB_ENDPOINT', 'must be an http(s) URL');
  const database = env.COSMOS_DB_DATABASE?.trim() || 'portico';
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(database)) throw new ConfigError('COSMOS_DB_DATABASE', 'may hold only letters, digits, - and _');
  return { endpoint, key, database };
}

/**
 * A job family's retry and retention settings, from `<prefix>_MAX_RETRIES`,
 * `_BASE_BACKOFF_SECONDS`, `_MAX_BACKOFF_SECONDS`, `_JITTER_SECONDS`, `_DEDUPE_TTL_SECONDS` and
 * `_COMPLETED_TTL_SECONDS` (the seed's TASTE_JOB_* names are the model).
 */
/** The variables of a job family, after its prefix (`TASTE_JOB_` + each). */
export const JOB_SETTING_SUFFIXES = ['MAX_RETRIES', 'BASE_BACKOFF_SECONDS', 'MAX_BACKOFF_SECONDS', 'JITTER_SECONDS', 'DEDUPE_TTL_SECONDS', 'COMPLETED_TTL_SECONDS'] as const;

export function jobSettings(prefix: string, env: Env = process.env): JobSettings {
  const name = (suffix: string) => `${prefix}_${suffix}`;
  const decimal = (suffix: string, fallback: number, max: number) => {
    const raw = env[name(suffix)]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || value > max) throw new ConfigError(name(suffix), `must be a number of seconds from 0 to ${max}, got "${raw}"`);
    return value;
  };
  const retry = {
    maxAttempts: integer(env, name('MAX_RETRIES'), 4, 0, 100) + 1,
    baseBackoffSeconds: decimal('BASE_BACKOFF_SECONDS', 2, 3600),
    maxBackoffSeconds: decimal('MAX_BACKOFF_SECONDS', 300, 7 * 86_400),
    jitterSeconds: decimal('JITTER_SECONDS', 1, 3600),
  };
  if (retry.maxBackoffSeconds < retry.baseBackoffSeconds) {
    throw new ConfigError(name('MAX_BACKOFF_SECONDS'), `must be at least ${name('BASE_BACKOFF_SECONDS')}`);
  }
  return {
    retry,
    // A queue message lives 7 days after it becomes visible, and a delayed one up to 7 more:
    // a dedupe marker must outlive that.
    dedupeTtlSeconds: integer(env, name('DEDUPE_TTL_SECONDS'), 14 * 86_400, 60, 365 * 86_400),
    completedTtlSeconds: integer(env, name('COMPLETED_TTL_SECONDS'), 86_400, 60, 365 * 86_400),
  };
}

let cached: Config | undefined;

/** The process-wide configuration, validated on first use (each entry point calls it at start-up). */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
