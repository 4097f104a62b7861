/** The discover feed's pure rules: sort keys, filters, page sizes, leases, links, sitemaps, client URLs, Reddit posts, strikes. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addStrike, brandSlug, clampPageSize, clientUrlOk, csvOf, itemFromRedditPost, matchesFeed, mayLease, needsClientIngest, priceText, sameOriginLinks,
  scrapedItemView, sitemapLocations, sortKeys, STRIKE_WINDOW_MS, timeRangeStart, type RedditPost, type ScrapedItem,
} from '../../../domain/wardrobe/discover.ts';
import { scanLinks } from '../../../domain/wardrobe/html-scan.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

describe('sort keys', () => {
  it('order as text exactly as (score, scrapedAt, id) and (scrapedAt, id) order, negative scores included (fast-check)', () => {
    const item = fc.record({ id: fc.stringMatching(/^[a-z]{1,3}-[0-9a-f]{4}$/), scoreSignal: fc.integer({ min: -5000, max: 5000 }), scrapedAt: fc.integer({ min: 0, max: 2e9 }).map((s) => new Date(s * 1000).toISOString().slice(0, 19) + 'Z') });
    fc.assert(
      fc.property(item, item, (a, b) => {
        const [ka, kb] = [sortKeys(a), sortKeys(b)];
        const byScore = Math.sign(a.scoreSignal - b.scoreSignal || a.scrapedAt.localeCompare(b.scrapedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(Math.sign(ka.sortScore < kb.sortScore ? -1 : ka.sortScore > kb.sortScore ? 1 : 0)).toBe(byScore);
        const byRecent = Math.sign(a.scrapedAt.localeCompare(b.scrapedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(Math.sign(ka.sortRecent < kb.sortRecent ? -1 : ka.sortRecent > kb.sortRecent ? 1 : 0)).toBe(byRecent);
      }),
    );
  });
});

describe('feed filters', () => {
  it('reads CSVs canonically, matches any tag and one of the sources, clamps page sizes, and starts time ranges', () => {
    expect(csvOf(' Shoes,tops,,shoes ', true)).toEqual(['shoes', 'tops']);
    expect(csvOf('b,a', false)).toEqual(['a', 'b']);
    expect(csvOf(undefined, true)).toEqual([]);
    const item = { tags: ['Tops', 'acme'], sourceId: 'brand-acme' };
    expect(matchesFeed(item, { tags: ['tops'], sourceIds: [] })).toBe(true);
    expect(matchesFeed(item, { tags: ['shoes', 'acme'], sourceIds: ['brand-acme', 'reddit-x'] })).toBe(true);
    expect(matchesFeed(item, { tags: ['shoes'], sourceIds: [] })).toBe(false);
    expect(matchesFeed(item, { tags: [], sourceIds: ['reddit-x'] })).toBe(false);
    expect([clampPageSize(undefined), clampPageSize(0), clampPageSize(-3), clampPageSize(7), clampPageSize(101)]).toEqual([50, 1, 1, 7, 100]);
    expect(timeRangeStart('1h', NOW)).toBe('2026-11-22T09:00:00Z');
    expect(timeRangeStart('30d', NOW)).toBe('2026-10-23T10:00:00Z');
    expect(timeRangeStart('all', NOW)).toBeUndefined();
  });

  it('answers only the client fields, whatever is stored beside them', () => {
    const stored = { id: 'reddit-1', userId: 'global', sourceId: 's', sourceType: 'reddit', title: 't', tags: ['a'], scoreSignal: 2, scrapedAt: 'x', embedding: [1], pHash: 'ff', sortScore: 'k', _rid: 'r' } as unknown as ScrapedItem & Record<string, unknown>;
    const view = scrapedItemView(stored) as unknown as Record<string, unknown>;
    expect(Object.keys(view).sort()).toEqual(['brand', 'buyLinks', 'commentText', 'description', 'galleryImages', 'id', 'imageExpired', 'imageUrl', 'price', 'productUrl', 'redditScore', 'scoreSignal', 'scrapedAt', 'sourceCreatedAt', 'sourceId', 'sourceType', 'tags', 'title', 'userId']);
    expect(view).toMatchObject({ buyLinks: [], galleryImages: [], description: null, imageExpired: false, scoreSignal: 2 });
  });
});

describe('leases', () => {
  const source = { sourceType: 'reddit' as const, lastScrapedAt: null as string | null, leaseExpiresAt: null as string | null, leaseHolder: null as string | null };
  it('a Reddit source asks for a client when never read or read 4 hours ago, and not while leased; a brand site never', () => {
    expect(needsClientIngest(source, NOW)).toBe(true);
    expect(needsClientIngest({ ...source, lastScrapedAt: '2026-11-22T06:00:01Z' }, NOW)).toBe(false);
    expect(needsClientIngest({ ...source, lastScrapedAt: '2026-11-22T06:00:00Z' }, NOW)).toBe(true);
    expect(needsClientIngest({ ...source, leaseExpiresAt: '2026-11-22T10:05:00Z' }, NOW)).toBe(false);
    expect(needsClientIngest({ ...source, leaseExpiresAt: '2026-11-22T10:00:00Z' }, NOW)).toBe(true);
    expect(needsClientIngest({ ...source, sourceType: 'brand_site' }, NOW)).toBe(false);
  });
  it('a lease may be taken when free, expired or already the caller’s', () => {
    const held = { leaseExpiresAt: '2026-11-22T10:05:00Z', leaseHolder: 'ann' };
    expect([mayLease(held, 'ann', NOW), mayLease(held, 'bob', NOW), mayLease({ ...held, leaseExpiresAt: '2026-11-22T09:59:59Z' }, 'bob', NOW)]).toEqual([true, false, true]);
  });
});

describe('brand sites', () => {
  it('slugs names like the upstream ids', () => {
    expect([brandSlug('Acme Clothing'), brandSlug('  Café  Noir!! '), brandSlug('A&B / 2')]).toEqual(['acme-clothing', 'cafe-noir', 'a-b-2']);
    expect(brandSlug('!!!')).toBe('');
  });
  it('keeps same-origin http(s) links, without fragments or duplicates, up to the limit', () => {
    const hrefs = scanLinks('<a href="/p/1">1</a><A HREF="/p/1#x">dup</A><a href="p/2?c=1&amp;d=2">2</a><a href="https://other.example/p">o</a><a href="mailto:x@y">m</a><a href="javascript:alert(1)">j</a><a>none</a><!-- <a href="/hidden"> -->');
    expect(sameOriginLinks(hrefs, 'https://shop.example/list/', 10)).toEqual(['https://shop.example/p/1', 'https://shop.example/list/p/2?c=1&d=2']);
    expect(sameOriginLinks(hrefs, 'https://shop.example/list/', 1)).toEqual(['https://shop.example/p/1']);
  });
  it('reads sitemap locations, references decoded and CDATA unwrapped', () => {
    expect(sitemapLocations('<urlset><url><loc> https://s.example/a?x=1&amp;y=2 </loc></url><url><LOC><![CDATA[https://s.example/b]]></LOC></url><loc></loc></urlset>', 10)).toEqual(['https://s.example/a?x=1&y=2', 'https://s.example/b']);
  });
  it('reads a hostile sitemap (a megabyte of blanks after an open <loc>, a thousand empty ones) without backtracking', () => {
    expect(sitemapLocations(`<loc>${' '.repeat(1_000_000)}`, 10)).toEqual([]);
    expect(sitemapLocations('<loc></loc>'.repeat(1000) + `<loc>${' \n'.repeat(500_000)}</loc><loc>https://s.example/z</loc>`, 10)).toEqual(['https://s.example/z']);
  });
  it('prints prices with their currency', () => {
    expect([priceText({ price: 49.9, currency: 'EUR' }), priceText({ price: 300, currency: 'GBP' }), priceText({ price: 5, currency: null }), priceText({ price: null, currency: 'EUR' })]).toEqual(['49.90 EUR', '300 GBP', '5', null]);
  });
});

describe('Reddit posts', () => {
  it('takes relative paths and public https host names only', () => {
    for (const ok of ['/r/x/comments/1/', 'https://i.redd.it/a.jpg', 'https://preview.redd.it/a.jpg?width=1&s=2']) expect(clientUrlOk(ok)).toBe(true);
    for (const bad of ['//evil.example/a', 'http://i.redd.it/a.jpg', 'https://10.0.0.1/a', 'https://[::1]/', 'https://93.184.216.34/', 'https://u:p@i.redd.it/', 'javascript:alert(1)', 'file:///etc/passwd', '', 'relative/path']) expect(clientUrlOk(bad)).toBe(false);
  });
  const post: RedditPost = { id: 'a', title: 'Black &amp; white sneakers', subreddit: 'Streetwear', permalink: '/r/streetwear/comments/a/x/', url: 'https://i.redd.it/a.png', score: 12.7, over_18: false, created_utc: 1_795_000_000.5 };
  const source = { id: 'reddit-streetwear', config: { subreddit: 'streetwear' } };
  it('becomes an item with its image, tags and times; adult, other-subreddit and imageless posts do not', () => {
    expect(itemFromRedditPost(post, source, NOW)).toMatchObject({ title: 'Black & white sneakers', imageUrl: 'https://i.redd.it/a.png', tags: ['streetwear', 'shoes'], redditScore: 12, sourceCreatedAt: '2026-11-18T11:06:40Z', scrapedAt: '2026-11-22T10:00:00Z' });
    expect(itemFromRedditPost({ ...post, over_18: true }, source, NOW)).toBeUndefined();
    expect(itemFromRedditPost({ ...post, subreddit: 'other' }, source, NOW)).toBeUndefined();
    expect(itemFromRedditPost({ ...post, url: 'https://www.reddit.com/r/streetwear/comments/a/x/' }, source, NOW)).toBeUndefined();
    expect(itemFromRedditPost({ ...post, url: 'https://www.reddit.com/x', preview: { images: [{ source: { url: 'https://preview.redd.it/p.jpg?a=1&amp;b=2' } }] } }, source, NOW)?.imageUrl).toBe('https://preview.redd.it/p.jpg?a=1&b=2');
  });
});

describe('strikes', () => {
  it('count only the last day', () => {
    const old = new Date(NOW.getTime() - STRIKE_WINDOW_MS).toISOString();
    expect(addStrike([old, '2026-11-22T09:00:00Z'], NOW)).toEqual(['2026-11-22T09:00:00Z', '2026-11-22T10:00:00Z']);
  });
});
