/**
 * The Metrics contract (domain/metrics.ts), run against the memory port and the OpenTelemetry
 * adapter by tests/contracts/metrics.test.ts. Percentiles are nearest rank: exact in memory,
 * estimated from exponential histogram buckets by the adapter, so each implementation states
 * how far off it may be (`relativeError`) and the suite holds it to that.
 */
import { describe, expect, it } from '@jest/globals';
import { METRIC, percentilesOf, type Metrics } from '../../domain/metrics.ts';

export interface MetricsContractEnv {
  metrics: Metrics;
  /** How far a percentile may be from the exact nearest-rank value, as a fraction of it. */
  relativeError: number;
}

export function describeMetricsContract(label: string, setup: () => MetricsContractEnv): void {
  describe(`Metrics contract: ${label}`, () => {
    it('adds counters per attribute set, whatever the order of the attributes', async () => {
      const { metrics } = setup();
      const hits = metrics.counter('test.cache.hits', { unit: '{hit}', description: 'Cache hits' });
      hits.add();
      hits.add(2, { cache: 'taste', outcome: 'hit' });
      hits.add(3, { outcome: 'hit', cache: 'taste' });
      hits.add(1, { cache: 'taste', outcome: 'miss' });
      // The same name again is the same instrument.
      metrics.counter('test.cache.hits').add(4);
      const view = (await metrics.snapshot()).counters.find((counter) => counter.name === 'test.cache.hits');
      expect(view).toMatchObject({ unit: '{hit}', description: 'Cache hits' });
      expect(view?.points).toHaveLength(3);
      expect(view?.points).toEqual(
        expect.arrayContaining([
          { attributes: {}, value: 5 },
          { attributes: { cache: 'taste', outcome: 'hit' }, value: 5 },
          { attributes: { cache: 'taste', outcome: 'miss' }, value: 1 },
        ]),
      );
    });

    it('drops negative and non-finite values instead of recording them', async () => {
      const { metrics } = setup();
      const counter = metrics.counter('test.dropped');
      counter.add(-1);
      counter.add(Number.NaN);
      counter.add(Number.POSITIVE_INFINITY);
      counter.add(2);
      const histogram = metrics.histogram('test.dropped.ms', { unit: 'ms' });
      histogram.record(-5);
      histogram.record(Number.NaN);
      histogram.record(7);
      const snapshot = await metrics.snapshot();
      expect(snapshot.counters.find((view) => view.name === 'test.dropped')?.points).toEqual([{ attributes: {}, value: 2 }]);
      expect(snapshot.histograms.find((view) => view.name === 'test.dropped.ms')?.points).toEqual([
        { attributes: {}, count: 1, sum: 7, min: 7, max: 7, p50: 7, p90: 7, p95: 7, p99: 7 },
      ]);
    });

    it('keeps count, sum, min and max per series, and nearest-rank percentiles within the stated error', async () => {
      const { metrics, relativeError } = setup();
      const latency = metrics.histogram('test.latency', { unit: 'ms', description: 'Latency' });
      // 1..200 ms in a scrambled order, and a slow series of its own.
      const values = Array.from({ length: 200 }, (_, i) => ((i * 73) % 200) + 1);
      for (const value of values) latency.record(value, { route: 'fast' });
      latency.record(5000, { route: 'slow' });
      const view = (await metrics.snapshot()).histograms.find((histogram) => histogram.name === 'test.latency');
      expect(view).toMatchObject({ unit: 'ms', description: 'Latency' });
      const fast = view?.points.find((point) => point.attributes.route === 'fast');
      expect(fast).toMatchObject({ count: 200, sum: 20_100, min: 1, max: 200 });
      const exact = percentilesOf([...values].sort((a, b) => a - b));
      expect(exact).toEqual({ p50: 100, p90: 180, p95: 190, p99: 198 });
      for (const key of ['p50', 'p90', 'p95', 'p99'] as const) {
        expect(Math.abs(fast![key] - exact[key])).toBeLessThanOrEqual(exact[key] * relativeError + 0.01);
      }
      expect(view?.points.find((point) => point.attributes.route === 'slow')).toEqual({ attributes: { route: 'slow' }, count: 1, sum: 5000, min: 5000, max: 5000, p50: 5000, p90: 5000, p95: 5000, p99: 5000 });
    });

    it('shows the platform metrics per function and per job type', async () => {
      const { metrics } = setup();
      const requests = metrics.counter(METRIC.httpRequests);
      const errors = metrics.counter(METRIC.httpErrors);
      const duration = metrics.histogram(METRIC.httpDuration, { unit: 'ms' });
      for (const [status, ms] of [[200, 10], [200, 10], [404, 10], [500, 10]] as const) {
        requests.add(1, { function: 'items-list' });
        if (status >= 400) errors.add(1, { function: 'items-list', class: `${Math.floor(status / 100)}xx` });
        duration.record(ms, { function: 'items-list' });
      }
      metrics.counter(METRIC.jobAttempts).add(3, { job: 'taste.compute' });
      metrics.counter(METRIC.jobRetries).add(1, { job: 'taste.compute' });
      metrics.counter(METRIC.jobCompleted).add(2, { job: 'taste.compute' });
      metrics.histogram(METRIC.jobDuration, { unit: 'ms' }).record(250, { job: 'taste.compute' });
      const snapshot = await metrics.snapshot();
      expect(snapshot.functions).toEqual({ 'items-list': { count: 4, errors: 2, clientErrors: 1, serverErrors: 1, p50: 10, p90: 10, p95: 10, p99: 10 } });
      expect(snapshot.jobs).toEqual({ 'taste.compute': { attempts: 3, completed: 2, retries: 1, deadLetters: 0, p50: 250, p90: 250, p95: 250, p99: 250 } });
      expect(Date.parse(snapshot.since)).toBeLessThanOrEqual(Date.parse(snapshot.at));
      expect(snapshot.percentiles).toMatch(/nearest rank/);
    });

    it('shows nothing before anything is recorded (instruments alone included), and flushes without an exporter', async () => {
      const { metrics } = setup();
      metrics.counter('test.unused');
      metrics.histogram('test.unused.ms');
      await expect(metrics.flush()).resolves.toBeUndefined();
      expect(await metrics.snapshot()).toMatchObject({ exporting: false, functions: {}, jobs: {}, counters: [], histograms: [] });
    });
  });
}
