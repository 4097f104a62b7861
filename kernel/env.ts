/**
 * Reading settings from the environment: every module that has settings parses them with these,
 * so every bad value stops start-up the same way, with a ConfigError naming the variable.
 */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.variable = variable;
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** The trimmed value, or undefined when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** One of `options` (case-insensitive), or `fallback` when unset. */
export function choice<T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T {
  const value = text(env, name)?.toLowerCase() ?? fallback;
  if (!options.includes(value as T)) throw new ConfigError(name, `must be one of ${options.join(', ')}, got "${value}"`);
  return value as T;
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** An http(s) URL as written, or undefined when unset (for SDK base URLs, which may be plain http on a private network). */
export function httpUrl(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(name, 'must be an http(s) URL');
  return value;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * An upstream's URL: https, or plain http only to this machine (a local fake in tests), and
 * never with credentials in it (they belong in their own variable). `fallback` when unset.
 */
export function serviceUrl(env: Env, name: string, fallback?: string): URL | undefined {
  const raw = text(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname))) throw new ConfigError(name, 'must be an https URL (plain http only to a loopback host)');
  if (url.username || url.password) throw new ConfigError(name, 'may not carry credentials');
  return url;
}
