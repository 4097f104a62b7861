/**
 * Which telemetry back ends are on, read from the standard OpenTelemetry and Langfuse variables.
 * Traces and metrics are exported (OTLP over HTTP, JSON bodies); logs are not, and the README
 * says so. Nothing here imports an SDK: the settings decide whether one is loaded at all.
 */
import { ConfigError, integer, text, type Env } from '../../kernel/env.ts';

export interface TracingSettings {
  /** The full traces URL (`…/v1/traces`). */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
}

export interface MetricsExportSettings {
  /** The full metrics URL (`…/v1/metrics`). */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  /** How often what is recorded is sent (OTEL_METRIC_EXPORT_INTERVAL). */
  intervalMs: number;
}

export interface LangfuseSettings {
  publicKey: string;
  secretKey: string;
  baseUrl: string;
}

export interface TelemetrySettings {
  tracing: TracingSettings | undefined;
  /** Absent: metrics are kept in this instance only (GET /api/admin/metrics) and sent nowhere. */
  metrics: MetricsExportSettings | undefined;
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

/** The OTLP target of one signal: its own endpoint variable, or the shared one plus `/v1/<signal>`. */
function otlpTarget(env: Env, signal: 'TRACES' | 'METRICS'): { url: string; headers: Record<string, string> } | undefined {
  const protocolVariable = text(env, `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`;
  const protocol = text(env, protocolVariable);
  // OTLP/HTTP receivers take JSON on the same path as protobuf; gRPC is a different transport.
  if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
    throw new ConfigError(protocolVariable, `must be http/json or http/protobuf (Portico sends OTLP/HTTP JSON), got "${protocol}"`);
  }
  const signalUrl = url(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`);
  const baseUrl = url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const target = signalUrl ?? (baseUrl === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}/v1/${signal.toLowerCase()}`);
  if (target === undefined) return undefined;
  const signalHeaders = `OTEL_EXPORTER_OTLP_${signal}_HEADERS`;
  return { url: target, headers: { ...parseOtlpHeaders(text(env, 'OTEL_EXPORTER_OTLP_HEADERS')), ...parseOtlpHeaders(text(env, signalHeaders), signalHeaders) } };
}

/** Read on its own by the metrics port, so a bad Langfuse or trace setting cannot stop metrics (app.validate reads them all). */
export function loadMetricsExport(env: Env): MetricsExportSettings | undefined {
  const exporter = text(env, 'OTEL_METRICS_EXPORTER')?.toLowerCase() ?? 'otlp';
  if (exporter === 'none') return undefined;
  if (exporter !== 'otlp') throw new ConfigError('OTEL_METRICS_EXPORTER', `must be otlp or none, got "${exporter}"`);
  const target = otlpTarget(env, 'METRICS');
  if (target === undefined) return undefined;
  // The specification's default is 60 s; a serverless instance may freeze long before that.
  const intervalMs = integer(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1_000, 24 * 3600 * 1000);
  return { ...target, serviceName: text(env, 'OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME, intervalMs };
}

export function loadTelemetrySettings(env: Env = process.env): TelemetrySettings {
  return { tracing: loadTracing(env), metrics: loadMetricsExport(env), langfuse: loadLangfuse(env) };
}
