/**
 * The diagnosis's own metrics, named as the issue (and the seed) asks, beside the platform's
 * `portico.ai.*` (which count every model call by task and provider):
 *   - `diagnose_duration_ms` (histogram, ms): one diagnose request, from its arrival to its
 *     answer (to the stream's end when streamed), by `route` (`legacy`, `v2`) and `outcome`;
 *   - `openai_tokens` (counter): tokens of the answer and title calls by `direction` (`in`,
 *     `out`) and `model`, as the provider reported them (offline estimates are not counted).
 */
import { AppError } from '../../../domain/errors.ts';
import { ModelError, type ModelUsage } from '../../../domain/ai.ts';
import type { Metrics } from '../../../domain/metrics.ts';

export type DiagnoseRoute = 'legacy' | 'v2';

export const DIAGNOSE_METRIC = { duration: 'diagnose_duration_ms', tokens: 'openai_tokens' } as const;

/**
 * A bounded outcome: `ok`, `limited` (402), `rejected` (another 4xx), the model's failure
 * (`timeout`, `rate_limited`, `unavailable`, `invalid_output`, `aborted`), or `error`.
 */
export function outcomeOf(error: unknown): string {
  if (error instanceof ModelError) return error.reason;
  if (error instanceof AppError) return error.status === 402 ? 'limited' : error.status < 500 ? 'rejected' : 'error';
  return 'error';
}

export function diagnoseMetrics(metrics: Metrics) {
  const duration = metrics.histogram(DIAGNOSE_METRIC.duration, { unit: 'ms', description: 'Diagnose requests by route and outcome' });
  const tokens = metrics.counter(DIAGNOSE_METRIC.tokens, { unit: '{token}', description: 'Model tokens of diagnoses by direction (in, out) and model' });
  return {
    duration: (ms: number, route: DiagnoseRoute, outcome: string) => duration.record(Math.round(ms), { route, outcome }),
    tokens: (model: string, usage: ModelUsage) => {
      tokens.add(usage.inputTokens, { direction: 'in', model });
      tokens.add(usage.outputTokens, { direction: 'out', model });
    },
  };
}
