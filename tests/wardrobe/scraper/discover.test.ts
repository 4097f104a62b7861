/**
 * The discover feed through the real httpHandler stack, the real SSRF-safe fetcher against a
 * local shop, and the real job worker on memory ports: sources, suggestions, subscriptions,
 * leases, Reddit ingest, brand-site runs, the feed's paging and filters, votes, bans, admin.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Resolver } from '../../../adapters/http/safe-fetch.ts';
import type { DeadLetterRecord } from '../../../jobs/dead-letters.ts';
import { scrapedItemId } from '../../../handlers/wardrobe/scraper/store.ts';
import { sortKeys } from '../../../domain/wardrobe/discover.ts';
import { isoSeconds } from '../../../domain/time.ts';
import { discoverHarness, html, productPage, startShop, status, type Reply, type Shop } from './support.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop.close());

const problem = (reply: Reply, statusCode: number, code: string) => {
  expect(reply.statusCode).toBe(statusCode);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  expect(reply.json.code).toBe(code);
};

const listing = (...paths: string[]) => html(`<!doctype html><html><body>${paths.map((path) => `<a href="${path}">x</a>`).join(' ')}</body></html>`);
const product = (name: string, price: number, extra: Record<string, unknown> = {}) => html(productPage({ name, brand: 'Acme', image: '/img.jpg', offers: { price, priceCurrency: 'EUR' }, ...extra }));

/** A raw Reddit `children[].data` object, with the extra fields Reddit sends. */
function post(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id, title: `Fit check ${id}: wool shirt`, subreddit: 'streetwear', permalink: `/r/streetwear/comments/${id}/fit/`, url: `https://i.redd.it/${id}.jpg`,
    score: 120, over_18: false, created_utc: 1_795_000_000, selftext: '', author: 'someone', num_comments: 3, link_flair_text: 'WDYWT', thumbnail: 'default', ...overrides,
  };
}

