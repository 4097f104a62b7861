/**
 * The discover feed (PluckIt's "scraper", contract section 7.5): items scraped from sources
 * (brand sites, read by the server; Reddit, read by the web client and posted back), in one
 * global pool every user browses and votes on. Pure: ids that need hashing are made by the
 * handlers; this module shapes items, pages, leases and strikes from plain values.
 */
import { checkTargetUrl, MAX_URL_LENGTH } from './address-policy.ts';
import { decodeEntities } from './html-scan.ts';
import { guessCategory, UNCATEGORIZED } from './product-category.ts';
import type { ProductData } from './product-page.ts';
import { isoSeconds } from '../time.ts';

/** Every scraped item lives in this one partition (the upstream's `userId: "global"`). */
export const GLOBAL_POOL = 'global';

export type SourceType = 'brand_site' | 'reddit';
export type SortBy = 'score' | 'recent';
export type TimeRange = '1h' | '1d' | '7d' | '30d' | 'all';
export type Signal = 'up' | 'down';

export interface BuyLink {
  platform: string;
  url: string;
  label: string;
}

/** A feed item as the clients read it: never an embedding or a perceptual hash. */
export interface ScrapedItem {
  /** `<sourceType>-<16 hex>`. */
  id: string;
  userId: typeof GLOBAL_POOL;
  sourceId: string;
  sourceType: SourceType;
  title: string;
  description: string | null;
  imageUrl: string | null;
  productUrl: string | null;
  buyLinks: BuyLink[];
  /** As a shop prints it, e.g. `"49.90 EUR"`. */
  price: string | null;
  brand: string | null;
  /** Lower-cased; what `?tags=` matches. */
  tags: string[];
  galleryImages: string[];
  commentText: string | null;
  redditScore: number | null;
  /** Sum of the users' votes (one per user, ±1). */
  scoreSignal: number;
  scrapedAt: string;
  sourceCreatedAt: string | null;
  imageExpired: boolean;
}

export const SCRAPED_ITEM_FIELDS = [
  'id', 'userId', 'sourceId', 'sourceType', 'title', 'description', 'imageUrl', 'productUrl', 'buyLinks', 'price', 'brand',
  'tags', 'galleryImages', 'commentText', 'redditScore', 'scoreSignal', 'scrapedAt', 'sourceCreatedAt', 'imageExpired',
] as const satisfies readonly (keyof ScrapedItem)[];

/** Only the client fields: whatever else a stored document carries (sort keys, an embedding, a pHash) stays in. */
export function scrapedItemView(stored: ScrapedItem & Record<string, unknown>): ScrapedItem {
  const view: Record<string, unknown> = {};
  for (const field of SCRAPED_ITEM_FIELDS) view[field] = stored[field] ?? (field === 'buyLinks' || field === 'tags' || field === 'galleryImages' ? [] : null);
  view.scoreSignal = typeof stored.scoreSignal === 'number' ? stored.scoreSignal : 0;
  view.imageExpired = stored.imageExpired === true;
  return view as unknown as ScrapedItem;
}

// ---------------------------------------------------------------- feed paging

/**
 * The feed is paged by keyset on one string field per order, so a page never skips or repeats
 * an item when others are added meanwhile: `sortScore` (score, offset to sort as text, then the
 * scrape time and id to break ties) and `sortRecent` (scrape time, then id). Both descend.
 */
export interface SortKeys {
  sortScore: string;
  sortRecent: string;
}

const SCORE_OFFSET = 1_000_000_000;

export function sortKeys(item: Pick<ScrapedItem, 'id' | 'scoreSignal' | 'scrapedAt'>): SortKeys {
  const score = Math.max(0, Math.min(2 * SCORE_OFFSET - 1, item.scoreSignal + SCORE_OFFSET));
  return { sortScore: `${String(score).padStart(10, '0')}|${item.scrapedAt}|${item.id}`, sortRecent: `${item.scrapedAt}|${item.id}` };
}

