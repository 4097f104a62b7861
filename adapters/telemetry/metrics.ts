/**
 * The metrics port on OpenTelemetry: instruments from a private MeterProvider (not registered
 * globally, like tracing.ts), read two ways. An in-process reader aggregates histograms as
 * base-2 exponential histograms, from which the admin view estimates nearest-rank percentiles;
 * when an OTLP endpoint is configured a periodic reader also sends everything over OTLP/HTTP
 * (JSON), the aggregate across instances. Imported on first use (app/ports.ts).
 */
import type { Attributes } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  DataPointType,
  InstrumentType,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type ExponentialHistogram,
} from '@opentelemetry/sdk-metrics';
import {
  isRecordable,
  platformViews,
  type Counter,
  type CounterView,
  type Histogram,
  type HistogramView,
  type InstrumentOptions,
  type Metrics,
  type MetricsSnapshot,
  type Percentiles,
} from '../../domain/metrics.ts';
import { DEFAULT_SERVICE_NAME, type MetricsExportSettings } from './settings.ts';

/** Buckets per histogram series: the SDK's default, about 4% resolution over 5 decades. */
const MAX_BUCKETS = 160;

/** Collects on demand for the admin view; cumulative since the provider started. */
class InProcessReader extends MetricReader {
  constructor() {
    super({
      aggregationSelector: (type) =>
        type === InstrumentType.HISTOGRAM
          ? { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: MAX_BUCKETS, recordMinMax: true } }
          : { type: AggregationType.DEFAULT },
    });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The lower bound of bucket `index` at `scale`: 2^(index / 2^scale), computed without a rounding-prone power of the base. */
const boundOf = (index: number, scale: number) => 2 ** (index / 2 ** scale);

/** Half a bucket's width relative to its lower bound: how far a bucket's midpoint can be from a value in it. */
export const relativeErrorAt = (scale: number) => (2 ** (2 ** -scale) - 1) / 2;

/**
 * The nearest-rank percentile of an exponential histogram: the bucket holding the rank-th
 * smallest value, as its midpoint, kept within the recorded min and max (so a series of one
 * value, or the top rank, is exact).
 */
export function exponentialPercentile(histogram: ExponentialHistogram, p: number): number {
  if (histogram.count === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * histogram.count));
  const min = histogram.min ?? 0;
  const max = histogram.max ?? Number.POSITIVE_INFINITY;
  // The port records no negative values, so the zero bucket comes first.
  let seen = histogram.zeroCount;
  if (rank <= seen) return 0;
  const { offset, bucketCounts } = histogram.positive;
  for (let i = 0; i < bucketCounts.length; i++) {
    seen += bucketCounts[i]!;
    if (seen >= rank) {
      const middle = (boundOf(offset + i, histogram.scale) + boundOf(offset + i + 1, histogram.scale)) / 2;
      return Math.min(max, Math.max(min, middle));
    }
  }
  return histogram.max ?? 0;
}

const round = (value: number) => Math.round(value * 100) / 100;

function percentilesOf(histogram: ExponentialHistogram): Percentiles {
  const at = (p: number) => round(exponentialPercentile(histogram, p));
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99) };
}

const plain = (attributes: Attributes) => attributes as Record<string, string | number | boolean>;

export interface OtelMetrics extends Metrics {
  shutdown(): Promise<void>;
}

export function startMetrics(exporting: MetricsExportSettings | undefined, onExportError: (message: string) => void = () => undefined): OtelMetrics {
  const local = new InProcessReader();
  const readers: MetricReader[] = [local];
  if (exporting) {
    const exporter = new OTLPMetricExporter({ url: exporting.url, headers: exporting.headers });
    readers.push(
      new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: exporting.intervalMs, exportTimeoutMillis: Math.min(10_000, exporting.intervalMs) }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': exporting?.serviceName ?? DEFAULT_SERVICE_NAME }),
    readers,
  });
  const meter = provider.getMeter('portico');
  const since = new Date().toISOString();
  // One instrument per name: the SDK warns about (and keeps apart) a name registered twice.
  const counters = new Map<string, Counter>();
  const histograms = new Map<string, Histogram>();

  return {
    counter(name: string, options: InstrumentOptions = {}): Counter {
      let counter = counters.get(name);
      if (!counter) {
        const instrument = meter.createCounter(name, options);
        counter = {
          add: (value = 1, attributes = {}) => {
            // The SDK drops negative values but would add a NaN: check here, as the port promises.
            if (isRecordable(value)) instrument.add(value, attributes);
          },
        };
        counters.set(name, counter);
      }
      return counter;
    },
    histogram(name: string, options: InstrumentOptions = {}): Histogram {
      let histogram = histograms.get(name);
      if (!histogram) {
        const instrument = meter.createHistogram(name, options);
        histogram = {
          record: (value, attributes = {}) => {
            if (isRecordable(value)) instrument.record(value, attributes);
          },
        };
        histograms.set(name, histogram);
      }
      return histogram;
    },
    async snapshot(): Promise<MetricsSnapshot> {
      const { resourceMetrics } = await local.collect();
      const counterViews: CounterView[] = [];
      const histogramViews: HistogramView[] = [];
      let coarsest = Number.POSITIVE_INFINITY;
      for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
        const { name, unit, description } = metric.descriptor;
        if (metric.dataPointType === DataPointType.SUM) {
          counterViews.push({ name, unit, description, points: metric.dataPoints.map((point) => ({ attributes: plain(point.attributes), value: point.value })) });
        } else if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
          const points = metric.dataPoints.map(({ attributes, value }) => {
            coarsest = Math.min(coarsest, value.scale);
            return { attributes: plain(attributes), count: value.count, sum: value.sum ?? 0, min: value.min ?? 0, max: value.max ?? 0, ...percentilesOf(value) };
          });
          histogramViews.push({ name, unit, description, points });
        }
      }
      counterViews.sort((a, b) => a.name.localeCompare(b.name));
      histogramViews.sort((a, b) => a.name.localeCompare(b.name));
      const error = Number.isFinite(coarsest) ? `, each within ${Math.max(0.01, round(relativeErrorAt(coarsest) * 100))}% of the exact value` : '';
      return {
        since,
        at: new Date().toISOString(),
        exporting: exporting !== undefined,
        percentiles: `nearest rank, estimated from base-2 exponential histograms (${MAX_BUCKETS} buckets)${error}`,
        ...platformViews(counterViews, histogramViews),
        counters: counterViews,
        histograms: histogramViews,
      };
    },
    async flush(): Promise<void> {
      try {
        await provider.forceFlush();
      } catch {
        // Metrics never fail the caller; the receiver being down is worth a line, not an error.
        onExportError('metrics export failed');
      }
    },
    shutdown: () => provider.shutdown(),
  };
}
