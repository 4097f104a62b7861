/** The job runtime's metrics on memory ports: attempts, completions, retries, dead letters and run time per job type. */
import { describe, expect, it } from '@jest/globals';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { METRIC } from '../../domain/metrics.ts';
import { defineJob, PermanentJobError, type JobSpec } from '../../kernel/jobs.ts';
import { createJobWorker, UNKNOWN_JOB } from '../../jobs/worker.ts';
import { context, memoryRuntime, pump } from '../support/jobs.ts';

const spec = defineJob<{ n: number }>({
  type: 'metrics.job',
  queue: 'metrics-jobs',
  payloadSchema: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer' } } },
  settingsPrefix: 'METRICS_JOB',
  run: async ({ n }) => {
    if (n === -1) throw new Error('transient');
    if (n === -2) throw new PermanentJobError('permanent');
  },
});

describe('job metrics', () => {
  it('counts every attempt, completion, retry and dead letter of a job type, and times each run', async () => {
    const metrics = new MemoryMetrics();
    const harness = memoryRuntime([spec as unknown as JobSpec]);
    // fastSettings: three attempts at most.
    const runtime = createJobWorker({ ...harness.deps, metrics });
    for (const n of [1, 2, -1, -2]) await runtime.client.enqueue(spec, { n });
    await harness.deps.queue.send('metrics-jobs', 'not an envelope');
    for (let round = 0; round < 4; round++) {
      await pump(harness.deps.queue, 'metrics-jobs', (event) => runtime.worker(event, context()));
      harness.clock.advance(120_000);
    }

    const snapshot = await metrics.snapshot();
    // 1 and 2 once each, -1 three times (two retries, then max_attempts), -2 once (permanent).
    expect(snapshot.jobs['metrics.job']).toMatchObject({ attempts: 6, completed: 2, retries: 2, deadLetters: 2 });
    expect(snapshot.jobs[UNKNOWN_JOB]).toMatchObject({ attempts: 0, deadLetters: 1 });
    expect(snapshot.counters.find((view) => view.name === METRIC.jobDeadLetters)?.points).toEqual(
      expect.arrayContaining([
        { attributes: { job: 'metrics.job', reason: 'max_attempts' }, value: 1 },
        { attributes: { job: 'metrics.job', reason: 'permanent_failure' }, value: 1 },
        { attributes: { job: UNKNOWN_JOB, reason: 'unparseable' }, value: 1 },
      ]),
    );
    const durations = snapshot.histograms.find((view) => view.name === METRIC.jobDuration)?.points;
    expect(durations?.map((point) => [point.attributes, point.count])).toEqual([[{ job: 'metrics.job' }, 6]]);
  });

  it('labels a dead letter of a type this deployment does not know as unknown, never by the message', async () => {
    const metrics = new MemoryMetrics();
    const harness = memoryRuntime([spec as unknown as JobSpec]);
    const runtime = createJobWorker({ ...harness.deps, metrics });
    await harness.deps.queue.send('metrics-jobs', JSON.stringify({ type: 'attacker-chosen-type', jobId: 'j1', attempt: 1, enqueuedAt: '2026-11-22T10:00:00Z', payload: {} }));
    await pump(harness.deps.queue, 'metrics-jobs', (event) => runtime.worker(event, context()));
    const snapshot = await metrics.snapshot();
    expect(snapshot.counters.find((view) => view.name === METRIC.jobDeadLetters)?.points).toEqual([{ attributes: { job: UNKNOWN_JOB, reason: 'unknown_type' }, value: 1 }]);
    expect(JSON.stringify(snapshot)).not.toContain('attacker-chosen-type');
  });
});
