/**
 * Metrics in memory, for unit tests: every observation is kept, so percentiles are exact
 * (nearest rank). It passes the same contract tests as the OpenTelemetry adapter
 * (tests/contracts/metrics.test.ts) and exports nothing.
 */
import type { Clock } from '../../domain/ports.ts';
import {
  isRecordable,
  percentilesOf,
  platformViews,
  type Counter,
  type CounterView,
  type Histogram,
  type HistogramView,
  type InstrumentOptions,
  type MetricAttributes,
  type Metrics,
  type MetricsSnapshot,
} from '../../domain/metrics.ts';

interface Instrument<V> {
  unit: string;
  description: string;
  /** By the attributes' canonical JSON. */
  series: Map<string, { attributes: Record<string, string | number | boolean>; value: V }>;
}

/** Attributes in key order, so `{a, b}` and `{b, a}` are one series, as in OpenTelemetry. */
function keyOf(attributes: MetricAttributes): string {
  return JSON.stringify(Object.keys(attributes).sort().map((key) => [key, attributes[key]]));
}

export class MemoryMetrics implements Metrics {
  readonly #counters = new Map<string, Instrument<number>>();
  readonly #histograms = new Map<string, Instrument<number[]>>();
  readonly #clock: Clock;
  readonly #since: string;

  constructor(clock: Clock = { now: () => new Date() }) {
    this.#clock = clock;
    this.#since = clock.now().toISOString();
  }

  counter(name: string, options: InstrumentOptions = {}): Counter {
    const instrument = instrumentOf(this.#counters, name, options);
    return {
      add(value = 1, attributes = {}) {
        if (!isRecordable(value)) return;
        const key = keyOf(attributes);
        const series = instrument.series.get(key);
        if (series) series.value += value;
        else instrument.series.set(key, { attributes: { ...attributes }, value });
      },
    };
  }

  histogram(name: string, options: InstrumentOptions = {}): Histogram {
    const instrument = instrumentOf(this.#histograms, name, options);
    return {
      record(value, attributes = {}) {
        if (!isRecordable(value)) return;
        const key = keyOf(attributes);
        const series = instrument.series.get(key);
        if (series) series.value.push(value);
        else instrument.series.set(key, { attributes: { ...attributes }, value: [value] });
      },
    };
  }

  async snapshot(): Promise<MetricsSnapshot> {
    // An instrument with nothing recorded yet is not shown, as OpenTelemetry's readers do.
    const counters: CounterView[] = recorded(this.#counters).map(([name, { unit, description, series }]) => ({
      name,
      unit,
      description,
      points: [...series.values()].map(({ attributes, value }) => ({ attributes, value })),
    }));
    const histograms: HistogramView[] = recorded(this.#histograms).map(([name, { unit, description, series }]) => ({
      name,
      unit,
      description,
      points: [...series.values()].map(({ attributes, value }) => {
        const sorted = [...value].sort((a, b) => a - b);
        return { attributes, count: sorted.length, sum: sorted.reduce((a, b) => a + b, 0), min: sorted[0]!, max: sorted.at(-1)!, ...percentilesOf(sorted) };
      }),
    }));
    byName(counters);
    byName(histograms);
    return {
      since: this.#since,
      at: this.#clock.now().toISOString(),
      exporting: false,
      percentiles: 'exact: nearest rank over every observation',
      ...platformViews(counters, histograms),
      counters,
      histograms,
    };
  }

  async flush(): Promise<void> {}
}

function instrumentOf<V>(instruments: Map<string, Instrument<V>>, name: string, options: InstrumentOptions): Instrument<V> {
  let instrument = instruments.get(name);
  if (!instrument) {
    instrument = { unit: options.unit ?? '', description: options.description ?? '', series: new Map() };
    instruments.set(name, instrument);
  }
  return instrument;
}

const recorded = <V>(instruments: Map<string, Instrument<V>>) => [...instruments].filter(([, instrument]) => instrument.series.size > 0);

const byName = (views: { name: string }[]) => views.sort((a, b) => a.name.localeCompare(b.name));
