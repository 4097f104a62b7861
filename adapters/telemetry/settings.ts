/**
 * Which telemetry back ends are on, read from the standard OpenTelemetry and Langfuse variables.
 * Only traces are exported (OTLP over HTTP, JSON bodies); metrics and logs are not, and say so in
 * the README. Nothing here imports an SDK: the settings decide whether one is loaded at all.
 */
import { ConfigError, text, type Env } from '../../kernel/env.ts';

export interface TracingSettings {
  /** The full traces URL (`…/v1/traces`). */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
}

export interface LangfuseSettings {
  publicKey: string;
  secretKey: string;
  baseUrl: string;
}

export interface TelemetrySettings {
  tracing: TracingSettings | undefined;
  langfuse: LangfuseSettings | undefined;
}

export const DEFAULT_SERVICE_NAME = 'portico';
export const DEFAULT_LANGFUSE_URL = 'https://cloud.langfuse.com';

function url(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new ConfigError(name, 'must be an http(s) URL');
}

/** `key1=value1,key2=value2`, values URL-encoded, as the OTLP exporter specification writes them. */
export function parseOtlpHeaders(raw: string | undefined, variable = 'OTEL_EXPORTER_OTLP_HEADERS'): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    if (!key) throw new ConfigError(variable, 'must be a list of key=value pairs');
    try {
      headers[key.toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError(variable, `has a badly encoded value for ${key}`);
    }
  }
  return headers;
}

function loadTracing(env: Env): TracingSettings | undefined {
  const exporter = text(env, 'OTEL_TRACES_EXPORTER')?.toLowerCase() ?? 'otlp';
  if (exporter === 'none') return undefined;
  if (exporter !== 'otlp') throw new ConfigError('OTEL_TRACES_EXPORTER', `must be otlp or none, got "${exporter}"`);
  // The signal's own variable wins; an error names whichever one the value came from.
  const protocolVariable = text(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
  const protocol = text(env, protocolVariable);
  // OTLP/HTTP receivers take JSON on the same path as protobuf; gRPC is a different transport.
  if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
    throw new ConfigError(protocolVariable, `must be http/json or http/protobuf (traces are sent as OTLP/HTTP JSON), got "${protocol}"`);
  }
  const signalUrl = url(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseUrl = url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const target = signalUrl ?? (baseUrl === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}/v1/traces`);
  if (target === undefined) return undefined;
  return {
    url: target,
    headers: {
      ...parseOtlpHeaders(text(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
      ...parseOtlpHeaders(text(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'), 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    },
    serviceName: text(env, 'OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
  };
}

function loadLangfuse(env: Env): LangfuseSettings | undefined {
  const publicKey = text(env, 'LANGFUSE_PUBLIC_KEY');
  const secretKey = text(env, 'LANGFUSE_SECRET_KEY');
  if (publicKey === undefined && secretKey === undefined) return undefined;
  if (publicKey === undefined) throw new ConfigError('LANGFUSE_PUBLIC_KEY', 'must be set when LANGFUSE_SECRET_KEY is set');
  if (secretKey === undefined) throw new ConfigError('LANGFUSE_SECRET_KEY', 'must be set when LANGFUSE_PUBLIC_KEY is set');
  return { publicKey, secretKey, baseUrl: url(env, 'LANGFUSE_BASE_URL') ?? url(env, 'LANGFUSE_HOST') ?? DEFAULT_LANGFUSE_URL };
}

export function loadTelemetrySettings(env: Env = process.env): TelemetrySettings {
  return { tracing: loadTracing(env), langfuse: loadLangfuse(env) };
}