describe('brand sites: suggested, checked, read by a job', () => {
  it('suggests a site (the web sends sourceType "brand"), subscribes the suggester, and the queued run reads the sitemap and listing into the feed, deduplicated', async () => {
    const h = discoverHarness();
    shop.pages.set('/', listing('/p/coat', '/p/coat#reviews', '/p/scarf', '/about', 'https://elsewhere.example/p/x', '/p/gone'));
    shop.pages.set('/sitemap.xml', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(`<?xml version="1.0"?><urlset><url><loc>${shop.url('/p/boots')}</loc></url><url><loc>${shop.url('/p/coat')}</loc></url></urlset>`);
    });
    shop.pages.set('/p/coat', product('Wool Coat', 300, { category: 'Outerwear > Coats' }));
    shop.pages.set('/p/scarf', product('Cashmere Scarf', 89.5));
    shop.pages.set('/p/boots', product('Chelsea Boots', 180));
    shop.pages.set('/about', html('<html><head><title>About us</title></head><body>Since 1900</body></html>'));

    const suggested = await h.api.suggest('ann', { name: 'Acme Clothing', url: shop.url('/'), sourceType: 'brand' });
    expect(suggested).toMatchObject({ statusCode: 201, json: { sourceId: 'brand-acme-clothing', name: 'Acme Clothing', config: { listingUrls: [shop.url('/')], sitemapUrl: shop.url('/sitemap.xml') } } });
    const sources = (await h.api.sources('ann')).json.sources as { id: string; subscribed: boolean; isGlobal: boolean }[];
    expect(sources.find((source) => source.id === 'brand-acme-clothing')).toMatchObject({ subscribed: true, isGlobal: false });

    expect(await h.drain()).toBe(1);
    const feed = await h.api.items('ann', 'sortBy=recent');
    expect(feed.statusCode).toBe(200);
    const titles = (feed.json.items as { title: string }[]).map((item) => item.title).sort();
    expect(titles).toEqual(['Cashmere Scarf', 'Chelsea Boots', 'Wool Coat']);
    const coat = (feed.json.items as Record<string, unknown>[]).find((item) => item.title === 'Wool Coat');
    expect(coat).toEqual({
      id: scrapedItemId('brand_site', shop.url('/p/coat')), userId: 'global', sourceId: 'brand-acme-clothing', sourceType: 'brand_site', title: 'Wool Coat',
      description: null, imageUrl: shop.url('/img.jpg'), productUrl: shop.url('/p/coat'), buyLinks: [{ platform: 'Acme', url: shop.url('/p/coat'), label: 'Buy' }],
      price: '300 EUR', brand: 'Acme', tags: ['outerwear', 'coats', 'acme'],
      galleryImages: [shop.url('/img.jpg')], commentText: null, redditScore: null, scoreSignal: 0, scrapedAt: isoSeconds(h.clock.now()), sourceCreatedAt: null, imageExpired: false,
    });
    expect(feed.json.nextContinuationToken).toBeNull();
    expect((await h.repo.sources.get('brand-acme-clothing', 'global'))?.lastScrapedAt).toBe(isoSeconds(h.clock.now()));

    // Suggesting it again finds the same source (and starts no second run within the hour).
    expect(await h.api.suggest('bob', { name: 'ACME clothing!', url: shop.url('/') })).toMatchObject({ statusCode: 201, json: { sourceId: 'brand-acme-clothing', name: 'Acme Clothing' } });
    expect(await h.drain()).toBe(0);

    // The admin's run-now: nothing new, then a new product on the listing is one new item; a normal user is 403.
    expect(await h.api.run('ops', 'brand-acme-clothing')).toMatchObject({ statusCode: 200, json: { sourceId: 'brand-acme-clothing', newItems: 0 } });
    shop.pages.set('/', listing('/p/coat', '/p/scarf', '/p/hat'));
    shop.pages.set('/p/hat', product('Wool Beanie', 25));
    expect(await h.api.run('ops', 'brand-acme-clothing')).toEqual(expect.objectContaining({ statusCode: 200, json: { sourceId: 'brand-acme-clothing', newItems: 1 } }));
    problem(await h.api.run('ann', 'brand-acme-clothing'), 403, 'forbidden');
    problem(await h.api.run('ops', 'brand-nope'), 404, 'not_found');
    problem(await h.api.run('ops', 'reddit-streetwear'), 422, 'client_ingested_source');
    shop.pages.delete('/sitemap.xml');
  });

  it('refuses a suggestion that is not a public https host name, and stores nothing', async () => {
    // A resolver the test controls: one name is private, one is public (and never answers).
    const resolve: Resolver = async (hostname) => [{ address: hostname === 'intranet.example' ? '10.0.0.5' : '93.184.216.34', family: 4 }];
    const h = discoverHarness({ resolve, fetch: { allowLoopback: false, timeoutMs: 300 } });
    problem(await h.api.suggest('ann', { name: 'Intranet', url: 'https://intranet.example/' }), 400, 'url_not_allowed');
    problem(await h.api.suggest('ann', { name: 'Literal', url: 'https://93.184.216.34/' }), 400, 'url_not_allowed');
    problem(await h.api.suggest('ann', { name: 'Local', url: shop.url('/') }), 400, 'url_not_allowed');
    problem(await h.api.suggest('ann', { name: 'Plain', url: 'http://shop.example/' }), 400, 'url_scheme_not_allowed');
    problem(await h.api.suggest('ann', { name: 'Creds', url: 'https://user:pw@shop.example/' }), 400, 'url_credentials_not_allowed');
    problem(await h.api.suggest('ann', { name: 'Ftp', url: 'ftp://shop.example/' }), 400, 'url_scheme_not_allowed');
    problem(await h.api.suggest('ann', { name: '!!!', url: 'https://shop.example/' }), 400, 'name_invalid');
    problem(await h.api.suggest('ann', { name: 'Sub', url: 'https://shop.example/', source_type: 'reddit' }), 400, 'source_type_not_allowed');
    problem(await h.api.suggest('ann', { url: 'https://shop.example/' }), 400, 'validation_failed');
    problem(await h.api.suggest('ann', { name: 'Shop\u202e', url: 'https://shop.example/' }), 400, 'validation_failed');
    expect((await h.repo.sources.query({ limit: 100 })).items).toEqual([]);
  });

  it('a listing page that is down fails the job, which is retried; a product page that fails is skipped', async () => {
    const h = discoverHarness();
    shop.pages.set('/down/', listing('/down/ok', '/down/broken'));
    shop.pages.set('/down/ok', product('Linen Shirt', 60));
    shop.pages.set('/down/broken', status(500));
    expect((await h.api.suggest('ann', { name: 'Downtown', url: shop.url('/down/') })).statusCode).toBe(201);
    shop.pages.set('/down/', status(503));
    expect(await h.drain()).toBe(1);
    expect((await h.api.items('ann')).json.items).toEqual([]);
    // The runtime's retry comes back after its backoff; the listing is up again.
    shop.pages.set('/down/', listing('/down/ok', '/down/broken'));
    h.clock.advance(120_000);
    expect(await h.drain()).toBe(1);
    expect((await h.api.items('ann')).json.items.map((item: { title: string }) => item.title)).toEqual(['Linen Shirt']);
  });

  it('a listing that stays down is dead-lettered after its retries; one that is gone (410) at once', async () => {
    const h = discoverHarness();
    shop.pages.set('/dl-down/', listing('/dl-down/a'));
    shop.pages.set('/dl-gone/', listing('/dl-gone/a'));
    expect((await h.api.suggest('ann', { name: 'Down Shop', url: shop.url('/dl-down/') })).statusCode).toBe(201);
    expect((await h.api.suggest('ann', { name: 'Gone Shop', url: shop.url('/dl-gone/') })).statusCode).toBe(201);
    shop.pages.set('/dl-down/', status(503));
    shop.pages.set('/dl-gone/', status(410));
    for (let round = 0; round < 5; round++) {
      await h.drain();
      h.clock.advance(120_000);
    }
    const letters = (await h.runtime.deadLetters.list({ limit: 10, type: 'wardrobe.scraper-run' })).items as DeadLetterRecord[];
    const bySource = new Map(letters.map((letter) => [(letter.envelope?.payload as { sourceId: string }).sourceId, letter]));
    expect(bySource.get('brand-down-shop')).toMatchObject({ reason: 'max_attempts', attempts: 3 });
    expect(bySource.get('brand-down-shop')!.lastError).toContain('The site answered 503.');
    expect(bySource.get('brand-gone-shop')).toMatchObject({ reason: 'permanent_failure', attempts: 1 });
    expect(await h.deps.queue.count('scraper-jobs')).toBe(0);
  });

  it('the daily timer enqueues one run per subscribed brand site, once per slot', async () => {
    const h = discoverHarness();
    shop.pages.set('/daily/', listing('/daily/a'));
    shop.pages.set('/daily/a', product('Denim Jacket', 120));
    expect((await h.api.suggest('ann', { name: 'Daily', url: shop.url('/daily/') })).statusCode).toBe(201);
    expect(await h.drain()).toBe(1);
    await h.fire('2026-11-23T04:00:02Z');
    await h.fire('2026-11-23T04:00:09Z');
    expect(await h.deps.queue.count('scraper-jobs')).toBe(1);
    expect(await h.drain()).toBe(1);
    // Nobody subscribed: nothing to run.
    expect((await h.api.unsubscribe('ann', 'brand-daily')).json).toEqual({ sourceId: 'brand-daily', subscribed: false });
    await h.fire('2026-11-24T04:00:02Z');
    expect(await h.deps.queue.count('scraper-jobs')).toBe(0);
  });
});

