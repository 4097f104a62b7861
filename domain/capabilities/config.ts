/**
 * plugins.yaml, checked: every key known, every value of its type, or a ConfigProblem naming
 * the exact key (`plugins.image-compress.max_file_size`) so a bad file stops the start-up with a
 * message a deployer can act on. Pure: the file is read and parsed by adapters/capabilities.
 */
import type { PluginConfig } from './plugin.ts';

export interface PluginsConfig {
  plugins: Readonly<Record<string, PluginConfig>>;
}

export class PluginsConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.name = 'PluginsConfigError';
    this.key = key;
  }
}

const ENTRY_KEYS = new Set(['enabled', 'max_file_size', 'supported_formats', 'options']);
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FORMAT = /^[a-z0-9]{2,5}$/;
/** 2 GiB: a file past this is not "processed by a function" on any cloud. */
export const MAX_FILE_SIZE_CEILING = 2 ** 31;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function entry(name: string, raw: unknown): PluginConfig {
  const at = `plugins.${name}`;
  if (!NAME.test(name)) throw new PluginsConfigError(at, 'a plugin name is lower-case words joined by dashes');
  if (!isRecord(raw)) throw new PluginsConfigError(at, 'must be a mapping with enabled, max_file_size, supported_formats and options');
  for (const key of Object.keys(raw)) if (!ENTRY_KEYS.has(key)) throw new PluginsConfigError(`${at}.${key}`, `is not a known key (known: ${[...ENTRY_KEYS].join(', ')})`);
  const enabled = raw.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new PluginsConfigError(`${at}.enabled`, `must be true or false, got ${JSON.stringify(enabled)}`);
  const size = raw.max_file_size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1 || size > MAX_FILE_SIZE_CEILING) {
    throw new PluginsConfigError(`${at}.max_file_size`, `must be a whole number of bytes from 1 to ${MAX_FILE_SIZE_CEILING}, got ${JSON.stringify(size)}`);
  }
  const formats = raw.supported_formats ?? [];
  if (!Array.isArray(formats) || !formats.every((format) => typeof format === 'string' && FORMAT.test(format))) {
    throw new PluginsConfigError(`${at}.supported_formats`, 'must be a list of file extensions (jpg, png, pdf, mp4, ...)');
  }
  const options = raw.options ?? {};
  if (!isRecord(options)) throw new PluginsConfigError(`${at}.options`, 'must be a mapping');
  return Object.freeze({ enabled, max_file_size: size, supported_formats: Object.freeze([...(formats as string[])]), options: Object.freeze({ ...options }) });
}

/** Checks a parsed plugins.yaml (that each name has a module is checked by loading it, at start-up). */
export function checkPluginsConfig(raw: unknown): PluginsConfig {
  if (!isRecord(raw)) throw new PluginsConfigError('(root)', 'must be a mapping with one key, plugins');
  for (const key of Object.keys(raw)) if (key !== 'plugins') throw new PluginsConfigError(key, 'is not a known key (the file has one key, plugins)');
  if (!isRecord(raw.plugins)) throw new PluginsConfigError('plugins', 'must be a mapping of plugin name to its settings');
  const plugins: Record<string, PluginConfig> = {};
  for (const [name, value] of Object.entries(raw.plugins)) {
    plugins[name] = entry(name, value);
  }
  return Object.freeze({ plugins: Object.freeze(plugins) });
}

/** A plugin's number option, or its default; a wrong type is a ConfigError at start-up, not a surprise later. */
export function numberOption(config: PluginConfig, key: string, fallback: number): number {
  const value = config.options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PluginsConfigError(`options.${key}`, `must be a number, got ${JSON.stringify(value)}`);
  return value;
}

export function stringOption(config: PluginConfig, key: string, fallback: string): string {
  const value = config.options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new PluginsConfigError(`options.${key}`, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}
