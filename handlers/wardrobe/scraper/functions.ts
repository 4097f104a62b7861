/** The wardrobe's scraper routes and the daily price refresh (the job's worker comes from the job list). */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { legacyItemResponse as itemResponse } from '../items/legacy.ts';
import { importRequest, refreshQuery, refreshStarted } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const importProduct = defineFunction({
  name: 'wardrobe-scraper-import',
  trigger: {
    kind: 'http', method: 'POST', route: 'scraper/import', auth: 'user', rateLimit: 'scraper',
    summary: 'Fetches a product page (JSON-LD Product or OpenGraph tags) and creates a draft item from it. Private, loopback and link-local targets are refused.',
    request: { body: importRequest },
    responses: {
      201: { description: 'The draft item', schema: itemResponse },
      400: { description: 'Invalid body, or a refused URL: url_invalid, url_scheme_not_allowed, url_credentials_not_allowed, url_not_allowed' },
      401: problem,
      422: { description: 'fetch_failed (timeout, too_large, status N, ...) or no_product_data' },
      429: problem,
    },
  },
  handler: 'handlers/wardrobe/scraper/scraper.routes#importProduct',
});

/** Every day at 04:00 UTC. */
export const dailyRefresh = defineFunction({
  name: 'wardrobe-scraper-refresh-daily',
  trigger: { kind: 'timer', schedule: '0 0 4 * * *' },
  handler: 'handlers/wardrobe/scraper/daily.timer#dailyRefresh',
});

export const runRefresh = defineFunction({
  name: 'admin-scraper-refresh',
  trigger: {
    kind: 'http', method: 'POST', route: 'admin/scraper/refresh', auth: 'admin',
    summary: "Re-checks imported items' prices now, for everyone or `?userId=`: 202 with the jobs started.",
    request: { query: refreshQuery },
    responses: { 202: { description: 'The run that was started', schema: refreshStarted }, 400: problem, 401: problem, 403: problem },
  },
  handler: 'handlers/wardrobe/scraper/scraper.routes#refresh',
});

export const scraperFunctions: readonly FunctionDef[] = [importProduct, dailyRefresh, runRefresh];
