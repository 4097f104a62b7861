/** The port the app hands out before the OpenTelemetry SDK has loaded: nothing recorded early is lost, and nothing ever throws. */
import { describe, expect, it } from '@jest/globals';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { lazyMetrics } from '../../adapters/telemetry/lazy-metrics.ts';
import type { Metrics } from '../../domain/metrics.ts';

function deferred() {
  let resolve!: (metrics: Metrics) => void;
  const promise = new Promise<Metrics>((done) => (resolve = done));
  return { promise, resolve };
}

describe('lazyMetrics', () => {
  it('replays what was recorded before the SDK arrived, up to 10,000 recordings, then records directly', async () => {
    const loading = deferred();
    const metrics = lazyMetrics(() => loading.promise, () => undefined);
    const early = metrics.counter('early', { unit: '{x}' });
    for (let i = 0; i < 10_001; i++) early.add(1, { kind: 'a' });
    metrics.histogram('early.ms').record(4);
    const real = new MemoryMetrics();
    loading.resolve(real);
    await metrics.flush();
    early.add(5, { kind: 'a' });
    const snapshot = await metrics.snapshot();
    // 10,000 replayed (the 10,001st and the histogram were past the cap), then 5 recorded directly.
    expect(snapshot.counters).toEqual([{ name: 'early', unit: '{x}', description: '', points: [{ attributes: { kind: 'a' }, value: 10_005 }] }]);
    expect(snapshot.histograms).toEqual([]);
  });

  it('records nothing, throws nothing and reports once when the SDK cannot load', async () => {
    const failures: unknown[] = [];
    const metrics = lazyMetrics(() => Promise.reject(new Error('no sdk')), (error) => failures.push(error));
    expect(() => metrics.counter('c').add(1)).not.toThrow();
    expect(() => metrics.histogram('h').record(1)).not.toThrow();
    expect(await metrics.snapshot()).toMatchObject({ counters: [], histograms: [], functions: {} });
    await expect(metrics.flush()).resolves.toBeUndefined();
    metrics.counter('c').add(1);
    expect(failures).toHaveLength(1);
  });
});
