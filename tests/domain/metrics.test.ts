/** The pure side of metrics: nearest-rank percentiles and the per-function and per-job views. */
import { describe, expect, it } from '@jest/globals';
import { METRIC, nearestRank, percentilesOf, platformViews, statusClass, type CounterView, type HistogramView } from '../../domain/metrics.ts';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('nearestRank', () => {
  it('is the smallest value with at least p% of the values at or below it', () => {
    expect(percentilesOf(oneToHundred)).toEqual({ p50: 50, p90: 90, p95: 95, p99: 99 });
    // Ten values: rank ceil(0.5 * 10) = 5, ceil(0.9 * 10) = 9, ceil(0.95 * 10) = ceil(0.99 * 10) = 10.
    expect(percentilesOf([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toEqual({ p50: 50, p90: 90, p95: 100, p99: 100 });
  });

  it('never interpolates: every percentile is an observed value', () => {
    expect(percentilesOf([1, 1000])).toEqual({ p50: 1, p90: 1000, p95: 1000, p99: 1000 });
    expect(nearestRank([3, 7, 7, 8], 75)).toBe(7);
  });

  it('gives the only value for one observation, and 0 for none', () => {
    expect(percentilesOf([42])).toEqual({ p50: 42, p90: 42, p95: 42, p99: 42 });
    expect(percentilesOf([])).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0 });
    expect(nearestRank([5, 6], 0)).toBe(5);
    expect(nearestRank([5, 6], 100)).toBe(6);
  });
});

describe('statusClass', () => {
  it('names a status by its hundred', () => {
    expect([200, 204, 404, 429, 500, 503].map(statusClass)).toEqual(['2xx', '2xx', '4xx', '4xx', '5xx', '5xx']);
  });
});

describe('platformViews', () => {
  const counter = (name: string, points: [Record<string, string>, number][]): CounterView => ({ name, unit: '', description: '', points: points.map(([attributes, value]) => ({ attributes, value })) });
  const latency = (attributes: Record<string, string>, p50: number): HistogramView['points'][number] => ({ attributes, count: 4, sum: 4 * p50, min: p50, max: p50, p50, p90: p50, p95: p50, p99: p50 });

  it('adds up requests and errors by class per function, with its latency percentiles', () => {
    const views = platformViews(
      [
        counter(METRIC.httpRequests, [[{ function: 'a' }, 10], [{ function: 'b' }, 3]]),
        counter(METRIC.httpErrors, [[{ function: 'a', class: '4xx' }, 2], [{ function: 'a', class: '5xx' }, 1], [{ function: 'b', class: '4xx' }, 3]]),
        counter('wardrobe.custom', [[{ function: 'a' }, 99]]),
      ],
      [{ name: METRIC.httpDuration, unit: 'ms', description: '', points: [latency({ function: 'a' }, 12)] }],
    );
    expect(views.functions).toEqual({
      a: { count: 10, errors: 3, clientErrors: 2, serverErrors: 1, p50: 12, p90: 12, p95: 12, p99: 12 },
      b: { count: 3, errors: 3, clientErrors: 3, serverErrors: 0, p50: 0, p90: 0, p95: 0, p99: 0 },
    });
  });

  it('adds up attempts, completions, retries and dead letters (over every reason) per job type', () => {
    const views = platformViews(
      [
        counter(METRIC.jobAttempts, [[{ job: 'x' }, 5]]),
        counter(METRIC.jobCompleted, [[{ job: 'x' }, 2]]),
        counter(METRIC.jobRetries, [[{ job: 'x' }, 2]]),
        counter(METRIC.jobDeadLetters, [[{ job: 'x', reason: 'max_attempts' }, 1], [{ job: 'unknown', reason: 'unparseable' }, 4]]),
      ],
      [{ name: METRIC.jobDuration, unit: 'ms', description: '', points: [latency({ job: 'x' }, 30)] }],
    );
    expect(views.jobs).toEqual({
      x: { attempts: 5, completed: 2, retries: 2, deadLetters: 1, p50: 30, p90: 30, p95: 30, p99: 30 },
      unknown: { attempts: 0, completed: 0, retries: 0, deadLetters: 4, p50: 0, p90: 0, p95: 0, p99: 0 },
    });
  });
});