export const sortField = (sortBy: SortBy): keyof SortKeys => (sortBy === 'score' ? 'sortScore' : 'sortRecent');

const RANGE_MS: Readonly<Record<Exclude<TimeRange, 'all'>, number>> = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** The oldest `scrapedAt` a time range admits; undefined for `all`. */
export const timeRangeStart = (range: TimeRange, now: Date): string | undefined => (range === 'all' ? undefined : isoSeconds(now.getTime() - RANGE_MS[range]));

/** `?tags=` and `?sourceIds=`: comma-separated, trimmed, empty entries dropped, deduplicated and sorted (so the query a token is bound to is canonical). */
export function csvOf(text: string | undefined, lowerCase: boolean): string[] {
  if (!text) return [];
  const values = text.split(',').map((part) => (lowerCase ? part.trim().toLowerCase() : part.trim())).filter(Boolean);
  return [...new Set(values)].sort();
}

export interface FeedFilter {
  tags: readonly string[];
  sourceIds: readonly string[];
}

/** Any of the tags (none asked: any item), and one of the sources (none asked: any). */
export function matchesFeed(item: Pick<ScrapedItem, 'tags' | 'sourceId'>, filter: FeedFilter): boolean {
  if (filter.sourceIds.length > 0 && !filter.sourceIds.includes(item.sourceId)) return false;
  if (filter.tags.length === 0) return true;
  const tags = new Set((item.tags ?? []).map((tag) => tag.toLowerCase()));
  return filter.tags.some((tag) => tags.has(tag));
}

export const clampPageSize = (pageSize: number | undefined): number => Math.max(1, Math.min(100, Math.trunc(pageSize ?? 50)));

// ---------------------------------------------------------------- sources and leases

export interface SourceConfig {
  /** brand_site: the pages listing products (the site's home or catalogue). */
  listingUrls?: string[];
  /** brand_site: read too when the site has one; a missing sitemap is not an error. */
  sitemapUrl?: string;
  /** reddit: the subreddit, without `r/`. */
  subreddit?: string;
}

export interface ScraperSource {
  id: string;
  name: string;
  sourceType: SourceType;
  isGlobal: boolean;
  isActive: boolean;
  config: SourceConfig;
  lastScrapedAt: string | null;
  leaseExpiresAt: string | null;
  /**
   * Who holds the lease (never answered: another user's id is not the caller's business). The
   * only user id in the shared partition; who suggested a source is deliberately not kept, so
   * erasing a user leaves nothing of theirs there once their lease is gone.
   */
  leaseHolder: string | null;
  createdAt: string;
}

/** A client-side Reddit scrape holds the source this long. */
export const LEASE_MS = 15 * 60_000;
/** A Reddit source older than this asks a client to read it. */
export const CLIENT_INGEST_AFTER_MS = 4 * 3_600_000;

export const leaseActive = (source: Pick<ScraperSource, 'leaseExpiresAt'>, now: Date) => source.leaseExpiresAt !== null && Date.parse(source.leaseExpiresAt) > now.getTime();

/** A Reddit source not read for four hours and not leased: the web client should read it now. */
export function needsClientIngest(source: Pick<ScraperSource, 'sourceType' | 'lastScrapedAt' | 'leaseExpiresAt'>, now: Date): boolean {
  if (source.sourceType !== 'reddit' || leaseActive(source, now)) return false;
  return source.lastScrapedAt === null || now.getTime() - Date.parse(source.lastScrapedAt) >= CLIENT_INGEST_AFTER_MS;
}

/** A lease the caller may take: none, expired, or already theirs. */
export const mayLease = (source: Pick<ScraperSource, 'leaseExpiresAt' | 'leaseHolder'>, userId: string, now: Date) => !leaseActive(source, now) || source.leaseHolder === userId;

/** `brand-<slug>` from the suggested name (the upstream's id form), ASCII letters and digits only. */
export function brandSlug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
}

// ---------------------------------------------------------------- brand sites

