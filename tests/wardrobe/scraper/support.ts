/**
 * The discover feed's factories through the real httpHandler stack and job worker (the run job,
 * and the taste job an up-vote enqueues) on memory ports, against a local shop: a node:http server on 127.0.0.1 whose pages each test sets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduledEvent } from 'aws-lambda';
import type { HttpLambda } from '../../../kernel/functions.ts';
import { createSafeFetcher, type Resolver } from '../../../adapters/http/safe-fetch.ts';
import { forbidden, unauthorized } from '../../../domain/errors.ts';
import type { DocumentStore } from '../../../domain/ports.ts';
import type { PageFetchSettings } from '../../../domain/wardrobe/page-fetch.ts';
import * as defs from '../../../handlers/wardrobe/scraper/functions.ts';
import * as routes from '../../../handlers/wardrobe/scraper/discover.routes.ts';
import { dailyRun } from '../../../handlers/wardrobe/scraper/daily.timer.ts';
import { runJob } from '../../../handlers/wardrobe/scraper/jobs.ts';
import { createRun } from '../../../handlers/wardrobe/scraper/run.job.ts';
import { tasteJob } from '../../../handlers/wardrobe/taste/jobs.ts';
import { createRun as createTasteRun } from '../../../handlers/wardrobe/taste/taste.job.ts';
import type { ScraperSettings } from '../../../handlers/wardrobe/scraper/settings.ts';
import { scrapedItemsContainer, sourcesContainer, subscriptionsContainer, votesContainer, type ScrapedItemDoc, type SourceDoc } from '../../../handlers/wardrobe/scraper/store.ts';
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

export async function call(handler: HttpLambda, init: { method: string; path: string; user?: string; body?: string; query?: string; headers?: Record<string, string>; params?: Record<string, string> }): Promise<Reply> {
  const event = httpEvent({
    method: init.method,
    path: init.path,
    ...(init.query ? { query: init.query } : {}),
    headers: { 'content-type': 'application/json', ...(init.user ? { 'x-test-user': init.user } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const result = await handler(init.params ? { ...event, pathParameters: init.params } : event, lambdaContext());
  return { statusCode: result.statusCode ?? 0, headers: (result.headers ?? {}) as Record<string, string>, json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {} };
}

/**
 * Every discover route, the daily timer and the run job, each built by its factory on one
 * memory runtime, as `bind` builds them. The fetcher port is the real safe fetcher with the
 * settings the factories pass it (and an injected resolver, so a test names hosts).
 */
export function discoverHarness(options: { fetch?: Partial<PageFetchSettings>; resolve?: Resolver; settings?: Partial<ScraperSettings>; documents?: DocumentStore } = {}) {
  const spec: JobSpec = { ...(runJob as JobSpec), handler: undefined, run: (payload, ctx) => run(payload, ctx) };
  // The taste job an up-vote enqueues, with its real run on this harness's store.
  const taste: JobSpec = { ...(tasteJob as JobSpec), handler: undefined, run: (payload, ctx) => createTasteRun({ documents, clock, settings: { taste: { profileUpdateMaxRetries: 5 } } })(payload as never, ctx) };
  const harness = memoryRuntime([spec, taste], fastSettings);
  const { deps, clock, runtime } = harness;
  const settings: { scraper: ScraperSettings } = {
    scraper: { fetch: testFetch(options.fetch), maxConcurrency: 2, maxProductsPerRun: 50, redditSubreddits: ['streetwear'], ...options.settings },
  };
  const safeHttp = (fetch: PageFetchSettings) => createSafeFetcher(fetch, options.resolve ? { resolve: options.resolve } : {});
  const documents = options.documents ?? deps.documents;
  const ports = { documents, clock, logger: deps.logger, jobs: runtime.client, safeHttp, settings };
  const run = createRun(ports) as JobRun<unknown>;
  const http = {
    items: httpHandler(defs.listItems, routes.listItems(ports), platform),
    feedback: httpHandler(defs.itemFeedback, routes.itemFeedback(ports), platform),
    sources: httpHandler(defs.listSources, routes.listSources(ports), platform),
    suggest: httpHandler(defs.suggestSource, routes.suggestSource(ports), platform),
    subscribe: httpHandler(defs.subscribe, routes.subscribe(ports), platform),
    unsubscribe: httpHandler(defs.unsubscribe, routes.unsubscribe(ports), platform),
    lease: httpHandler(defs.lease, routes.lease(ports), platform),
    ingest: httpHandler(defs.ingestReddit, routes.ingestReddit(ports), platform),
    run: httpHandler(defs.runSource, routes.runSource(ports), platform),
    unban: httpHandler(defs.unban, routes.unban(ports), platform),
  };
  const daily = dailyRun(ports, defs.dailyRun);
  const post = (handler: HttpLambda, path: string, user: string | undefined, body?: unknown, params?: Record<string, string>) =>
    call(handler, { method: 'POST', path, ...(user ? { user } : {}), ...(params ? { params } : {}), ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const api = {
    items: (user: string, query = '') => call(http.items, { method: 'GET', path: '/api/scraper/items', user, query }),
    feedback: (user: string, itemId: string, body: unknown) => post(http.feedback, `/api/scraper/items/${itemId}/feedback`, user, body, { itemId }),
    sources: (user: string) => call(http.sources, { method: 'GET', path: '/api/scraper/sources', user }),
    suggest: (user: string, body: unknown) => post(http.suggest, '/api/scraper/sources', user, body),
    subscribe: (user: string, sourceId: string) => post(http.subscribe, `/api/scraper/subscribe/${sourceId}`, user, undefined, { sourceId }),
    unsubscribe: (user: string, sourceId: string) => call(http.unsubscribe, { method: 'DELETE', path: `/api/scraper/subscribe/${sourceId}`, user, params: { sourceId } }),
    lease: (user: string, sourceId: string) => post(http.lease, `/api/scraper/lease/${sourceId}`, user, {}, { sourceId }),
    ingest: (user: string, body: unknown) => post(http.ingest, '/api/scraper/ingest/reddit', user, body),
    run: (user: string | undefined, sourceId: string) => post(http.run, `/api/scraper/run/${sourceId}`, user, undefined, { sourceId }),
    unban: (user: string | undefined, target: string) => post(http.unban, `/api/admin/unban/${encodeURIComponent(target)}`, user, undefined, { targetUserId: target }),
  };
  const fire = (time: string) =>
    daily({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } } as ScheduledEvent, lambdaContext());
  const drain = () => pump(deps.queue, runJob.queue, (event) => runtime.worker(event, context()));
  const drainTaste = () => pump(deps.queue, tasteJob.queue, (event) => runtime.worker(event, context()));
  const repo = {
    items: documents.repository<ScrapedItemDoc>(scrapedItemsContainer),
    sources: documents.repository<SourceDoc>(sourcesContainer),
    subscriptions: documents.repository(subscriptionsContainer),
    votes: documents.repository(votesContainer),
  };
  return { ...harness, http, api, fire, drain, drainTaste, repo, settings };
}
