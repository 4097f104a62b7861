/**
 * Configuration: read once from the environment, validated, typed and frozen.
 * Names follow the seeds where they exist (CORS_ALLOWED_ORIGINS, ADMIN_USER_IDS, ...).
 * Any invalid value stops start-up with a message naming the variable.
 */
import type { JobSettings } from '../domain/jobs.ts';
import { boolean, ConfigError, integer, list, type Env } from './env.ts';

export { ConfigError };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

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
}

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
  });
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
