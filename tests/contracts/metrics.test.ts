/** The Metrics contract against the memory port, the OpenTelemetry adapter, and the adapter behind the lazy loader the app uses. */
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { lazyMetrics } from '../../adapters/telemetry/lazy-metrics.ts';
import { relativeErrorAt, startMetrics } from '../../adapters/telemetry/metrics.ts';
import { describeMetricsContract } from './metrics.contract.ts';

// 1..200 spans under 8 binary octaves, so 160 buckets keep scale 4: 16 buckets an octave.
const otelError = relativeErrorAt(4);

describeMetricsContract('MemoryMetrics', () => ({ metrics: new MemoryMetrics(), relativeError: 0 }));
describeMetricsContract('OpenTelemetry (no exporter)', () => ({ metrics: startMetrics(undefined), relativeError: otelError }));
describeMetricsContract('OpenTelemetry, loaded lazily', () => ({
  metrics: lazyMetrics(async () => startMetrics(undefined), (error) => {
    throw error;
  }),
  relativeError: otelError,
}));
