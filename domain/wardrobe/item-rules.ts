/**
 * The rules a wardrobe item's client-editable fields follow, beyond what the JSON schema can say:
 * normalisation (so counts and filters group what a person would call the same thing) and the
 * cross-field checks (price needs a currency, at most the currency's minor-unit digits, no
 * purchase date in the future). Pure: the caller passes the clock's time.
 */
import { badRequest, type FieldProblem } from '../errors.ts';
import type { ItemColour, WardrobeItem } from './items.ts';

export const ITEM_LIMITS = {
  name: 200,
  category: 60,
  brand: 100,
  colours: 12,
  colourName: 40,
  tags: 20,
  tag: 40,
  imageId: 200,
  imageUrl: 2048,
  maxPrice: 1_000_000_000,
} as const;

/** What a client may set on an item: everything else (id, owner, wears, timestamps, source) is the system's. */
export type ItemFields = Pick<
  WardrobeItem,
  'name' | 'category' | 'colours' | 'brand' | 'price' | 'currency' | 'imageId' | 'imageUrl' | 'tags' | 'purchaseDate' | 'status'
>;

/** A create body: only name and category are required. */
export type ItemInput = Pick<ItemFields, 'name' | 'category'> & Partial<Omit<ItemFields, 'name' | 'category'>>;

/** A PATCH body: any subset; null clears an optional field (lists become empty). */
export type ItemPatch = Partial<Pick<ItemFields, 'name' | 'category' | 'status'>> & {
  [K in 'colours' | 'brand' | 'price' | 'currency' | 'imageId' | 'imageUrl' | 'tags' | 'purchaseDate']?: NonNullable<ItemFields[K]> | null;
};

/** Purchase dates are calendar dates in the buyer's zone: "today" ends first in UTC+14. */
const EARLIEST_ZONE_AHEAD_MS = 14 * 3_600_000;

const collapse = (text: string) => text.trim().replace(/\s+/g, ' ');

/** Categories group case- and spacing-insensitively ("Outer  wear" is "outer wear"); list filters use the same rule. */
export const normaliseCategory = (category: string) => collapse(category).toLowerCase();

let currencies: ReadonlySet<string> | undefined;
/** ISO 4217 codes as the JavaScript engine's ICU data knows them. */
export function isKnownCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/** How many decimals an amount in this currency has (EUR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Trimmed, lower-cased, inner whitespace collapsed, blanks and duplicates dropped, order kept. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => collapse(tag).toLowerCase()).filter(Boolean))];
}

function normaliseColours(colours: readonly ItemColour[]): ItemColour[] {
  const seen = new Set<string>();
  const out: ItemColour[] = [];
  for (const colour of colours) {
    const next = { name: collapse(colour.name).toLowerCase(), hex: colour.hex.toLowerCase() };
    const key = `${next.name}|${next.hex}`;
    if (!next.name || seen.has(key)) continue;
    seen.add(key);
    out.push(next);
  }
  return out;
}

const optionalText = (value: string | null | undefined) => (value == null ? null : collapse(value) || null);

function normalise(fields: ItemFields): ItemFields {
  return {
    name: collapse(fields.name),
    category: normaliseCategory(fields.category),
    colours: normaliseColours(fields.colours),
    brand: optionalText(fields.brand),
    price: fields.price,
    currency: fields.currency == null ? null : fields.currency.trim().toUpperCase(),
    imageId: fields.imageId,
    imageUrl: fields.imageUrl,
    tags: normaliseTags(fields.tags).slice(0, ITEM_LIMITS.tags),
    purchaseDate: fields.purchaseDate,
    status: fields.status,
  };
}

/** Every cross-field problem at once, as the validation step names schema problems. */
function problems(fields: ItemFields, now: Date): FieldProblem[] {
  const found: FieldProblem[] = [];
  const add = (field: string, detail: string) => found.push({ pointer: `/body/${field}`, detail });
  if (!fields.name) add('name', 'must not be blank');
  if (!fields.category) add('category', 'must not be blank');
  if (fields.currency !== null && !isKnownCurrency(fields.currency)) add('currency', 'must be an ISO 4217 currency code');
  if (fields.price !== null) {
    if (!Number.isFinite(fields.price) || fields.price < 0 || fields.price > ITEM_LIMITS.maxPrice) add('price', `must be from 0 to ${ITEM_LIMITS.maxPrice}`);
    if (fields.currency === null) add('currency', 'is required with a price');
    else if (isKnownCurrency(fields.currency)) {
      const digits = currencyDigits(fields.currency);
      if (Number(fields.price.toFixed(digits)) !== fields.price) add('price', `has more than ${digits} decimals for ${fields.currency}`);
    }
  }
  if (fields.imageUrl !== null && !isHttpUrl(fields.imageUrl)) add('imageUrl', 'must be an http or https URL');
  if (fields.purchaseDate !== null) {
    const latest = new Date(now.getTime() + EARLIEST_ZONE_AHEAD_MS).toISOString().slice(0, 10);
    if (!isCalendarDate(fields.purchaseDate)) add('purchaseDate', 'must be a date, YYYY-MM-DD');
    else if (fields.purchaseDate > latest) add('purchaseDate', 'must not be in the future');
  }
  return found;
}

function checked(fields: ItemFields, now: Date): ItemFields {
  const clean = normalise(fields);
  const found = problems(clean, now);
  if (found.length) throw badRequest('validation_failed', `Invalid item: ${found.map((p) => `${p.pointer} ${p.detail}`).join('; ')}.`, found);
  return clean;
}

/** The client fields of a new item, with defaults, normalised and checked. */
export function newItemFields(input: ItemInput, now: Date): ItemFields {
  return checked(
    {
      name: input.name,
      category: input.category,
      colours: input.colours ?? [],
      brand: input.brand ?? null,
      price: input.price ?? null,
      currency: input.currency ?? null,
      imageId: input.imageId ?? null,
      imageUrl: input.imageUrl ?? null,
      tags: input.tags ?? [],
      purchaseDate: input.purchaseDate ?? null,
      status: input.status ?? 'active',
    },
    now,
  );
}

/** A partial update applied to the current fields: absent keeps, null clears; the result is checked as a whole. */
export function patchedItemFields(current: ItemFields, patch: ItemPatch, now: Date): ItemFields {
  const pick = <K extends keyof ItemPatch>(key: K, cleared: ItemFields[K]): ItemFields[K] =>
    (key in patch ? (patch[key] ?? cleared) : current[key]) as ItemFields[K];
  return checked(
    {
      name: patch.name ?? current.name,
      category: patch.category ?? current.category,
      status: patch.status ?? current.status,
      colours: pick('colours', []),
      brand: pick('brand', null),
      price: pick('price', null),
      currency: pick('currency', null),
      imageId: pick('imageId', null),
      imageUrl: pick('imageUrl', null),
      tags: pick('tags', []),
      purchaseDate: pick('purchaseDate', null),
    },
    now,
  );
}

/** The client fields of a stored item (documents written by other features may lack the optional ones). */
export function itemFieldsOf(item: Partial<WardrobeItem> & Pick<WardrobeItem, 'name' | 'category'>): ItemFields {
  return {
    name: item.name,
    category: item.category,
    colours: item.colours ?? [],
    brand: item.brand ?? null,
    price: item.price ?? null,
    currency: item.currency ?? null,
    imageId: item.imageId ?? null,
    imageUrl: item.imageUrl ?? null,
    tags: item.tags ?? [],
    purchaseDate: item.purchaseDate ?? null,
    status: item.status ?? 'active',
  };
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'https:' || protocol === 'http:';
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
