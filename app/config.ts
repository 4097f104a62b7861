/**
 * Configuration: read once from the environment, validated, typed and frozen.
 * Names follow the seeds where they exist (CORS_ALLOWED_ORIGINS, ADMIN_USER_IDS, ...).
 * Any invalid value stops start-up with a message naming the variable.
 */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.variable = variable;
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  corsAllowedOrigins: readonly string[];
  adminUserIds: readonly string[];
  logLevel: LogLevel;
  /** Pretty, human logs; defaults to on when stdout is a terminal. */
  logPretty: boolean;
  maxBodyBytes: number;
  healthTimeoutMs: number;
  /** Storage connection (Azurite or Azure); the local host polls queues through it. */
  storageConnection: string | undefined;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

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

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

export function loadConfig(env: Env = process.env, isTty = Boolean(process.stdout.isTTY)): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return Object.freeze({
    port: integer(env, 'PORT', 7071, 0, 65535),
    corsAllowedOrigins: Object.freeze(origins(env, 'CORS_ALLOWED_ORIGINS')),
    adminUserIds: Object.freeze(list(env, 'ADMIN_USER_IDS')),
    logLevel,
    logPretty: boolean(env, 'LOG_PRETTY', isTty),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1024 * 1024, 1, 100 * 1024 * 1024),
    healthTimeoutMs: integer(env, 'HEALTH_TIMEOUT_MS', 2000, 1, 60000),
    storageConnection: env.AzureWebJobsStorage?.trim() || undefined,
  });
}

let cached: Config | undefined;

/** The process-wide configuration, validated on first use (each entry point calls it at start-up). */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
