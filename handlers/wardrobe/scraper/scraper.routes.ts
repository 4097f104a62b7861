/** The scraper routes: import a product page as a draft item; an admin's refresh-prices-now. */
import type { DocumentStore, IdSource } from '../../../domain/ports.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { startRefreshRun } from './runs.ts';
import { createScraperService, type ScraperServiceDeps } from './service.ts';

export interface RefreshRouteDeps {
  documents: DocumentStore;
  jobs: Pick<JobClient, 'enqueue'>;
  ids: IdSource;
}

/** POST /api/scraper/import: fetches the page and answers 201 with the draft item made from its product. */
export const importProduct = (deps: ScraperServiceDeps): PorticoHttpHandler<{ url: string }> => {
  const service = createScraperService(deps);
  return async (event, context) => json(201, await service.importProduct(ownerOf(context), event.json.url));
};

/** POST /api/admin/scraper/refresh?userId=: re-checks imported prices now, for everyone or one user; 202 with the jobs. */
export const refresh = (deps: RefreshRouteDeps): PorticoHttpHandler => async (event, context) => {
  const userId = event.queryStringParameters?.userId;
  // A fresh run id: unlike a timer slot, asking again means checking again.
  return json(202, await startRefreshRun(deps, { runId: `admin-${deps.ids.next()}`, ...(userId ? { userId } : {}), ...traceOf(context) }));
};
