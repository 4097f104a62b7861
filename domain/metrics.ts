/**
 * The metrics port: counters and histograms with attributes, recorded by the HTTP stack, the job
 * runtime, model calls and any service that wants its own (`wardrobe.diagnose.duration`), and an
 * in-process view of what this instance recorded since it started (`GET /api/admin/metrics`).
 * The adapter (adapters/telemetry/metrics.ts) aggregates with the OpenTelemetry SDK and exports
 * over OTLP/HTTP when an endpoint is configured; adapters/memory/metrics.ts keeps every
 * observation, for unit tests. Recording never throws and never waits.
 */

/** Attribute values: keep them few and bounded (a function name, a status class), never ids or user input. */
export type MetricAttributes = Readonly<Record<string, string | number | boolean>>;

export interface InstrumentOptions {
  description?: string;
  /** UCUM-style unit: `ms`, `{request}`, `{token}`. */
  unit?: string;
}

export interface Counter {
  /** Adds a non-negative amount (1 when omitted). */
  add(value?: number, attributes?: MetricAttributes): void;
}

export interface Histogram {
  /** Records one non-negative observation (a latency in ms, a size). */
  record(value: number, attributes?: MetricAttributes): void;
}

/** Percentiles of a histogram, nearest-rank, in the histogram's unit. */
export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface CounterPoint {
  attributes: Record<string, string | number | boolean>;
  value: number;
}

