/**
 * The metrics port as the composition root hands it out: the OpenTelemetry SDK is imported in
 * the background when the port is first read, so no function's import pays for it. What is
 * recorded before it arrives is kept and replayed; recording never waits and never throws.
 */
import { noMetrics, type Counter, type Histogram, type InstrumentOptions, type Metrics } from '../../domain/metrics.ts';

type Pending = (metrics: Metrics) => void;

/** Replays at most this many recordings made before the SDK loaded; later ones are dropped. */
const MAX_PENDING = 10_000;

export function lazyMetrics(load: () => Promise<Metrics>, onLoadError: (error: unknown) => void): Metrics {
  let loaded: Metrics | undefined;
  let pending: Pending[] = [];
  const ready = load()
    .catch((error: unknown) => {
      // Metrics must never take a function down: without the SDK nothing is recorded.
      onLoadError(error);
      return noMetrics();
    })
    .then((metrics) => {
      loaded = metrics;
      for (const replay of pending) replay(metrics);
      pending = [];
      return metrics;
    });
  const later = (step: Pending) => {
    if (loaded) step(loaded);
    else if (pending.length < MAX_PENDING) pending.push(step);
  };
  return {
    counter: (name: string, options?: InstrumentOptions): Counter => ({
      add: (value, attributes) => later((metrics) => metrics.counter(name, options).add(value, attributes)),
    }),
    histogram: (name: string, options?: InstrumentOptions): Histogram => ({
      record: (value, attributes) => later((metrics) => metrics.histogram(name, options).record(value, attributes)),
    }),
    snapshot: async () => (await ready).snapshot(),
    flush: async () => (await ready).flush(),
  };
}
