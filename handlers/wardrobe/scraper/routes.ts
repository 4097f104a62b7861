/** The scraper routes: import a product page as a draft item; an admin's refresh-prices-now. */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { getDocumentStore, getHttpPlatform, getJobRuntimeDeps, randomIds, systemClock } from '../../../app/composition.ts';
import { createSafeFetcher } from '../../../adapters/http/safe-fetch.ts';
import type { DocumentStore, IdSource } from '../../../domain/ports.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { createJobClient, type JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { importProduct as importRoute, runRefresh } from './functions.ts';
import { scraperSettings } from './jobs.ts';
import { startRefreshRun } from './runs.ts';
import type { ScraperService } from './service.ts';
import { createScraperService } from './service.ts';

export interface ScraperRouteDeps {
  platform: HttpPlatform;
  documents: DocumentStore;
  service: Pick<ScraperService, 'importProduct'>;
  jobs: Pick<JobClient, 'enqueue'>;
  ids: IdSource;
}

export function createHandlers(deps: ScraperRouteDeps): Record<'importProduct' | 'refresh', HttpLambda> {
  return {
    importProduct: httpHandler<{ url: string }>(
      importRoute,
      async (event, context) => json(201, await deps.service.importProduct(context.principal!.userId, event.json.url)),
      deps.platform,
    ),

    refresh: httpHandler(
      runRefresh,
      async (event, context) => {
        const userId = event.queryStringParameters?.userId;
        // A fresh run id: unlike a timer slot, asking again means checking again.
        return json(202, await startRefreshRun(deps, { runId: `admin-${deps.ids.next()}`, ...(userId ? { userId } : {}), ...traceOf(context) }));
      },
      deps.platform,
    ),
  };
}

const runtime = getJobRuntimeDeps();
export const { importProduct, refresh } = createHandlers({
  platform: getHttpPlatform(),
  documents: getDocumentStore(),
  service: createScraperService({ documents: getDocumentStore(), clock: systemClock, ids: randomIds, fetcher: createSafeFetcher(scraperSettings.fetch) }),
  jobs: createJobClient(runtime),
  ids: randomIds,
});
