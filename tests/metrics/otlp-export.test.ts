/**
 * The metrics exporter against a local OTLP/HTTP receiver (a node:http server standing in for
 * the collector): what the app records arrives as OTLP JSON with its names, attributes and
 * values when an endpoint is configured, and nothing is sent otherwise. Every export is forced
 * with flush(); the periodic interval is a minute, so nothing here waits for a timer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { MemoryMessageQueue } from '../../adapters/memory/message-queue.ts';
import { startMetrics } from '../../adapters/telemetry/metrics.ts';
import { loadTelemetrySettings } from '../../adapters/telemetry/settings.ts';
import { createApp } from '../../app/app.ts';
import { METRIC, type MetricsSnapshot } from '../../domain/metrics.ts';
import diagnostics from '../../handlers/diagnostics/index.ts';
import operations from '../../handlers/operations/index.ts';
import { getMetrics } from '../../handlers/operations/functions.ts';
import { ConfigError } from '../../kernel/env.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { compileSchema } from '../../middleware/validation.ts';
import { TEST_JWT_SECRET } from '../support/app.ts';
import { startCollector, type Collector, type Received } from '../support/collector.ts';
import { captureLogger, httpEvent, lambdaContext } from '../support/platform.ts';

type Attribute = { key: string; value: { stringValue?: string; intValue?: number | string; doubleValue?: number } };
type NumberPoint = { attributes: Attribute[]; asInt?: number | string; asDouble?: number };
type HistogramPoint = { attributes: Attribute[]; count: number | string; sum?: number; min?: number; max?: number };
type OtlpMetric = { name: string; unit?: string; sum?: { dataPoints: NumberPoint[]; isMonotonic?: boolean }; histogram?: { dataPoints: HistogramPoint[] } };
type OtlpExport = { resourceMetrics: { resource: { attributes: Attribute[] }; scopeMetrics: { metrics: OtlpMetric[] }[] }[] };

const attributesOf = (attributes: Attribute[]) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, value.stringValue ?? (value.intValue === undefined ? value.doubleValue : Number(value.intValue))]));

/** Every metric of every export, by name; the last export wins (points are cumulative). */
function metricsIn(received: Received[]): Map<string, OtlpMetric> {
  const metrics = new Map<string, OtlpMetric>();
  for (const request of received) {
    const body = JSON.parse(request.body) as OtlpExport;
    for (const metric of body.resourceMetrics.flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))) metrics.set(metric.name, metric);
  }
  return metrics;
}

const sumPoints = (metric: OtlpMetric | undefined) => (metric?.sum?.dataPoints ?? []).map((point) => ({ attributes: attributesOf(point.attributes), value: Number(point.asInt ?? point.asDouble) }));

