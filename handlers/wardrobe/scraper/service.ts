/**
 * The discover feed's application logic: the feed, votes, sources, subscriptions, leases,
 * the web client's Reddit ingest, and a brand site's run. Pages come through the SSRF-safe
 * fetcher port (`deps.safeHttp`, built with the scraper's fetch settings); parsing and item
 * shapes are the pure rules of domain/wardrobe/discover.ts and product-page.ts.
 */
import { settleWithConcurrency } from '../../../domain/concurrency.ts';
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError, badRequest, conflict, DocumentExistsError, forbidden, notFound, PreconditionFailedError } from '../../../domain/errors.ts';
import type { FileFetcher } from '../../../domain/capabilities/ports.ts';
import type { Clock, DocumentStore, FilterOp, FilterValue, Stored } from '../../../domain/ports.ts';
import { checkTargetUrl, classifyAddress, UrlRefusedError } from '../../../domain/wardrobe/address-policy.ts';
import {
  addStrike, BAN_STRIKES, brandSlug, clientUrlOk, GLOBAL_POOL, itemFromProduct, itemFromRedditPost, LEASE_MS, leaseActive, matchesFeed, mayLease,
  needsClientIngest, postUrls, sameOriginLinks, scrapedItemView, sitemapLocations, sortField, sortKeys, timeRangeStart,
  type FeedFilter, type RedditPost, type ScrapedItem, type Signal, type SortBy, type SourceType, type TimeRange,
} from '../../../domain/wardrobe/discover.ts';
import { scanLinks } from '../../../domain/wardrobe/html-scan.ts';
import type { PageFetcher, PageFetchSettings } from '../../../domain/wardrobe/page-fetch.ts';
import { parseProductPage } from '../../../domain/wardrobe/product-page.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { ScraperSettings } from './settings.ts';
import {
  ingestStandingContainer, scrapedItemId, scrapedItemsContainer, sourcesContainer, STANDING_ID, subscriptionsContainer, votesContainer,
  type ScrapedItemDoc, type SourceDoc, type StandingDoc, type SubscriptionDoc, type VoteDoc,
} from './store.ts';

export interface DiscoverDeps {
  documents: DocumentStore;
  clock: Clock;
  /** The SSRF-safe fetcher port, built with `settings.scraper.fetch`: pages, and the sitemap as a file. */
  safeHttp(settings: PageFetchSettings): PageFetcher & FileFetcher;
  settings: { scraper: ScraperSettings };
}

export interface FeedQuery extends FeedFilter {
  sortBy: SortBy;
  timeRange: TimeRange;
}

/** The source as the clients read it (not who holds the lease). */
export interface SourceView {
  id: string;
  name: string;
  sourceType: SourceType;
  isGlobal: boolean;
  lastScrapedAt: string | null;
  config: SourceDoc['config'];
  leaseExpiresAt: string | null;
  subscribed: boolean;
  needsClientIngest: boolean;
}

/** A feed request reads the store in batches of this many, and at most this many batches before answering a short page. */
const SCAN_BATCH = 200;
const SCAN_BATCHES = 10;
const SITEMAP_MAX_BYTES = 1024 * 1024;

export const sourceNotFound = () => notFound('No such source.');

export type DiscoverService = ReturnType<typeof createDiscoverService>;

