/** Starting a price refresh: pages through the imported items' sources, one job per page. */
import { createHash } from 'node:crypto';
import type { DocumentStore } from '../../../domain/ports.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { scrapedSourcesContainer, type ScrapedSourceDoc } from './store.ts';
import { REFRESH_BATCH_ITEMS, refreshJob, type RefreshJobPayload } from './jobs.ts';

export interface RefreshRun {
  runId: string;
  items: number;
  jobs: string[];
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** A job id per run and page of items: a repeated run (the same slot) enqueues nothing new. */
export const refreshJobId = (runId: string, items: RefreshJobPayload['items']) => `scraper-refresh-${runId}-${shortHash(items.map((ref) => `${ref.userId}\n${ref.itemId}`).join('\n'))}`;

/** Enqueues a refresh job per page of imported items: everyone's, or one user's. */
export async function startRefreshRun(deps: { documents: DocumentStore; jobs: Pick<JobClient, 'enqueue'> }, run: { runId: string; userId?: string; traceparent?: string }): Promise<RefreshRun> {
  const sources = deps.documents.repository<ScrapedSourceDoc>(scrapedSourcesContainer);
  const jobs: string[] = [];
  let items = 0;
  let continuation: string | undefined;
  do {
    const page = await sources.query({
      ...(run.userId === undefined ? {} : { partitionKey: run.userId, filters: [{ field: 'userId', op: '=', value: run.userId }] }),
      orderBy: { field: 'id', direction: 'asc' },
      limit: REFRESH_BATCH_ITEMS,
      ...(continuation ? { continuation } : {}),
    });
    if (page.items.length > 0) {
      const refs = page.items.map((source) => ({ userId: source.userId, itemId: source.itemId }));
      jobs.push(await deps.jobs.enqueue(refreshJob, { runId: run.runId, items: refs } satisfies RefreshJobPayload, { jobId: refreshJobId(run.runId, refs), ...traceOf(run) }));
      items += refs.length;
    }
    continuation = page.continuation;
  } while (continuation);
  return { runId: run.runId, items, jobs };
}