describe('sources, subscriptions and leases', () => {
  it('lists the configured Reddit source, which asks for a client until it is leased or read', async () => {
    const h = discoverHarness();
    const first = await h.api.sources('ann');
    expect(first).toMatchObject({ statusCode: 200 });
    expect(first.json.sources).toEqual([
      { id: 'reddit-streetwear', name: 'r/streetwear', sourceType: 'reddit', isGlobal: true, lastScrapedAt: null, config: { subreddit: 'streetwear' }, leaseExpiresAt: null, subscribed: false, needsClientIngest: true },
    ]);
    expect(await h.api.subscribe('ann', 'reddit-streetwear')).toMatchObject({ statusCode: 201, json: { sourceId: 'reddit-streetwear', subscribed: true } });
    // A Reddit source is read by clients: subscribing starts no server job.
    expect(await h.deps.queue.count('scraper-jobs')).toBe(0);
    expect((await h.api.sources('ann')).json.sources[0].subscribed).toBe(true);
    expect((await h.api.sources('bob')).json.sources[0].subscribed).toBe(false);

    const lease = await h.api.lease('ann', 'reddit-streetwear');
    const expiresAt = isoSeconds(h.clock.now().getTime() + 15 * 60_000);
    expect(lease).toMatchObject({ statusCode: 200, json: { status: 'ok', expiresAt } });
    expect((await h.api.sources('bob')).json.sources[0]).toMatchObject({ leaseExpiresAt: expiresAt, needsClientIngest: false });
    problem(await h.api.lease('bob', 'reddit-streetwear'), 409, 'lease_held');
    expect((await h.api.lease('ann', 'reddit-streetwear')).statusCode).toBe(200);
    h.clock.advance(16 * 60_000);
    expect((await h.api.sources('bob')).json.sources[0]).toMatchObject({ leaseExpiresAt: null, needsClientIngest: true });
    expect((await h.api.lease('bob', 'reddit-streetwear')).statusCode).toBe(200);
    problem(await h.api.lease('bob', 'reddit-nope'), 404, 'not_found');
    problem(await h.api.lease('bob', 'Not..An Id'), 404, 'not_found');
  });

  it('unsubscribing is 200 whether or not the caller was subscribed; subscribing to an unknown source is 404', async () => {
    const h = discoverHarness();
    await h.api.sources('ann');
    expect((await h.api.subscribe('ann', 'reddit-streetwear')).statusCode).toBe(201);
    for (let round = 0; round < 2; round++) expect(await h.api.unsubscribe('ann', 'reddit-streetwear')).toMatchObject({ statusCode: 200, json: { sourceId: 'reddit-streetwear', subscribed: false } });
    expect((await h.api.sources('ann')).json.sources[0].subscribed).toBe(false);
    problem(await h.api.subscribe('ann', 'brand-unknown'), 404, 'not_found');
  });
});