export function createDiscoverService(deps: DiscoverDeps) {
  const { scraper } = deps.settings;
  const http = deps.safeHttp(scraper.fetch);
  const sources = deps.documents.repository<SourceDoc>(sourcesContainer);
  const items = deps.documents.repository<ScrapedItemDoc>(scrapedItemsContainer);
  const subscriptions = deps.documents.repository<SubscriptionDoc>(subscriptionsContainer);
  const votes = deps.documents.repository<VoteDoc>(votesContainer);
  const standing = deps.documents.repository<StandingDoc>(ingestStandingContainer);
  const now = () => deps.clock.now();

  async function source(sourceId: string): Promise<Stored<SourceDoc>> {
    const found = await sources.get(sourceId, GLOBAL_POOL);
    if (!found?.isActive) throw sourceNotFound();
    return found;
  }

  /** The configured Reddit sources exist (created once, by whichever request first lists them). */
  async function ensureRedditSources(): Promise<void> {
    for (const subreddit of scraper.redditSubreddits) {
      const id = `reddit-${subreddit.toLowerCase()}`;
      if (await sources.get(id, GLOBAL_POOL)) continue;
      const doc: SourceDoc = {
        id, userId: GLOBAL_POOL, name: `r/${subreddit}`, sourceType: 'reddit', isGlobal: true, isActive: true, config: { subreddit },
        lastScrapedAt: null, leaseExpiresAt: null, leaseHolder: null, createdAt: isoSeconds(now()),
      };
      await sources.create(doc).catch((error: unknown) => {
        if (!(error instanceof DocumentExistsError)) throw error;
      });
    }
  }

  /** Writes an item found again without losing its votes; answers whether it is new. */
  async function saveItem(id: string, fields: Omit<ScrapedItem, 'id' | 'scoreSignal'>): Promise<boolean> {
    let created = false;
    await readModifyWrite(items, id, GLOBAL_POOL, (current) => {
      created = current === undefined;
      // A repeat keeps the item's first scrape time (its place in `recent`) and its votes.
      const scrapedAt = current?.scrapedAt ?? fields.scrapedAt;
      const scoreSignal = current?.scoreSignal ?? 0;
      return { ...fields, id, scrapedAt, scoreSignal, ...sortKeys({ id, scoreSignal, scrapedAt }) };
    });
    return created;
  }

  async function strike(userId: string): Promise<void> {
    await readModifyWrite(standing, STANDING_ID, userId, (current) => {
      const strikes = addStrike(current?.strikes ?? [], now());
      const bannedAt = current?.bannedAt ?? (strikes.length >= BAN_STRIKES ? isoSeconds(now()) : null);
      return { id: STANDING_ID, userId, strikes, bannedAt };
    });
  }

  return {
    /** A page of the feed: keyset on the order's sort key, filters applied while reading, never more than SCAN_BATCHES reads. */
    async feed(query: FeedQuery, pageSize: number, after: string | undefined): Promise<{ items: ScrapedItem[]; last: string | undefined }> {
      const field = sortField(query.sortBy);
      const since = timeRangeStart(query.timeRange, now());
      const base: { field: string; op: FilterOp; value: FilterValue }[] = [];
      if (since) base.push({ field: 'scrapedAt', op: '>=', value: since });
      if (query.sourceIds.length === 1) base.push({ field: 'sourceId', op: '=', value: query.sourceIds[0]! });
      const found: ScrapedItemDoc[] = [];
      let cursor = after;
      for (let batch = 0; batch < SCAN_BATCHES; batch++) {
        const page = await items.query({
          partitionKey: GLOBAL_POOL,
          filters: cursor === undefined ? base : [...base, { field, op: '<', value: cursor }],
          orderBy: { field, direction: 'desc' },
          limit: SCAN_BATCH,
        });
        for (const doc of page.items) {
          cursor = doc[field];
          if (!matchesFeed(doc, query)) continue;
          found.push(doc);
          // One more than asked for says whether there is a next page.
          if (found.length > pageSize) return { items: found.slice(0, pageSize).map(scrapedItemView), last: found[pageSize - 1]![field] };
        }
        if (page.items.length < SCAN_BATCH) return { items: found.map(scrapedItemView), last: undefined };
      }
      // The scan budget ran out: a short page, and the token resumes where the reading stopped.
      return { items: found.map(scrapedItemView), last: cursor };
    },

    /**
     * One vote per user and item: voting again replaces the vote, so the item's score moves by
     * the difference. A crash between the vote and the score leaves the score behind by that
     * one change, never ahead (a retry finds the vote already there and moves nothing).
     */
    async feedback(userId: string, itemId: string, signal: Signal, galleryImageIndex: number | undefined): Promise<{ vote: { itemId: string; signal: Signal; scoreSignal: number }; item: Pick<ScrapedItem, 'tags' | 'brand'> }> {
      const item = await items.get(itemId, GLOBAL_POOL);
      if (!item) throw notFound('No such item.');
      if (galleryImageIndex !== undefined && galleryImageIndex >= Math.max(1, item.galleryImages?.length ?? 0)) {
        throw badRequest('gallery_index_out_of_range', `The item has ${item.galleryImages?.length ?? 0} gallery images.`, [{ pointer: '/body/galleryImageIndex', detail: 'out of range' }]);
      }
      const value = signal === 'up' ? 1 : -1;
      // The vote is written first, ETag-guarded, so two votes of one user at once cannot both
      // count from the same previous vote: the loser reads the winner's vote and moves from it.
      let delta = 0;
      const vote: VoteDoc = { id: itemId, userId, itemId, signal, galleryImageIndex: galleryImageIndex ?? null, votedAt: isoSeconds(now()) };
      await readModifyWrite(votes, itemId, userId, (previous) => {
        delta = value - (previous ? (previous.signal === 'up' ? 1 : -1) : 0);
        return vote;
      });
      if (delta !== 0) {
        await readModifyWrite(items, itemId, GLOBAL_POOL, (current) => {
          if (!current) throw notFound('No such item.');
          const scoreSignal = (current.scoreSignal ?? 0) + delta;
          return { ...current, scoreSignal, ...sortKeys({ id: current.id, scoreSignal, scrapedAt: current.scrapedAt }) };
        });
      }
      return { vote: { itemId, signal, scoreSignal: value }, item: { tags: item.tags ?? [], brand: item.brand ?? null } };
    },

    async listSources(userId: string): Promise<SourceView[]> {
      await ensureRedditSources();
      const all: SourceDoc[] = [];
      let continuation: string | undefined;
      do {
        const page = await sources.query({ partitionKey: GLOBAL_POOL, filters: [{ field: 'isActive', op: '=', value: true }], orderBy: { field: 'id', direction: 'asc' }, limit: 1000, ...(continuation ? { continuation } : {}) });
        all.push(...page.items);
        continuation = page.continuation;
      } while (continuation);
      const mine = new Set<string>();
      continuation = undefined;
      do {
        const page = await subscriptions.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }], limit: 1000, ...(continuation ? { continuation } : {}) });
        for (const subscription of page.items) mine.add(subscription.sourceId);
        continuation = page.continuation;
      } while (continuation);
      const at = now();
      return all.map((doc) => ({
        id: doc.id, name: doc.name, sourceType: doc.sourceType, isGlobal: doc.isGlobal, lastScrapedAt: doc.lastScrapedAt, config: doc.config,
        leaseExpiresAt: leaseActive(doc, at) ? doc.leaseExpiresAt : null, subscribed: mine.has(doc.id), needsClientIngest: needsClientIngest(doc, at),
      }));
    },

    /**
     * A suggested brand site: https, a host name (not an IP literal) that resolves only to
     * public addresses, and a page that answers. The suggester is subscribed to it.
     */
    async suggestSource(userId: string, name: string, url: string, sourceType: SourceType): Promise<{ sourceId: string; name: string; config: SourceDoc['config']; created: boolean }> {
      if (sourceType !== 'brand_site') throw badRequest('source_type_not_allowed', 'Only brand sites can be suggested; Reddit sources are configured by the operator.', [{ pointer: '/body/source_type', detail: 'must be brand_site' }]);
      const checked = checkTargetUrl(url, scraper.fetch);
      const loopbackTest = scraper.fetch.allowLoopback && classifyAddress(checked.host) === 'loopback';
      if (checked.literal && !loopbackTest) throw new UrlRefusedError('url_not_allowed', 'A source is named by its host name, not an IP address.');
      if (checked.url.protocol !== 'https:' && !loopbackTest) throw new UrlRefusedError('url_scheme_not_allowed', 'A source must be an https URL.');
      const slug = brandSlug(name);
      if (!slug) throw badRequest('name_invalid', 'The name needs at least one letter or digit.', [{ pointer: '/body/name', detail: 'no letters or digits' }]);
      // Resolves the host under the address policy (a private address is 400 url_not_allowed) and proves the site answers.
      const page = await http.fetchPage(checked.url.href);
      const config = { listingUrls: [page.url], sitemapUrl: new URL('/sitemap.xml', page.url).href };
      const sourceId = `brand-${slug}`;
      const doc: SourceDoc = {
        id: sourceId, userId: GLOBAL_POOL, name: name.trim(), sourceType: 'brand_site', isGlobal: false, isActive: true, config,
        lastScrapedAt: null, leaseExpiresAt: null, leaseHolder: null, createdAt: isoSeconds(now()),
      };
      let created = true;
      await sources.create(doc).catch((error: unknown) => {
        if (!(error instanceof DocumentExistsError)) throw error;
        created = false;
      });
      if (!created) {
        const existing = await source(sourceId);
        return { sourceId, name: existing.name, config: existing.config, created };
      }
      return { sourceId, name: doc.name, config, created };
    },

    /** Subscribes (again: no change); answers the source, so the route can start its run. */
    async subscribe(userId: string, sourceId: string): Promise<SourceDoc> {
      const found = await source(sourceId);
      await subscriptions.upsert({ id: sourceId, userId, sourceId, subscribedAt: isoSeconds(now()) });
      return found;
    },

    /** Not subscribed is the same answer as unsubscribed. */
    async unsubscribe(userId: string, sourceId: string): Promise<void> {
      await subscriptions.delete(sourceId, userId);
    },

    /** A 15-minute lease for a client-side scrape: 409 while another user holds it, renewed for its holder. */
    async lease(userId: string, sourceId: string): Promise<string> {
      for (;;) {
        const current = await source(sourceId);
        const at = now();
        if (!mayLease(current, userId, at)) throw conflict('lease_held', 'Another user is reading this source; try again later.');
        const expiresAt = isoSeconds(at.getTime() + LEASE_MS);
        try {
          await sources.replace({ ...current, leaseHolder: userId, leaseExpiresAt: expiresAt }, current.etag);
          return expiresAt;
        } catch (error) {
          // Someone wrote between the read and the write: read again (it may now be their lease).
          if (!(error instanceof PreconditionFailedError)) throw error;
        }
      }
    },

    /**
     * Reddit posts the web client read for a source it leased. A post naming a URL that is not
     * relative or public https refuses the whole request (400) and counts a strike; BAN_STRIKES
     * in a day close ingest to the user (403) until an admin lifts it.
     */
    async ingestReddit(userId: string, sourceId: string, posts: readonly RedditPost[]): Promise<{ count: number; status: 'ok' | 'no_valid_items'; verified: true }> {
      const standingDoc = await standing.get(STANDING_ID, userId);
      if (standingDoc?.bannedAt) throw forbidden('Ingest is closed to this account after repeated refused posts.');
      const found = await source(sourceId);
      if (found.sourceType !== 'reddit') throw badRequest('not_a_reddit_source', 'This source is not a Reddit source.', [{ pointer: '/body/source_id', detail: 'not a reddit source' }]);
      const refused = posts.findIndex((post) => !postUrls(post).every(clientUrlOk));
      if (refused >= 0) {
        await strike(userId);
        throw badRequest('url_not_allowed', 'A post names a URL that is neither relative nor public https.', [{ pointer: `/body/posts/${refused}`, detail: 'url not allowed' }]);
      }
      const at = now();
      if (!mayLease(found, userId, at)) throw conflict('lease_held', 'Another user is reading this source.');
      let count = 0;
      const seen = new Set<string>();
      for (const post of posts) {
        const fields = itemFromRedditPost(post, found, at);
        const id = scrapedItemId('reddit', `${sourceId}\n${post.id}`);
        if (!fields || seen.has(id)) continue;
        seen.add(id);
        await saveItem(id, fields);
        count++;
      }
      // Read now: the lease is done with, and the source does not ask for a client for four hours.
      await readModifyWrite(sources, sourceId, GLOBAL_POOL, (current) =>
        current && { ...current, lastScrapedAt: isoSeconds(at), ...(current.leaseHolder === userId ? { leaseHolder: null, leaseExpiresAt: null } : {}) });
      return { count, status: count > 0 ? 'ok' : 'no_valid_items', verified: true };
    },

    /**
     * Reads a brand site into the feed: the sitemap (when there is one) and the listing pages
     * give candidate URLs on the site, deduplicated; the first SCRAPER_MAX_PRODUCTS_PER_RUN are
     * read, SCRAPER_MAX_CONCURRENCY at once, and each with product data becomes (or refreshes)
     * an item whose id comes from its URL. A listing page that fails fails the run.
     */
    async runSource(sourceId: string, signal?: AbortSignal): Promise<{ sourceId: string; newItems: number; products: number; failed: number }> {
      const found = await source(sourceId);
      if (found.sourceType !== 'brand_site') throw new AppError(422, 'client_ingested_source', 'Reddit sources are read by the clients (lease, then ingest), not by the server.');
      const max = scraper.maxProductsPerRun;
      const candidates = new Set<string>();
      if (found.config.sitemapUrl) {
        try {
          const file = await http.fetchFile(found.config.sitemapUrl, { maxBytes: SITEMAP_MAX_BYTES, ...(signal ? { signal } : {}) });
          const xml = new TextDecoder().decode(file.bytes);
          for (const url of sameOriginLinks(sitemapLocations(xml, max * 4), file.url, max)) candidates.add(url);
        } catch {
          // Most sites have no sitemap at the conventional path; the listing pages still name the products.
        }
      }
      for (const listing of found.config.listingUrls ?? []) {
        const page = await http.fetchPage(listing, signal);
        for (const url of sameOriginLinks(scanLinks(page.html), page.url, max * 4)) candidates.add(url);
      }
      const urls = [...candidates].slice(0, max);
      const at = now();
      const outcomes = await settleWithConcurrency(urls, scraper.maxConcurrency, async (url) => {
        const page = await http.fetchPage(url, signal);
        const product = parseProductPage(page.html, page.url);
        if (!product) return false;
        return saveItem(scrapedItemId('brand_site', page.url), itemFromProduct(product, page.url, found, at));
      });
      await readModifyWrite(sources, sourceId, GLOBAL_POOL, (current) => current && { ...current, lastScrapedAt: isoSeconds(at) });
      return {
        sourceId,
        newItems: outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value).length,
        products: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
        failed: outcomes.filter((outcome) => outcome.status === 'rejected').length,
      };
    },

    /** Every active brand-site source someone subscribes to (what the daily timer runs). */
    async subscribedBrandSources(): Promise<string[]> {
      const ids = new Set<string>();
      let continuation: string | undefined;
      do {
        const page = await subscriptions.query({ orderBy: { field: 'sourceId', direction: 'asc' }, limit: 1000, ...(continuation ? { continuation } : {}) });
        for (const subscription of page.items) ids.add(subscription.sourceId);
        continuation = page.continuation;
      } while (continuation);
      const brand: string[] = [];
      for (const id of [...ids].sort()) {
        const found = await sources.get(id, GLOBAL_POOL);
        if (found?.isActive && found.sourceType === 'brand_site') brand.push(id);
      }
      return brand;
    },

    /** Lifts an ingest ban (and its strikes); 404 when the user is not banned. */
    async unban(targetUserId: string): Promise<void> {
      const current = await standing.get(STANDING_ID, targetUserId);
      if (!current?.bannedAt) throw notFound('That user is not banned.');
      await standing.delete(STANDING_ID, targetUserId);
    },
  };
}
