/**
 * The metrics port as the composition root hands it out. The OpenTelemetry SDK is imported in
 * the background, on a later task than the first recording: recordings happen as an answer is
 * given, so the first (cold) answer is sent before the SDK is parsed, and no function's import
 * or first call pays for it (bench/cold-start.ts measured echo's first call at 1.7x the baseline
 * when the import began with the port). A snapshot or flush starts it at once. What is recorded
 * before it arrives is kept and replayed; recording never waits and never throws.
 */
import { noMetrics, type Counter, type Histogram, type InstrumentOptions, type Metrics } from '../../domain/metrics.ts';

type Pending = (metrics: Metrics) => void;

/** Replays at most this many recordings made before the SDK loaded; later ones are dropped. */
const MAX_PENDING = 10_000;

/** SDK loads scheduled and not yet finished, by every port this module made. */
const inFlight = new Set<Promise<unknown>>();

/**
 * Resolves once every SDK load scheduled so far has finished (a failed load counts as finished).
 * Whatever is about to end the process's module graph awaits it, so an import is not cut off half
 * way: Jest tearing down a test file's modules is one such end (tests/support/settle-background.ts).
 */
export async function metricsLoaded(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

export function lazyMetrics(load: () => Promise<Metrics>, onLoadError: (error: unknown) => void): Metrics {
  let loaded: Metrics | undefined;
  let pending: Pending[] = [];
  let ready: Promise<Metrics> | undefined;
  let scheduled = false;
  const start = (): Promise<Metrics> =>
    (ready ??= load()
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
      }));
  const later = (step: Pending) => {
    if (loaded) return step(loaded);
    if (pending.length < MAX_PENDING) pending.push(step);
    if (!scheduled) {
      scheduled = true;
      const loading = new Promise((resolve) => setTimeout(resolve, 0)).then(start);
      inFlight.add(loading);
      void loading.finally(() => inFlight.delete(loading));
    }
  };
  return {
    counter: (name: string, options?: InstrumentOptions): Counter => ({
      add: (value, attributes) => later((metrics) => metrics.counter(name, options).add(value, attributes)),
    }),
    histogram: (name: string, options?: InstrumentOptions): Histogram => ({
      record: (value, attributes) => later((metrics) => metrics.histogram(name, options).record(value, attributes)),
    }),
    snapshot: async () => (await start()).snapshot(),
    flush: async () => (await start()).flush(),
  };
}