describe('metrics over OTLP/HTTP', () => {
  let receiver: Collector;
  beforeAll(async () => {
    receiver = await startCollector();
  });
  afterAll(() => receiver.close());

  it('sends counters and histograms with their attributes to <endpoint>/v1/metrics, with the service name and headers', async () => {
    receiver.received.length = 0;
    const settings = loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/otlp/`, OTEL_SERVICE_NAME: 'metrics-test', OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=blue%20team' });
    const metrics = startMetrics(settings.metrics);
    try {
      const tokens = metrics.counter('portico.ai.tokens', { unit: '{token}' });
      tokens.add(120, { task: 'wardrobe.chat', type: 'input' });
      tokens.add(30, { task: 'wardrobe.chat', type: 'output' });
      tokens.add(5, { task: 'wardrobe.chat', type: 'output' });
      const duration = metrics.histogram('wardrobe.diagnose.duration', { unit: 'ms' });
      for (const ms of [10, 20, 30]) duration.record(ms, { outcome: 'ok' });
      await metrics.flush();
    } finally {
      await metrics.shutdown();
    }

    expect(receiver.received.length).toBeGreaterThan(0);
    expect(receiver.received.every((request) => request.path === '/otlp/v1/metrics')).toBe(true);
    expect(receiver.received[0]?.headers).toMatchObject({ 'x-tenant': 'blue team', 'content-type': 'application/json' });
    const body = JSON.parse(receiver.received[0]!.body) as OtlpExport;
    expect(attributesOf(body.resourceMetrics[0]!.resource.attributes)).toMatchObject({ 'service.name': 'metrics-test' });

    const exported = metricsIn(receiver.received);
    expect(exported.get('portico.ai.tokens')).toMatchObject({ unit: '{token}', sum: { isMonotonic: true } });
    expect(sumPoints(exported.get('portico.ai.tokens'))).toEqual(
      expect.arrayContaining([
        { attributes: { task: 'wardrobe.chat', type: 'input' }, value: 120 },
        { attributes: { task: 'wardrobe.chat', type: 'output' }, value: 35 },
      ]),
    );
    const histogram = exported.get('wardrobe.diagnose.duration')?.histogram?.dataPoints ?? [];
    expect(histogram).toHaveLength(1);
    expect(attributesOf(histogram[0]!.attributes)).toEqual({ outcome: 'ok' });
    expect(histogram[0]).toMatchObject({ sum: 60, min: 10, max: 30 });
    expect(Number(histogram[0]!.count)).toBe(3);
  });

  it("exports what the app's HTTP stack records, per function, when the endpoint is set for the app, and the admin route shows it", async () => {
    receiver.received.length = 0;
    const { logger } = captureLogger();
    const app = createApp({
      services: [diagnostics, operations],
      env: { LOG_LEVEL: 'silent', RATE_LIMITING_ENABLED: 'false', JWT_SECRET: TEST_JWT_SECRET, ADMIN_USER_IDS: 'portico|ops', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/custom/metrics` },
      ports: { logger, documents: new MemoryDocumentStore(), queue: new MemoryMessageQueue(), blobs: new MemoryBlobStore(), dependencyChecks: {} },
    });
    const echo = (await app.bind(app.find('diagnostics-echo')!)) as HttpLambda;
    const call = (body: string) =>
      echo(httpEvent({ method: 'POST', path: '/api/diagnostics/echo', routeKey: 'POST /diagnostics/echo', headers: { 'content-type': 'application/json' }, body }), lambdaContext('diagnostics-echo'));
    expect((await call(JSON.stringify({ message: 'hello' }))).statusCode).toBe(200);
    expect((await call('{not json')).statusCode).toBe(400);
    await app.ports.metrics.flush();

    expect(receiver.received.length).toBeGreaterThan(0);
    expect(receiver.received.every((request) => request.path === '/custom/metrics')).toBe(true);
    const exported = metricsIn(receiver.received);
    expect(sumPoints(exported.get(METRIC.httpRequests))).toEqual([{ attributes: { function: 'diagnostics-echo' }, value: 2 }]);
    expect(sumPoints(exported.get(METRIC.httpErrors))).toEqual([{ attributes: { function: 'diagnostics-echo', class: '4xx' }, value: 1 }]);
    expect(Number(exported.get(METRIC.httpDuration)?.histogram?.dataPoints[0]?.count)).toBe(2);
    // The same figures in the instance's own view, read through the admin route on the real port.
    const route = (await app.bind(app.find('admin-metrics')!)) as HttpLambda;
    const { accessToken } = await app.ports.auth.tokens.issueAccessToken({ userId: 'ops' });
    const answer = await route(httpEvent({ method: 'GET', path: '/api/admin/metrics', routeKey: 'GET /admin/metrics', headers: { authorization: `Bearer ${accessToken}` } }), lambdaContext('admin-metrics'));
    expect(answer.statusCode).toBe(200);
    const snapshot = JSON.parse(answer.body ?? '') as MetricsSnapshot;
    expect(compileSchema(getMetrics.trigger.responses[200]!.schema!)(snapshot)).toBe(true);
    expect(snapshot.exporting).toBe(true);
    expect(snapshot.percentiles).toMatch(/exponential histograms/);
    expect(snapshot.functions['diagnostics-echo']).toMatchObject({ count: 2, errors: 1, clientErrors: 1, serverErrors: 0 });
  });

  it('sends nothing without an endpoint', async () => {
    receiver.received.length = 0;
    expect(loadTelemetrySettings({}).metrics).toBeUndefined();
    const metrics = startMetrics(loadTelemetrySettings({}).metrics);
    metrics.counter('portico.http.requests').add(1, { function: 'x' });
    await metrics.flush();
    expect((await metrics.snapshot()).exporting).toBe(false);
    await metrics.shutdown();
    expect(receiver.received).toEqual([]);
  });
});

describe('metrics export settings', () => {
  it('is off without an endpoint or with OTEL_METRICS_EXPORTER=none, and prefers the metrics endpoint and headers', () => {
    expect(loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRICS_EXPORTER: 'none' }).metrics).toBeUndefined();
    expect(loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).metrics).toEqual({ url: 'http://c:4318/v1/metrics', headers: {}, serviceName: 'portico', intervalMs: 60_000 });
    expect(
      loadTelemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:4318/custom',
        OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'b=3',
        OTEL_METRIC_EXPORT_INTERVAL: '5000',
        OTEL_SERVICE_NAME: 'svc',
      }).metrics,
    ).toEqual({ url: 'http://m:4318/custom', headers: { a: '1', b: '3' }, serviceName: 'svc', intervalMs: 5000 });
    // Traces may be off while metrics are on.
    const split = loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' });
    expect(split.tracing).toBeUndefined();
    expect(split.metrics?.url).toBe('http://c:4318/v1/metrics');
  });

  it('refuses what it cannot send, naming the variable', () => {
    for (const [env, variable] of [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRICS_EXPORTER: 'prometheus' }, 'OTEL_METRICS_EXPORTER'],
      [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'c:4318' }, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'],
      [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'],
      [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318', OTEL_METRIC_EXPORT_INTERVAL: 'soon' }, 'OTEL_METRIC_EXPORT_INTERVAL'],
      [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318', OTEL_METRIC_EXPORT_INTERVAL: '10' }, 'OTEL_METRIC_EXPORT_INTERVAL'],
    ] as const) {
      expect(() => loadTelemetrySettings(env)).toThrow(ConfigError);
      expect(() => loadTelemetrySettings(env)).toThrow(variable);
    }
  });
});
