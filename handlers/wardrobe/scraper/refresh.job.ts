/**
 * The refresh job: re-checks its items' prices, at most SCRAPER_MAX_CONCURRENCY at once. One
 * item's failure does not stop the others: in a page, each failed item is re-enqueued as a job
 * of its own (once, through the ledger); a one-item job rethrows, so the runtime retries a
 * transient failure (timeout, 5xx, network) with backoff and dead-letters a permanent one
 * (page gone, no product data, URL now refused) at once. No item is dropped.
 */
import { settleWithConcurrency } from '../../../domain/concurrency.ts';
import { FetchFailedError } from '../../../domain/wardrobe/page-fetch.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import type { JobRun } from '../../../kernel/jobs.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { refreshJob, type RefreshJobPayload } from './jobs.ts';
import { refreshJobId } from './runs.ts';
import { createScraperService, type RefreshOutcome, type ScraperServiceDeps } from './service.ts';
import type { ScraperSettings } from './settings.ts';

export interface RefreshJobDeps extends ScraperServiceDeps {
  jobs: Pick<JobClient, 'enqueue'>;
  settings: { scraper: Pick<ScraperSettings, 'fetch' | 'maxConcurrency'> };
}

/** A site that was slow or down is retried; the job runtime dead-letters 4xx AppErrors at once. */
function forRuntime(error: unknown): unknown {
  if (error instanceof FetchFailedError && error.transient) return new Error(`${error.code}: ${error.message}`);
  return error;
}

export function createRun(deps: RefreshJobDeps): JobRun<RefreshJobPayload> {
  const service = createScraperService(deps);
  const { maxConcurrency } = deps.settings.scraper;
  return async (payload, context) => {
    const outcomes = await settleWithConcurrency(payload.items, maxConcurrency, (ref) => service.refreshItem(ref.userId, ref.itemId, payload.runId, context.signal));
    const failed = payload.items.filter((_ref, index) => outcomes[index]!.status === 'rejected');
    const counts: Partial<Record<RefreshOutcome, number>> = {};
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') counts[outcome.value] = (counts[outcome.value] ?? 0) + 1;
    if (failed.length === 0) return context.log.info({ items: payload.items.length, ...counts }, 'prices checked');
    if (payload.items.length === 1) throw forRuntime((outcomes[0] as PromiseRejectedResult).reason);
    for (const ref of failed) {
      const items = [ref];
      await context.once(`split:${ref.userId}:${ref.itemId}`, () => deps.jobs.enqueue(refreshJob, { runId: payload.runId, items } satisfies RefreshJobPayload, { jobId: refreshJobId(`${payload.runId}-retry`, items), ...traceOf(context) }));
    }
    context.log.warn({ items: payload.items.length, failed: failed.length, ...counts }, 'some price checks failed; each is retried as a job of its own');
  };
}