describe('Reddit ingest', () => {
  async function leased() {
    const h = discoverHarness();
    await h.api.sources('ann');
    expect((await h.api.lease('ann', 'reddit-streetwear')).statusCode).toBe(200);
    return h;
  }

  it('stores posts with an image, skips adult, imageless and other-subreddit posts, keeps gallery order, and a repeat is the same item with its votes', async () => {
    const h = await leased();
    const gallery = post('g1', {
      url: 'https://www.reddit.com/gallery/g1', is_gallery: true,
      media_metadata: { b: { s: { u: 'https://preview.redd.it/b.jpg?width=640&amp;s=2' } }, a: { s: { u: 'https://preview.redd.it/a.jpg?width=640&amp;s=1' } } },
      gallery_data: { items: [{ media_id: 'a' }, { media_id: 'b' }] },
    });
    const posts = [post('p1'), gallery, post('nsfw', { over_18: true }), post('text', { url: '/r/streetwear/comments/text/fit/' }), post('other', { subreddit: 'malefashion' })];
    const reply = await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts });
    expect(reply).toMatchObject({ statusCode: 200, json: { count: 2, status: 'ok', verified: true } });

    const items = (await h.api.items('ann', 'sortBy=recent')).json.items as Record<string, unknown>[];
    const byTitle = new Map(items.map((item) => [item.title, item]));
    expect(byTitle.get('Fit check g1: wool shirt')).toMatchObject({
      id: scrapedItemId('reddit', 'reddit-streetwear\ng1'), sourceType: 'reddit', imageUrl: 'https://preview.redd.it/a.jpg?width=640&s=1',
      galleryImages: ['https://preview.redd.it/a.jpg?width=640&s=1', 'https://preview.redd.it/b.jpg?width=640&s=2'],
      productUrl: 'https://www.reddit.com/r/streetwear/comments/g1/fit/', redditScore: 120, sourceCreatedAt: isoSeconds(1_795_000_000_000), tags: ['streetwear', 'tops'],
    });
    expect(items).toHaveLength(2);
    // Ingested: the lease is released and the source does not ask for a client for four hours.
    expect((await h.api.sources('bob')).json.sources[0]).toMatchObject({ leaseExpiresAt: null, needsClientIngest: false, lastScrapedAt: isoSeconds(h.clock.now()) });

    const id = scrapedItemId('reddit', 'reddit-streetwear\np1');
    expect((await h.api.feedback('bob', id, { signal: 'up' })).statusCode).toBe(200);
    h.clock.advance(60_000);
    expect((await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('p1', { score: 999 })] })).json).toEqual({ count: 1, status: 'ok', verified: true });
    expect(await h.repo.items.get(id, 'global')).toMatchObject({ redditScore: 999, scoreSignal: 1 });
    expect((await h.api.items('ann')).json.items).toHaveLength(2);

    expect((await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('x', { over_18: true })] })).json).toEqual({ count: 0, status: 'no_valid_items', verified: true });
  });

  it('refuses bad bodies with problem+json 400s (not FastAPI 422s), another holder with 409, unknown sources with 404', async () => {
    const h = await leased();
    const { id: _id, ...noId } = post('a');
    problem(await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [noId] }), 400, 'validation_failed');
    problem(await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('a', { score: 'lots' })] }), 400, 'validation_failed');
    problem(await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: Array.from({ length: 101 }, (_, index) => post(`n${index}`)) }), 400, 'validation_failed');
    problem(await h.api.ingest('ann', { sourceId: 'reddit-streetwear', posts: [] }), 400, 'validation_failed');
    // Reddit's own (snake_case) fields pass; a name Reddit would not write is refused.
    problem(await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('a', { sourceId: 'x' })] }), 400, 'validation_failed');
    problem(await h.api.ingest('ann', '{not json'), 400, 'malformed_json');
    problem(await h.api.ingest('ann', { source_id: 'reddit-nope', posts: [post('a')] }), 404, 'not_found');
    problem(await h.api.ingest('bob', { source_id: 'reddit-streetwear', posts: [post('a')] }), 409, 'lease_held');
    expect((await h.repo.items.query({ limit: 10 })).items).toEqual([]);
  });

  it('a post naming a URL that is not relative or public https is refused and counts a strike; three in a day close ingest until an admin lifts the ban', async () => {
    const h = await leased();
    const bad = [
      post('m', { url: 'http://169.254.169.254/latest/meta-data/' }),
      post('h', { url: 'http://i.redd.it/h.jpg' }),
      post('l', { permalink: 'https://10.0.0.1/r/x' }),
    ];
    for (const refused of bad) {
      problem(await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('fine'), refused] }), 400, 'url_not_allowed');
    }
    expect((await h.repo.items.query({ limit: 10 })).items).toEqual([]);
    problem(await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('fine')] }), 403, 'forbidden');

    problem(await h.api.unban('ann', 'ann'), 403, 'forbidden');
    problem(await h.api.unban('ops', 'bob'), 404, 'not_found');
    expect(await h.api.unban('ops', 'ann')).toMatchObject({ statusCode: 200, json: { status: 'unbanned', userId: 'ann' } });
    expect((await h.api.ingest('ann', { source_id: 'reddit-streetwear', posts: [post('fine')] })).json).toMatchObject({ count: 1 });
  });
});