/** Product-page candidates on a listing page: same-origin links, fragments dropped, first `max` distinct. */
export function sameOriginLinks(hrefs: readonly string[], pageUrl: string, max: number): string[] {
  const origin = new URL(pageUrl).origin;
  const found = new Set<string>();
  for (const href of hrefs) {
    if (found.size >= max) break;
    if (!URL.canParse(href.trim(), pageUrl)) continue;
    const url = new URL(href.trim(), pageUrl);
    if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    url.hash = '';
    if (url.href.length <= MAX_URL_LENGTH && url.href !== pageUrl) found.add(url.href);
  }
  return [...found];
}

/** The `<loc>` URLs of a sitemap (or sitemap index), character references decoded. */
export function sitemapLocations(xml: string, max: number): string[] {
  const found: string[] = [];
  // No two neighbouring parts of the pattern can match the same characters, so a hostile
  // sitemap (a megabyte of spaces after one <loc>) costs linear time, not quadratic.
  for (const match of xml.matchAll(/<loc>(?:\s*<!\[CDATA\[([^\]]*)\]\]>\s*|([^<]*))<\/loc>/gi)) {
    if (found.length >= max) break;
    // CDATA is taken as written; plain text has its character references decoded.
    const url = (match[1] ?? decodeEntities(match[2] ?? '')).trim();
    if (url) found.push(url);
  }
  return found;
}

const cut = (text: string, max: number) => Array.from(text).slice(0, max).join('').trim();

/** A price as the feed prints it: the page's amount with its currency, when it states one. */
export function priceText(product: Pick<ProductData, 'price' | 'currency'>): string | null {
  if (product.price === null) return null;
  const amount = Number.isInteger(product.price) ? String(product.price) : product.price.toFixed(2);
  return product.currency ? `${amount} ${product.currency}` : amount;
}

/** The tags a product is found by: its category (guessed like an import's), its page's category words, its brand. */
export function productTags(product: Pick<ProductData, 'categoryHints' | 'name' | 'brand'>): string[] {
  const tags = new Set<string>();
  const category = guessCategory(product.categoryHints, product.name);
  if (category !== UNCATEGORIZED) tags.add(category);
  for (const hint of product.categoryHints) for (const part of hint.split(/[>/,|]/)) if (part.trim()) tags.add(cut(part.trim().toLowerCase(), 40));
  if (product.brand) tags.add(cut(product.brand.toLowerCase(), 40));
  return [...tags].slice(0, 12);
}

/** A brand site's product as a feed item (without its id, votes and sort keys, which the store adds). */
export function itemFromProduct(product: ProductData, productUrl: string, source: Pick<ScraperSource, 'id' | 'name'>, now: Date): Omit<ScrapedItem, 'id' | 'scoreSignal'> {
  return {
    userId: GLOBAL_POOL,
    sourceId: source.id,
    sourceType: 'brand_site',
    title: cut(product.name, 300),
    description: null,
    imageUrl: product.imageUrl,
    productUrl,
    buyLinks: [{ platform: product.brand ?? source.name, url: productUrl, label: 'Buy' }],
    price: priceText(product),
    brand: product.brand === null ? null : cut(product.brand, 100),
    tags: productTags(product),
    galleryImages: product.imageUrl ? [product.imageUrl] : [],
    commentText: null,
    redditScore: null,
    scrapedAt: isoSeconds(now),
    sourceCreatedAt: null,
    imageExpired: false,
  };
}

// ---------------------------------------------------------------- Reddit posts (posted by the web client)

/** The fields the server reads of a raw Reddit `children[].data` object (the rest are accepted and ignored). */
export interface RedditPost {
  id: string;
  title: string;
  subreddit: string;
  permalink: string;
  url: string;
  score: number;
  over_18: boolean;
  created_utc: number;
  selftext?: string;
  is_gallery?: boolean;
  media_metadata?: Record<string, unknown>;
  gallery_data?: { items?: { media_id?: string }[] };
  preview?: { images?: { source?: { url?: string } }[] };
  [field: string]: unknown;
}

