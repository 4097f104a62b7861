/**
 * The discover routes (contract section 7.5 and the two admin routes of 7.6): factories over
 * the discover service. Path ids are checked against the source-id alphabet, so an unknown or
 * malformed id is the same 404.
 */
import type { RedditPost, Signal, SortBy, SourceType, TimeRange } from '../../../domain/wardrobe/discover.ts';
import { clampPageSize, csvOf } from '../../../domain/wardrobe/discover.ts';
import { notFound } from '../../../domain/errors.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import type { PorticoHttpEvent } from '../../../middleware/context.ts';
import { ownerOf, unwrapToken, wrapToken } from '../../../middleware/resources.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { enqueueTasteSignal } from '../taste/jobs.ts';
import { runJob, runJobId } from './jobs.ts';
import { SOURCE_ID } from './schemas.ts';
import { createDiscoverService, sourceNotFound, type DiscoverDeps } from './service.ts';

export interface DiscoverRouteDeps extends DiscoverDeps {
  jobs: Pick<JobClient, 'enqueue'>;
}

const SOURCE_PATTERN = new RegExp(SOURCE_ID);

function sourceIdOf(event: Pick<PorticoHttpEvent, 'pathParameters'>): string {
  const id = event.pathParameters?.sourceId ?? '';
  if (!SOURCE_PATTERN.test(id)) throw sourceNotFound();
  return id;
}

interface FeedParameters {
  sortBy: SortBy;
  pageSize: number;
  continuationToken?: string;
  tags?: string;
  sourceIds?: string;
  timeRange: TimeRange;
}

/** GET /api/scraper/items: a page of the global feed; the token is bound to the order and filters it was made for. */
export const listItems = (deps: DiscoverDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (event) => {
    const parameters = (event.queryStringParameters ?? {}) as unknown as FeedParameters;
    const query = { sortBy: parameters.sortBy, timeRange: parameters.timeRange, tags: csvOf(parameters.tags, true), sourceIds: csvOf(parameters.sourceIds, false) };
    const after = unwrapToken(query, parameters.continuationToken);
    const page = await service.feed(query, clampPageSize(parameters.pageSize), after);
    return json(200, { items: page.items, nextContinuationToken: wrapToken(query, page.last) ?? null });
  };
};

/**
 * POST /api/scraper/items/{itemId}/feedback: the caller's vote (one per item; a new vote replaces
 * it). An up-vote, as upstream, enqueues a taste job: the item's tags and brand become a weak
 * taste signal in the caller's profile (one job per user and item, so voting up again adds nothing).
 */
export const itemFeedback = (deps: DiscoverRouteDeps): PorticoHttpHandler<{ signal: Signal; galleryImageIndex?: number }> => {
  const service = createDiscoverService(deps);
  return async (event, context) => {
    const itemId = event.pathParameters?.itemId ?? '';
    if (!/^(brand_site|reddit)-[0-9a-f]{16}$/.test(itemId)) throw notFound('No such item.');
    const userId = ownerOf(context);
    const { vote, item } = await service.feedback(userId, itemId, event.json.signal, event.json.galleryImageIndex);
    if (vote.signal === 'up') {
      await enqueueTasteSignal(deps, { userId, source: 'feedback', sourceId: itemId, styleKeywords: item.tags, brands: item.brand ? [item.brand] : [] }, context);
    }
    return json(200, vote);
  };
};

/** GET /api/scraper/sources: the active sources, with the caller's subscriptions and whether a client should read a Reddit source now. */
export const listSources = (deps: DiscoverDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (_event, context) => json(200, { sources: await service.listSources(ownerOf(context)) });
};

/** Starts a brand-site run now, once per source and hour (asking again within the hour is the same job). */
async function startRun(deps: DiscoverRouteDeps, sourceId: string, context: { traceparent?: string }): Promise<void> {
  const runId = `sub-${isoSeconds(deps.clock.now()).slice(0, 13).replace(/[^0-9]/g, '')}`;
  await deps.jobs.enqueue(runJob, { sourceId, runId }, { jobId: runJobId(sourceId, runId), ...traceOf(context) });
}

/** POST /api/scraper/sources: a suggested brand site, checked and created (or found), the caller subscribed, a first run started; 201. */
export const suggestSource = (deps: DiscoverRouteDeps): PorticoHttpHandler<{ name: string; url: string; source_type?: string; sourceType?: string }> => {
  const service = createDiscoverService(deps);
  return async (event, context) => {
    const userId = ownerOf(context);
    const asked = event.json.source_type ?? event.json.sourceType ?? 'brand_site';
    const sourceType: SourceType = asked === 'brand' ? 'brand_site' : (asked as SourceType);
    const created = await service.suggestSource(userId, event.json.name, event.json.url, sourceType);
    await service.subscribe(userId, created.sourceId);
    await startRun(deps, created.sourceId, context);
    return json(201, { sourceId: created.sourceId, name: created.name, config: created.config });
  };
};

/** POST /api/scraper/subscribe/{sourceId}: 201, and a brand site's run starts. */
export const subscribe = (deps: DiscoverRouteDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (event, context) => {
    const sourceId = sourceIdOf(event);
    const source = await service.subscribe(ownerOf(context), sourceId);
    if (source.sourceType === 'brand_site') await startRun(deps, sourceId, context);
    return json(201, { sourceId, subscribed: true });
  };
};

/** DELETE /api/scraper/subscribe/{sourceId}: 200 whether or not the caller was subscribed. */
export const unsubscribe = (deps: DiscoverDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (event, context) => {
    const sourceId = sourceIdOf(event);
    await service.unsubscribe(ownerOf(context), sourceId);
    return json(200, { sourceId, subscribed: false });
  };
};

/** POST /api/scraper/lease/{sourceId}: a 15-minute lease for a client-side scrape; 409 while another user holds it. */
export const lease = (deps: DiscoverDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (event, context) => json(200, { status: 'ok', expiresAt: await service.lease(ownerOf(context), sourceIdOf(event)) });
};

/** POST /api/scraper/ingest/reddit: the posts a web client read for a Reddit source. */
export const ingestReddit = (deps: DiscoverDeps): PorticoHttpHandler<{ source_id: string; posts: RedditPost[] }> => {
  const service = createDiscoverService(deps);
  return async (event, context) => json(200, await service.ingestReddit(ownerOf(context), event.json.source_id, event.json.posts));
};

/** POST /api/scraper/run/{sourceId} (admin): reads a brand site now, in the request. */
export const runSource = (deps: DiscoverDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (event) => {
    const { sourceId, newItems } = await service.runSource(sourceIdOf(event));
    return json(200, { sourceId, newItems });
  };
};

/** POST /api/admin/unban/{targetUserId} (admin): lifts an ingest ban. */
export const unban = (deps: DiscoverDeps): PorticoHttpHandler => {
  const service = createDiscoverService(deps);
  return async (event) => {
    const userId = event.pathParameters?.targetUserId ?? '';
    if (!userId || userId.length > 1023) throw notFound('That user is not banned.');
    await service.unban(userId);
    return json(200, { status: 'unbanned', userId });
  };
};
