/**
 * The wardrobe list (GET /api/wardrobe, contract section 6.1): which finalised items a query
 * selects, in which order, and where a page resumes. Pure: the handler reads the caller's items
 * and hands them here.
 */
import { badRequest, type FieldProblem } from '../errors.ts';
import { isFinalised, type ItemCondition, type StoredClothingItem } from './clothing-item.ts';

export const LIST_PAGE = { default: 24, min: 1, max: 100 } as const;
export const SORT_FIELDS = ['dateAdded', 'wearCount', 'price.amount'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
const CONDITIONS: readonly ItemCondition[] = ['New', 'Excellent', 'Good', 'Fair'];

/** The query as the route's schema coerced it (every field optional, as the clients send them). */
export interface RawListQuery {
  pageSize?: number;
  continuationToken?: string;
  category?: string;
  brand?: string;
  condition?: string;
  tags?: string;
  aestheticTags?: string;
  priceMin?: number;
  priceMax?: number;
  minWears?: number;
  maxWears?: number;
  includeWishlisted?: string;
  sortField?: string;
  sortDir?: string;
  /** Mobile's free-text search: accepted and ignored, as upstream. */
  query?: string;
}

/** The normalised filters and order; what a continuation token is bound to. */
export interface ListQuery {
  category?: string;
  brand?: string;
  condition?: ItemCondition;
  tags?: string[];
  aestheticTags?: string[];
  priceMin?: number;
  priceMax?: number;
  minWears?: number;
  maxWears?: number;
  includeWishlisted: boolean;
  sortField: SortField;
  sortDir: 'asc' | 'desc';
}

const csv = (text: string | undefined) => {
  const list = (text ?? '').split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean);
  return list.length ? list : undefined;
};
const lower = (text: string | undefined) => (text?.trim() ? text.trim().toLowerCase() : undefined);

/** pageSize defaults to 24 and is clamped to 1–100 (the web asks for 200 and gets 100). */
export const pageSizeOf = (raw: RawListQuery) => Math.min(LIST_PAGE.max, Math.max(LIST_PAGE.min, Math.trunc(raw.pageSize ?? LIST_PAGE.default)));

/** Normalises the query; inverted price or wear ranges are 400 `validation_failed`. Unknown conditions and sort fields fall back, as upstream. */
export function listQueryOf(raw: RawListQuery): ListQuery {
  const problems: FieldProblem[] = [];
  if (raw.priceMin !== undefined && raw.priceMax !== undefined && raw.priceMin > raw.priceMax) problems.push({ pointer: '/query/priceMin', detail: 'must not be greater than priceMax' });
  if (raw.minWears !== undefined && raw.maxWears !== undefined && raw.minWears > raw.maxWears) problems.push({ pointer: '/query/minWears', detail: 'must not be greater than maxWears' });
  if (problems.length) throw badRequest('validation_failed', `Invalid query: ${problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}.`, problems);
  const condition = CONDITIONS.find((c) => c.toLowerCase() === lower(raw.condition));
  const query: ListQuery = {
    includeWishlisted: lower(raw.includeWishlisted) === 'true',
    sortField: (SORT_FIELDS as readonly string[]).includes(raw.sortField ?? '') ? (raw.sortField as SortField) : 'dateAdded',
    sortDir: lower(raw.sortDir) === 'asc' ? 'asc' : 'desc',
  };
  const category = lower(raw.category);
  const brand = lower(raw.brand);
  const tags = csv(raw.tags);
  const aestheticTags = csv(raw.aestheticTags);
  if (category) query.category = category;
  if (brand) query.brand = brand;
  if (condition) query.condition = condition;
  if (tags) query.tags = tags;
  if (aestheticTags) query.aestheticTags = aestheticTags;
  if (raw.priceMin !== undefined) query.priceMin = raw.priceMin;
  if (raw.priceMax !== undefined) query.priceMax = raw.priceMax;
  if (raw.minWears !== undefined) query.minWears = raw.minWears;
  if (raw.maxWears !== undefined) query.maxWears = raw.maxWears;
  return query;
}

const overlaps = (wanted: readonly string[], have: readonly string[] | undefined) => (have ?? []).some((tag) => wanted.includes(tag.trim().toLowerCase()));

/** Whether a stored item is in the list: finalised, not wishlisted unless asked, and every given filter holds. */
export function matchesList(item: StoredClothingItem, query: ListQuery): boolean {
  if (!isFinalised(item)) return false;
  if (item.isWishlisted && !query.includeWishlisted) return false;
  if (query.category !== undefined && item.category?.trim().toLowerCase() !== query.category) return false;
  if (query.brand !== undefined && item.brand?.trim().toLowerCase() !== query.brand) return false;
  if (query.condition !== undefined && item.condition !== query.condition) return false;
  if (query.tags && !overlaps(query.tags, item.tags)) return false;
  if (query.aestheticTags && !overlaps(query.aestheticTags, item.aestheticTags)) return false;
  if (query.priceMin !== undefined || query.priceMax !== undefined) {
    const amount = item.price?.amount;
    if (amount === undefined) return false;
    if (query.priceMin !== undefined && amount < query.priceMin) return false;
    if (query.priceMax !== undefined && amount > query.priceMax) return false;
  }
  const wears = item.wearCount ?? 0;
  if (query.minWears !== undefined && wears < query.minWears) return false;
  if (query.maxWears !== undefined && wears > query.maxWears) return false;
  return true;
}

/** Where a page ended: the last item's sort value and id (ids break ties, so the order is total). */
export interface ListCursor {
  v: string | number | null;
  id: string;
}

function sortValue(item: StoredClothingItem, field: SortField): string | number | null {
  if (field === 'wearCount') return item.wearCount ?? 0;
  if (field === 'price.amount') return item.price?.amount ?? null;
  return item.dateAdded ?? null;
}

/** Items without the value (no price, no dateAdded) come last in either direction. */
function compare(a: ListCursor, b: ListCursor, dir: 'asc' | 'desc'): number {
  if (a.v !== b.v) {
    if (a.v === null) return 1;
    if (b.v === null) return -1;
    const order = a.v < b.v ? -1 : 1;
    return dir === 'asc' ? order : -order;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One page of the selected items after `after` (a keyset: an item added or removed between
 * two pages neither repeats nor hides another), and the cursor to resume from when more remain.
 */
export function listPage(items: readonly StoredClothingItem[], query: ListQuery, pageSize: number, after?: ListCursor): { items: StoredClothingItem[]; next?: ListCursor } {
  const keyed = items.filter((item) => matchesList(item, query)).map((item) => ({ item, key: { v: sortValue(item, query.sortField), id: item.id } }));
  keyed.sort((a, b) => compare(a.key, b.key, query.sortDir));
  const rest = after ? keyed.filter(({ key }) => compare(key, after, query.sortDir) > 0) : keyed;
  const page = rest.slice(0, pageSize);
  return { items: page.map(({ item }) => item), ...(rest.length > pageSize ? { next: page[page.length - 1]!.key } : {}) };
}

/** A cursor read back from a client token; anything else is 400 `invalid_continuation`. */
export function cursorOf(value: unknown): ListCursor {
  const cursor = value as Partial<ListCursor> | null;
  const valid = typeof cursor === 'object' && cursor !== null && typeof cursor.id === 'string' && (cursor.v === null || typeof cursor.v === 'string' || (typeof cursor.v === 'number' && Number.isFinite(cursor.v)));
  if (!valid) throw badRequest('invalid_continuation', 'The continuation token is not valid for this query.');
  return { v: cursor.v ?? null, id: cursor.id! };
}

export type { ItemColour } from './clothing-item.ts';
