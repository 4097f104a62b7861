/**
 * The local host hands what it recorded to the exporter when it stops: the export interval is a
 * minute, so without the flush on shutdown the requests of a short run would never reach the
 * collector. tests/support/collector.ts stands in for the OTLP/HTTP receiver.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC } from '../../domain/metrics.ts';
import { startCollector, type Collector } from '../support/collector.ts';
import { startLocalHost, type LocalHostProcess } from '../support/local-host-process.ts';

let collector: Collector;
let host: LocalHostProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'portico-metrics-shutdown-'));

beforeAll(async () => {
  collector = await startCollector();
});

afterAll(async () => {
  host?.kill();
  await collector.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('exports the requests it served when it is stopped, within the export interval', async () => {
  const endpoint = `${collector.url}/v1/metrics`;
  host = await startLocalHost({ dataDir, env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL: '3600000' } });
  for (let i = 0; i < 3; i += 1) {
    const response = await fetch(`${host.url}/api/diagnostics/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(response.status).toBe(200);
  }
  expect(collector.received).toEqual([]); // an hour's interval: nothing has been sent yet
  expect(await host.stop()).toBe(0);

  const requests = collector.received
    .flatMap(({ body }) => (JSON.parse(body) as { resourceMetrics: { scopeMetrics: { metrics: { name: string; sum?: { dataPoints: { attributes: { key: string; value: { stringValue?: string } }[]; asInt?: string | number; asDouble?: number }[] } }[] }[] }[] }).resourceMetrics)
    .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
    .filter((metric) => metric.name === METRIC.httpRequests)
    .flatMap((metric) => metric.sum?.dataPoints ?? [])
    .filter((point) => point.attributes.some((attribute) => attribute.key === 'function' && attribute.value.stringValue === 'diagnostics-echo'));
  expect(requests.map((point) => Number(point.asInt ?? point.asDouble))).toEqual([3]);
});
