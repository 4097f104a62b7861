/** The metrics route: what this instance recorded since it started (docs/architecture.md section 10). */
import type { Metrics } from '../../domain/metrics.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';

export interface MetricsRoutesDeps {
  metrics: Pick<Metrics, 'snapshot'>;
}

/**
 * GET /api/admin/metrics: per function count, errors and latency percentiles, per job type
 * attempts, retries and dead letters, and every counter and histogram. One instance's view: on
 * Azure and Lambda each instance has its own, and the OTLP exporter holds the aggregate.
 */
export const getMetrics = (deps: MetricsRoutesDeps): PorticoHttpHandler => async () =>
  json(200, await deps.metrics.snapshot(), { 'cache-control': 'no-store' });
