/**
 * The scraper's factories through the real httpHandler stack and job worker on memory ports,
 * against a local shop: a node:http server on 127.0.0.1 whose pages each test sets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduledEvent } from 'aws-lambda';
import type { HttpLambda } from '../../../kernel/functions.ts';
import { createSafeFetcher, type Resolver } from '../../../adapters/http/safe-fetch.ts';
import { forbidden, unauthorized } from '../../../domain/errors.ts';
import type { PageFetcher, PageFetchSettings } from '../../../domain/wardrobe/page-fetch.ts';
import { itemsContainer, type WardrobeItemDoc } from '../../../handlers/wardrobe/items/store.ts';
import { priceHistoryContainer, scrapedSourcesContainer } from '../../../handlers/wardrobe/scraper/store.ts';
import { dailyRefresh } from '../../../handlers/wardrobe/scraper/daily.timer.ts';
import { dailyRefresh as dailyRefreshDef, importProduct as importProductDef, runRefresh as runRefreshDef } from '../../../handlers/wardrobe/scraper/functions.ts';
import { refreshJob } from '../../../handlers/wardrobe/scraper/jobs.ts';
import { createRun } from '../../../handlers/wardrobe/scraper/refresh.job.ts';
import { importProduct, refresh } from '../../../handlers/wardrobe/scraper/scraper.routes.ts';
import type { ScraperSettings } from '../../../handlers/wardrobe/scraper/settings.ts';
import type { JobRun, JobSpec } from '../../../kernel/jobs.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { context, fastSettings, memoryRuntime, pump } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform } from '../../support/platform.ts';

export type Page = (request: IncomingMessage, response: ServerResponse) => void;

export const html = (body: string, headers: Record<string, string | number> = {}): Page => (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(body);
};

export const redirect = (location: string, status = 302): Page => (_request, response) => {
  response.writeHead(status, { location });
  response.end();
};

export const status = (code: number): Page => (_request, response) => {
  response.writeHead(code, { 'content-type': 'text/plain' });
  response.end(`status ${code}`);
};

/** A JSON-LD product page, as shops print them. */
export function productPage(product: Record<string, unknown>, extraHead = ''): string {
  const ld = { '@context': 'https://schema.org', '@type': 'Product', ...product };
  return `<!doctype html><html><head><meta charset="utf-8"><title>${String(product.name)}</title>${extraHead}<script type="application/ld+json">${JSON.stringify(ld)}</script></head><body><h1>${String(product.name)}</h1></body></html>`;
}

/** A local shop on 127.0.0.1: `pages` maps a path to its handler; anything else is a 404. */
export async function startShop() {
  const pages = new Map<string, Page>();
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const page = pages.get(request.url ?? '');
    if (page) page(request, response);
    else status(404)(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    pages,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Shop = Awaited<ReturnType<typeof startShop>>;

/** Short limits so the huge and slow pages fail fast. */
export const testFetch = (overrides: Partial<PageFetchSettings> = {}): PageFetchSettings => ({
  timeoutMs: 400,
  maxBytes: 64 * 1024,
  maxRedirects: 3,
  allowLoopback: true,
  ...overrides,
});

/** `x-test-user: <id>` signs in; `ops` is the admin. */
export const platform = testPlatform({
  authenticate: async (event, accepted) => {
    const userId = event.headers['x-test-user'];
    if (!userId) throw unauthorized();
    const isAdmin = userId === 'ops';
    if (!isAdmin && !accepted.includes('user')) throw forbidden();
    return { userId, qualifiedId: `portico|${userId}`, issuer: 'portico', via: 'token', roles: [], isAdmin };
  },
});

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read loosely; the assertions are the check
  json: Record<string, any>;
}

export async function call(handler: HttpLambda, init: { method: string; path: string; user?: string; body?: string; query?: string; headers?: Record<string, string> }): Promise<Reply> {
  const event = httpEvent({
    method: init.method,
    path: init.path,
    ...(init.query ? { query: init.query } : {}),
    headers: { 'content-type': 'application/json', ...(init.user ? { 'x-test-user': init.user } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const result = await handler(event, lambdaContext());
  return { statusCode: result.statusCode ?? 0, headers: (result.headers ?? {}) as Record<string, string>, json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {} };
}

/**
 * The import and refresh routes, the daily timer and the refresh job, each built by its factory
 * on one memory runtime, as `bind` builds them. The page fetcher port is the real safe fetcher
 * with the settings the factories pass it; `fetcher` wraps it (tests count or fail calls through it).
 */
export function scraperHarness(options: { fetch?: Partial<PageFetchSettings>; resolve?: Resolver; maxConcurrency?: number; fetcher?: (real: PageFetcher) => PageFetcher } = {}) {
  // The job as the worker binds it (built below, once the runtime's client exists).
  const spec: JobSpec = { ...(refreshJob as JobSpec), handler: undefined, run: (payload, ctx) => run(payload, ctx) };
  const harness = memoryRuntime([spec], fastSettings);
  const { deps, clock, runtime } = harness;
  const settings: { scraper: ScraperSettings } = { scraper: { fetch: testFetch(options.fetch), maxConcurrency: options.maxConcurrency ?? 4 } };
  const pageFetcher = (fetch: PageFetchSettings): PageFetcher => {
    const real = createSafeFetcher(fetch, options.resolve ? { resolve: options.resolve } : {});
    return options.fetcher ? options.fetcher(real) : real;
  };
  // What the factories get from the composition root (deps), on memory ports.
  const ports = { documents: deps.documents, clock, logger: deps.logger, jobs: runtime.client, pageFetcher, settings };
  let n = 0;
  let runs = 0;
  const run = createRun({ ...ports, ids: deps.ids }) as JobRun<unknown>;
  const http = {
    importProduct: httpHandler(importProductDef, importProduct({ ...ports, ids: { next: () => `item-${++n}` } }), platform),
    refresh: httpHandler(runRefreshDef, refresh({ ...ports, ids: { next: () => `run-${++runs}` } }), platform),
  };
  const daily = dailyRefresh(ports, dailyRefreshDef);

  const importUrl = (user: string, url: unknown) => call(http.importProduct, { method: 'POST', path: '/api/scraper/import', user, body: JSON.stringify({ url }) });
  const importRaw = (user: string, body: string) => call(http.importProduct, { method: 'POST', path: '/api/scraper/import', user, body });
  const adminRefresh = (user: string | undefined, query = '', headers: Record<string, string> = {}) => call(http.refresh, { method: 'POST', path: '/api/admin/scraper/refresh', ...(user ? { user } : {}), query, headers });
  const fire = (time: string) =>
    daily({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } } as ScheduledEvent, lambdaContext());
  const drain = () => pump(deps.queue, refreshJob.queue, (event) => runtime.worker(event, context()));
  const repo = {
    items: deps.documents.repository<WardrobeItemDoc>(itemsContainer),
    sources: deps.documents.repository(scrapedSourcesContainer),
    history: deps.documents.repository(priceHistoryContainer),
  };
  /** Everything the scraper may have written, across users. */
  const stored = async () =>
    JSON.stringify(await Promise.all([repo.items, repo.sources, repo.history].map(async (repository) => (await repository.query({ limit: 1000 })).items)));
  return { ...harness, http, importUrl, importRaw, adminRefresh, fire, drain, repo, stored };
}
