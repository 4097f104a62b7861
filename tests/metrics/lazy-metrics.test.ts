/** The port the app hands out before the OpenTelemetry SDK has loaded: nothing recorded early is lost, and nothing ever throws. */
import { describe, expect, it } from '@jest/globals';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { lazyMetrics, metricsLoaded } from '../../adapters/telemetry/lazy-metrics.ts';
import type { Metrics } from '../../domain/metrics.ts';

function deferred() {
  let resolve!: (metrics: Metrics) => void;
  const promise = new Promise<Metrics>((done) => (resolve = done));
  return { promise, resolve };
}

describe('lazyMetrics', () => {
  it('starts loading on a later task after the first recording, and metricsLoaded waits for that load to finish', async () => {
    const loading = deferred();
    let loads = 0;
    const metrics = lazyMetrics(() => (loads++, loading.promise), () => undefined);
    metrics.counter('first').add(1);
    expect(loads).toBe(0);
    let settled = false;
    const waiting = metricsLoaded().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(loads).toBe(1);
    expect(settled).toBe(false);
    const real = new MemoryMetrics();
    loading.resolve(real);
    await waiting;
    expect((await real.snapshot()).counters).toMatchObject([{ name: 'first', points: [{ value: 1 }] }]);
  });

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

  it('starts loading the SDK only on a later task than the first recording, and at once for a snapshot', async () => {
    let loads = 0;
    const load = () => {
      loads += 1;
      return Promise.resolve<Metrics>(new MemoryMetrics());
    };
    const idle = lazyMetrics(load, () => undefined);
    idle.counter('never-used');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loads).toBe(0); // reading the port or creating an instrument loads nothing

    const metrics = idle;
    metrics.counter('answers').add(1);
    metrics.histogram('answer.ms').record(3);
    await Promise.resolve();
    expect(loads).toBe(0); // not while the answer's own task (and its microtasks) runs
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loads).toBe(1);
    expect((await metrics.snapshot()).counters.map((counter) => counter.name)).toEqual(['answers']);

    const asked = lazyMetrics(load, () => undefined);
    const snapshot = asked.snapshot();
    expect(loads).toBe(2); // a snapshot cannot wait for a recording
    await snapshot;
    expect(loads).toBe(2);
  });
});