/** A client-supplied URL: relative (a Reddit path) or public https; nothing else is stored. */
export function clientUrlOk(text: string): boolean {
  if (text.startsWith('/') && !text.startsWith('//')) return text.length <= MAX_URL_LENGTH;
  try {
    const checked = checkTargetUrl(text, { allowLoopback: false });
    return checked.url.protocol === 'https:' && !checked.literal;
  } catch {
    return false;
  }
}

/** Every URL a post carries that the server would store or show, for the check above. */
export function postUrls(post: RedditPost): string[] {
  return [post.url, post.permalink, ...galleryOf(post), ...previewOf(post)];
}

const IMAGE_PATH = /\.(jpe?g|png|webp|gif|avif)(\?|$)/i;
const REDDIT = 'https://www.reddit.com';

function galleryOf(post: RedditPost): string[] {
  const media = post.media_metadata;
  if (!media || typeof media !== 'object') return [];
  const order = Array.isArray(post.gallery_data?.items) ? post.gallery_data.items.map((entry) => entry?.media_id).filter((id): id is string => typeof id === 'string') : Object.keys(media);
  const urls: string[] = [];
  for (const id of order.slice(0, 20)) {
    const entry = media[id] as { s?: { u?: unknown; gif?: unknown } } | undefined;
    const url = entry?.s?.u ?? entry?.s?.gif;
    // Reddit escapes `&` in these URLs as `&amp;`.
    if (typeof url === 'string') urls.push(decodeEntities(url));
  }
  return urls;
}

function previewOf(post: RedditPost): string[] {
  const url = post.preview?.images?.[0]?.source?.url;
  return typeof url === 'string' ? [decodeEntities(url)] : [];
}

const absolute = (text: string) => (text.startsWith('/') ? `${REDDIT}${text}` : text);

/** The post as a feed item, or undefined when it is not one: adult, another subreddit, or no image. */
export function itemFromRedditPost(post: RedditPost, source: Pick<ScraperSource, 'id' | 'config'>, now: Date): Omit<ScrapedItem, 'id' | 'scoreSignal'> | undefined {
  if (post.over_18) return undefined;
  const subreddit = source.config.subreddit?.toLowerCase();
  if (subreddit && post.subreddit.toLowerCase() !== subreddit) return undefined;
  const gallery = galleryOf(post);
  const images = gallery.length > 0 ? gallery : IMAGE_PATH.test(post.url) ? [post.url] : previewOf(post);
  if (images.length === 0) return undefined;
  const title = cut(decodeEntities(post.title), 300);
  if (!title) return undefined;
  const created = Number.isFinite(post.created_utc) && post.created_utc > 0 && post.created_utc < 1e11 ? isoSeconds(post.created_utc * 1000) : null;
  const category = guessCategory([], title);
  return {
    userId: GLOBAL_POOL,
    sourceId: source.id,
    sourceType: 'reddit',
    title,
    description: post.selftext ? cut(post.selftext, 2000) || null : null,
    imageUrl: absolute(images[0]!),
    productUrl: `${REDDIT}${post.permalink.startsWith('/') ? post.permalink : `/${post.permalink}`}`,
    buyLinks: [],
    price: null,
    brand: null,
    tags: [post.subreddit.toLowerCase(), ...(category === UNCATEGORIZED ? [] : [category])],
    galleryImages: images.map(absolute),
    commentText: null,
    redditScore: Math.trunc(post.score),
    scrapedAt: isoSeconds(now),
    sourceCreatedAt: created,
    imageExpired: false,
  };
}

// ---------------------------------------------------------------- strikes and bans

/** Refused ingests (URLs that are not relative or public https) a user may send in a day before ingest is closed to them. */
export const BAN_STRIKES = 3;
export const STRIKE_WINDOW_MS = 86_400_000;

/** The strikes still counting at `now`, with a new one added. */
export function addStrike(strikes: readonly string[], now: Date): string[] {
  const since = now.getTime() - STRIKE_WINDOW_MS;
  return [...strikes.filter((at) => Date.parse(at) > since), isoSeconds(now)];
}