export interface HistogramPoint extends Percentiles {
  attributes: Record<string, string | number | boolean>;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface CounterView {
  name: string;
  unit: string;
  description: string;
  points: CounterPoint[];
}

export interface HistogramView {
  name: string;
  unit: string;
  description: string;
  points: HistogramPoint[];
}

/** One HTTP function as this instance saw it: requests, errors by class, latency percentiles (ms). */
export interface FunctionView extends Percentiles {
  count: number;
  /** 4xx and 5xx answers together. */
  errors: number;
  clientErrors: number;
  serverErrors: number;
}

/** One job type as this instance's workers saw it; percentiles are of the run time (ms). */
export interface JobView extends Percentiles {
  attempts: number;
  completed: number;
  retries: number;
  deadLetters: number;
}

export interface MetricsSnapshot {
  /** When this instance started recording: every figure is cumulative since then. */
  since: string;
  at: string;
  /** Whether an OTLP exporter is configured (the aggregate across instances lives there). */
  exporting: boolean;
  /** How percentiles are estimated, and how far they may be off. */
  percentiles: string;
  functions: Record<string, FunctionView>;
  jobs: Record<string, JobView>;
  counters: CounterView[];
  histograms: HistogramView[];
}

export interface Metrics {
  counter(name: string, options?: InstrumentOptions): Counter;
  histogram(name: string, options?: InstrumentOptions): Histogram;
  /** What this instance recorded since it started. */
  snapshot(): Promise<MetricsSnapshot>;
  /** Exports what is recorded now, when an exporter is configured; resolves (never rejects) when done. */
  flush(): Promise<void>;
}

/** Names the platform records under (docs/architecture.md section 10). */
export const METRIC = {
  /** Attributes: `function`. */
  httpRequests: 'portico.http.requests',
  /** Attributes: `function`, `class` (`4xx` or `5xx`). */
  httpErrors: 'portico.http.errors',
  /** Attributes: `function`; ms to the answer (to the first byte of a stream). */
  httpDuration: 'portico.http.duration',
  /** Attributes: `job` (the job type) on every job metric. */
  jobAttempts: 'portico.jobs.attempts',
  jobCompleted: 'portico.jobs.completed',
  jobRetries: 'portico.jobs.retries',
  /** Also `reason` (the dead letter's reason). */
  jobDeadLetters: 'portico.jobs.dead_letters',
  /** ms the job's code ran, whatever its outcome. */
  jobDuration: 'portico.jobs.duration',
  /** Attributes: `task`, `provider`, `outcome`. */
  aiCalls: 'portico.ai.calls',
  /** Attributes: `task`, `provider`, `type` (`input` or `output`). */
  aiTokens: 'portico.ai.tokens',
  /** Attributes: `task`, `provider`; ms per call. */
  aiDuration: 'portico.ai.duration',
} as const;

/** What a counter or histogram accepts: a finite, non-negative number (anything else is dropped). */
export const isRecordable = (value: number): boolean => Number.isFinite(value) && value >= 0;

/** `2xx`, `4xx`, ... for a status code. */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

/** The nearest-rank percentile of sorted values: the smallest value with at least p% of them at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function percentilesOf(sorted: readonly number[]): Percentiles {
  return { p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99) };
}

const NO_PERCENTILES: Percentiles = { p50: 0, p90: 0, p95: 0, p99: 0 };

const pointsOf = <P extends { attributes: Record<string, unknown> }>(views: readonly { name: string; points: P[] }[], name: string) =>
  views.find((view) => view.name === name)?.points ?? [];

/** Sums a counter's points by one attribute (`function`, `job`), optionally only where `where` matches. */
function sumBy(counters: readonly CounterView[], name: string, key: string, where: Record<string, string> = {}): Map<string, number> {
  const sums = new Map<string, number>();
  for (const point of pointsOf(counters, name)) {
    const group = point.attributes[key];
    if (group === undefined || Object.entries(where).some(([k, v]) => point.attributes[k] !== v)) continue;
    sums.set(String(group), (sums.get(String(group)) ?? 0) + point.value);
  }
  return sums;
}

/** The per-function and per-job views, read from the platform's own counters and histograms. */
export function platformViews(counters: readonly CounterView[], histograms: readonly HistogramView[]): Pick<MetricsSnapshot, 'functions' | 'jobs'> {
  const requests = sumBy(counters, METRIC.httpRequests, 'function');
  const clientErrors = sumBy(counters, METRIC.httpErrors, 'function', { class: '4xx' });
  const serverErrors = sumBy(counters, METRIC.httpErrors, 'function', { class: '5xx' });
  const latency = new Map(pointsOf(histograms, METRIC.httpDuration).map((point) => [String(point.attributes.function), point]));
  const functions: Record<string, FunctionView> = {};
  for (const [name, count] of requests) {
    const client = clientErrors.get(name) ?? 0;
    const server = serverErrors.get(name) ?? 0;
    const { p50, p90, p95, p99 } = latency.get(name) ?? NO_PERCENTILES;
    functions[name] = { count, errors: client + server, clientErrors: client, serverErrors: server, p50, p90, p95, p99 };
  }
  const attempts = sumBy(counters, METRIC.jobAttempts, 'job');
  const completed = sumBy(counters, METRIC.jobCompleted, 'job');
  const retries = sumBy(counters, METRIC.jobRetries, 'job');
  const deadLetters = sumBy(counters, METRIC.jobDeadLetters, 'job');
  const durations = new Map(pointsOf(histograms, METRIC.jobDuration).map((point) => [String(point.attributes.job), point]));
  const jobs: Record<string, JobView> = {};
  for (const job of new Set([...attempts.keys(), ...deadLetters.keys()])) {
    const { p50, p90, p95, p99 } = durations.get(job) ?? NO_PERCENTILES;
    jobs[job] = { attempts: attempts.get(job) ?? 0, completed: completed.get(job) ?? 0, retries: retries.get(job) ?? 0, deadLetters: deadLetters.get(job) ?? 0, p50, p90, p95, p99 };
  }
  return { functions, jobs };
}

/** A port that records nothing and shows an empty view: for unit tests that do not look at metrics. */
export function noMetrics(): Metrics {
  const since = new Date().toISOString();
  return {
    counter: () => ({ add: () => undefined }),
    histogram: () => ({ record: () => undefined }),
    snapshot: async () => ({ since, at: new Date().toISOString(), exporting: false, percentiles: 'none recorded', functions: {}, jobs: {}, counters: [], histograms: [] }),
    flush: async () => undefined,
  };
}
