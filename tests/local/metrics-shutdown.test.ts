/**
 * The local host hands what it recorded to the exporter when it stops: the export interval is a
 * minute, so without the flush on shutdown the requests of a short run would never reach the
 * collector. A node:http server stands in for the OTLP/HTTP receiver.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC } from '../../domain/metrics.ts';
import { startLocalHost, type LocalHostProcess } from '../support/local-host-process.ts';

const bodies: string[] = [];
let receiver: Server;
let host: LocalHostProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'portico-metrics-shutdown-'));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  host?.kill();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

it('exports the requests it served when it is stopped, within the export interval', async () => {
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/metrics`;
  host = await startLocalHost({ dataDir, env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL: '3600000' } });
  for (let i = 0; i < 3; i += 1) {
    const response = await fetch(`${host.url}/api/diagnostics/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(response.status).toBe(200);
  }
  expect(bodies).toEqual([]); // an hour's interval: nothing has been sent yet
  expect(await host.stop()).toBe(0);

  const requests = bodies
    .flatMap((body) => (JSON.parse(body) as { resourceMetrics: { scopeMetrics: { metrics: { name: string; sum?: { dataPoints: { attributes: { key: string; value: { stringValue?: string } }[]; asInt?: string | number; asDouble?: number }[] } }[] }[] }[] }).resourceMetrics)
    .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
    .filter((metric) => metric.name === METRIC.httpRequests)
    .flatMap((metric) => metric.sum?.dataPoints ?? [])
    .filter((point) => point.attributes.some((attribute) => attribute.key === 'function' && attribute.value.stringValue === 'diagnostics-echo'));
  expect(requests.map((point) => Number(point.asInt ?? point.asDouble))).toEqual([3]);
});