describe('the feed', () => {
  /** 40 items over two sources, three tag sets and two days, each with an embedding and a pHash stored beside it. */
  async function seeded() {
    const h = discoverHarness();
    const now = h.clock.now().getTime();
    const docs = Array.from({ length: 40 }, (_, index) => {
      const sourceType = index % 2 === 0 ? 'brand_site' : 'reddit';
      const id = scrapedItemId(sourceType, `item-${index}`);
      // Scores collide on purpose (ties are broken by time, then id); some items are older than a day.
      const scoreSignal = (index % 5) - 2;
      const scrapedAt = isoSeconds(now - (index % 3) * 20 * 3_600_000 - index * 1000);
      return {
        id, userId: 'global' as const, sourceId: sourceType === 'brand_site' ? 'brand-acme' : 'reddit-streetwear', sourceType: sourceType as 'brand_site' | 'reddit',
        title: `Item ${index}`, description: null, imageUrl: null, productUrl: null, buyLinks: [], price: null, brand: null,
        tags: [['tops'], ['shoes', 'Acme'.toLowerCase()], []][index % 3]!, galleryImages: [], commentText: null, redditScore: null, scoreSignal, scrapedAt, sourceCreatedAt: null,
        imageExpired: false, embedding: [0.1, 0.2, 0.3], pHash: 'ffee00', ...sortKeys({ id, scoreSignal, scrapedAt }),
      };
    });
    for (const doc of docs) await h.repo.items.create(doc);
    return { h, docs };
  }

  type Doc = Awaited<ReturnType<typeof seeded>>['docs'][number];
  const byScore = (a: Doc, b: Doc) => b.scoreSignal - a.scoreSignal || b.scrapedAt.localeCompare(a.scrapedAt) || b.id.localeCompare(a.id);
  const byRecent = (a: Doc, b: Doc) => b.scrapedAt.localeCompare(a.scrapedAt) || b.id.localeCompare(a.id);

  async function allPages(h: Awaited<ReturnType<typeof seeded>>['h'], query: string, pageSize: number) {
    const ids: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const reply: Reply = await h.api.items('ann', `${query}&pageSize=${pageSize}${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
      expect(reply.statusCode).toBe(200);
      expect(reply.json.items.length).toBeLessThanOrEqual(pageSize);
      for (const item of reply.json.items as Record<string, unknown>[]) {
        expect(item).not.toHaveProperty('embedding');
        expect(item).not.toHaveProperty('pHash');
        expect(item).not.toHaveProperty('sortScore');
        ids.push(item.id as string);
      }
      token = reply.json.nextContinuationToken as string | null;
      pages++;
    } while (token !== null && pages < 50);
    return { ids, pages };
  }

  it('pages by score (the default) and by recency to the last page, with no item repeated or skipped', async () => {
    const { h, docs } = await seeded();
    expect((await allPages(h, 'sortBy=score', 7)).ids).toEqual([...docs].sort(byScore).map((doc) => doc.id));
    expect((await allPages(h, 'timeRange=all', 40)).ids).toEqual([...docs].sort(byScore).map((doc) => doc.id));
    const recent = await allPages(h, 'sortBy=recent', 10);
    expect(recent.ids).toEqual([...docs].sort(byRecent).map((doc) => doc.id));
    // 40 items in pages of 10: the fourth page is the last, with a null token.
    expect(recent.pages).toBe(4);
  });

  it('filters by tags (lower-cased, any of them), sources and time range, paging through the filtered list', async () => {
    const { h, docs } = await seeded();
    const since = isoSeconds(h.clock.now().getTime() - 86_400_000);
    const expected = docs
      .filter((doc) => doc.tags.some((tag) => ['shoes', 'tops'].includes(tag)) && doc.sourceId === 'brand-acme' && doc.scrapedAt >= since)
      .sort(byRecent)
      .map((doc) => doc.id);
    expect(expected.length).toBeGreaterThan(3);
    expect((await allPages(h, 'sortBy=recent&tags=SHOES,%20tops&sourceIds=brand-acme&timeRange=1d', 3)).ids).toEqual(expected);
    const twoSources = docs.filter((doc) => doc.tags.includes('acme')).sort(byScore).map((doc) => doc.id);
    expect((await allPages(h, 'tags=acme&sourceIds=brand-acme,reddit-streetwear', 4)).ids).toEqual(twoSources);
    expect((await h.api.items('ann', 'timeRange=1h')).json.items).toHaveLength(docs.filter((doc) => doc.scrapedAt >= isoSeconds(h.clock.now().getTime() - 3_600_000)).length);
    expect((await h.api.items('ann', 'tags=nothing-has-this')).json).toEqual({ items: [], nextContinuationToken: null });
  });

  it('clamps pageSize to 1-100, and refuses a token replayed with another query or made up', async () => {
    const { h } = await seeded();
    expect((await h.api.items('ann', 'pageSize=0')).json.items).toHaveLength(1);
    expect((await h.api.items('ann', 'pageSize=1000')).json.items).toHaveLength(40);
    expect((await h.api.items('ann')).json.items).toHaveLength(40);
    const first = await h.api.items('ann', 'pageSize=5&tags=tops');
    const token = first.json.nextContinuationToken as string;
    expect(typeof token).toBe('string');
    problem(await h.api.items('ann', `pageSize=5&tags=shoes&continuationToken=${encodeURIComponent(token)}`), 400, 'invalid_continuation');
    problem(await h.api.items('ann', `pageSize=5&tags=tops&sortBy=recent&continuationToken=${encodeURIComponent(token)}`), 400, 'invalid_continuation');
    problem(await h.api.items('ann', `continuationToken=${Buffer.from(JSON.stringify({ k: 3, id: 'x' })).toString('base64url')}`), 400, 'invalid_continuation');
    // The longest query a client may send still pages: its token is taken back.
    // 660 two-character tags: the most a 2000-character list holds, each a JSON string in the token.
    const tags = Array.from({ length: 660 }, (_, index) => index.toString(36).padStart(2, '0')).join(',') + ',tops';
    const long = await h.api.items('ann', `pageSize=2&tags=${tags}`);
    expect(long.statusCode).toBe(200);
    expect(typeof long.json.nextContinuationToken).toBe('string');
    expect((await h.api.items('ann', `pageSize=2&tags=${tags}&continuationToken=${long.json.nextContinuationToken}`)).statusCode).toBe(200);
    problem(await h.api.items('ann', 'sortBy=popular'), 400, 'validation_failed');
    problem(await h.api.items('ann', 'timeRange=2d'), 400, 'validation_failed');
    problem(await h.api.items('ann', 'page=2'), 400, 'validation_failed');
  });

  it('votes: one per user and item (a repeat does not stack, a change moves the score by two), 404 for a missing item, 400 for a bad signal', async () => {
    const { h, docs } = await seeded();
    const id = docs[2]!.id;
    const score = async () => (await h.repo.items.get(id, 'global'))?.scoreSignal;
    const start = docs[2]!.scoreSignal;
    expect(await h.api.feedback('ann', id, { signal: 'up' })).toMatchObject({ statusCode: 200, json: { itemId: id, signal: 'up', scoreSignal: 1 } });
    expect(await score()).toBe(start + 1);
    expect((await h.api.feedback('ann', id, { signal: 'up' })).json).toEqual({ itemId: id, signal: 'up', scoreSignal: 1 });
    expect(await score()).toBe(start + 1);
    expect((await h.api.feedback('ann', id, { signal: 'down' })).json).toEqual({ itemId: id, signal: 'down', scoreSignal: -1 });
    expect(await score()).toBe(start - 1);
    expect((await h.api.feedback('bob', id, { signal: 'up' })).statusCode).toBe(200);
    expect(await score()).toBe(start);
    // The order follows the score: the item's place in the score feed moved with it.
    const after = (await h.repo.items.query({ limit: 100 })).items as unknown as Doc[];
    expect((await allPages(h, 'sortBy=score', 40)).ids).toEqual([...after].sort(byScore).map((doc) => doc.id));

    // One user's votes at once (a double tap): the score ends at the other voters' plus this user's last vote.
    const racing = ['up', 'down', 'up', 'down', 'down', 'up'] as const;
    await Promise.all(racing.map((signal) => h.api.feedback('cy', id, { signal })));
    const final = (await h.repo.votes.get(id, 'cy')) as unknown as { signal: string };
    expect(await score()).toBe(start + (final.signal === 'up' ? 1 : -1));

    problem(await h.api.feedback('ann', scrapedItemId('reddit', 'missing'), { signal: 'up' }), 404, 'not_found');
    problem(await h.api.feedback('ann', 'not-an-item', { signal: 'up' }), 404, 'not_found');
    problem(await h.api.feedback('ann', id, { signal: 'meh' }), 400, 'validation_failed');
    problem(await h.api.feedback('ann', id, { signal: 'up', galleryImageIndex: 3 }), 400, 'gallery_index_out_of_range');
    expect((await h.api.feedback('ann', id, { signal: 'up', galleryImageIndex: 0 })).statusCode).toBe(200);
  });

  it('needs a signed-in user', async () => {
    const h = discoverHarness();
    const reply = await h.api.items('', '');
    problem(reply, 401, 'unauthorized');
  });
});
