/** The capability service's metrics: usage per key and plugin, shown by GET /api/admin/metrics. */
import type { Metrics } from '../../domain/metrics.ts';

export const CAPABILITIES_METRIC = {
  /** Attributes: `key` (the API key's name), `plugin`, `mode` (`sync`, `async`), `outcome` (`success` or the problem code). */
  calls: 'portico.capabilities.calls',
  /** Attributes: `plugin`, `mode`; ms per plugin run. */
  duration: 'portico.capabilities.duration',
  /** Attributes: `key`, `outcome` (`delivered`, `retry`, `refused`). */
  callbacks: 'portico.capabilities.callbacks',
} as const;

export function capabilityMetrics(metrics: Metrics) {
  return {
    calls: metrics.counter(CAPABILITIES_METRIC.calls, { unit: '{call}', description: 'Capability plugin calls per API key, plugin, mode and outcome' }),
    duration: metrics.histogram(CAPABILITIES_METRIC.duration, { unit: 'ms', description: 'Capability plugin run time per plugin and mode' }),
    callbacks: metrics.counter(CAPABILITIES_METRIC.callbacks, { unit: '{delivery}', description: 'Job callback deliveries per API key and outcome' }),
  };
}
