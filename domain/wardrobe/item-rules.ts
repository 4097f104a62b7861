/**
 * The rules a wardrobe item's client-editable fields follow, beyond what the JSON schema can say.
 *
 * `clientItemFields` is the PluckIt item (clothing-item.ts) as POST and PUT /api/wardrobe take it:
 * it accepts every variant the clients send (contract section 5) and normalises it. The older
 * helpers below it (`newItemFields`, `itemFieldsOf`, limits and currencies) serve the pre-issue-16
 * shape that the scraper and insights still use until they move; for them:
 * normalisation (so counts and filters group what a person would call the same thing) and the
 * cross-field checks (price needs a currency, at most the currency's minor-unit digits, no
 * purchase date in the future). Pure: the caller passes the clock's time.
 */
import { badRequest, type FieldProblem } from '../errors.ts';
import { isoSeconds } from '../time.ts';
import type { CareInstruction, ClothingItem, ItemColour, ItemCondition, ItemPrice, ItemSize, StoredClothingItem } from './clothing-item.ts';
import type { WardrobeItem } from './items.ts';

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

// ---------------------------------------------------------------- the PluckIt item (contract section 5)

/** What a client sends as an item on POST/PUT: the client shape, loosely (the variants both apps produce). */
export interface ClothingItemBody {
  tags?: string[];
  aestheticTags?: string[];
  /** Mobile also spells the name `color` or `family`. */
  colours?: { name?: string; color?: string; family?: string; hex: string }[];
  brand?: string | null;
  category?: string | null;
  notes?: string | null;
  /** A plain number is the legacy form (USD); `currency` is mobile's alias of `originalCurrency`. */
  price?: number | { amount: number; originalCurrency?: string; currency?: string; purchaseDate?: string | null } | null;
  dateAdded?: string | null;
  estimatedMarketValue?: number | null;
  purchaseDate?: string | null;
  careInfo?: string[] | null;
  condition?: string | null;
  /** Mobile may send a bare string (the letter size) and waist/inseam as doubles. */
  size?: string | { letter?: string | null; waist?: number | null; inseam?: number | null; shoeSize?: number | null; system?: string | null } | null;
  isWishlisted?: boolean | null;
  [other: string]: unknown;
}

/** The fields of an item a client may set; everything else (id, owner, wears, images, draft state) is the server's. */
export type ClientItemFields = Pick<
  ClothingItem,
  'tags' | 'aestheticTags' | 'colours' | 'brand' | 'category' | 'notes' | 'price' | 'dateAdded' | 'estimatedMarketValue' | 'purchaseDate' | 'careInfo' | 'condition' | 'size' | 'isWishlisted'
>;

export const CLIENT_ITEM_FIELDS = ['tags', 'aestheticTags', 'colours', 'brand', 'category', 'notes', 'price', 'dateAdded', 'estimatedMarketValue', 'purchaseDate', 'careInfo', 'condition', 'size', 'isWishlisted'] as const;

const CONDITIONS: readonly ItemCondition[] = ['New', 'Excellent', 'Good', 'Fair'];
const CARE: readonly CareInstruction[] = ['dry_clean', 'wash', 'iron', 'bleach'];

const text = (value: string | null | undefined) => (value == null ? undefined : value.trim() || undefined);
const list = (values: readonly string[] | null | undefined) => [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];

/** Drops undefined members, so a stored or sent document has no `"x": undefined` keys. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function priceOf(price: ClothingItemBody['price']): ItemPrice | undefined {
  if (price == null) return undefined;
  if (typeof price === 'number') return { amount: price, originalCurrency: 'USD' };
  const currency = (price.originalCurrency ?? price.currency ?? 'USD').trim().toUpperCase();
  return compact({ amount: price.amount, originalCurrency: currency, purchaseDate: text(price.purchaseDate) });
}

function sizeOf(size: ClothingItemBody['size']): ItemSize | undefined {
  if (size == null) return undefined;
  if (typeof size === 'string') return text(size) ? { letter: text(size)! } : undefined;
  // The API keeps whole centimetres/inches; the iOS model has doubles, so round rather than refuse.
  const whole = (n: number | null | undefined) => (n == null ? undefined : Math.round(n));
  const out = compact({ letter: text(size.letter), waist: whole(size.waist), inseam: whole(size.inseam), shoeSize: size.shoeSize ?? undefined, system: text(size.system) });
  return Object.keys(out).length ? out : undefined;
}

function coloursOf(colours: ClothingItemBody['colours']): ItemColour[] {
  const out: ItemColour[] = [];
  for (const colour of colours ?? []) {
    const name = text(colour.name ?? colour.color ?? colour.family);
    if (name) out.push({ name, hex: colour.hex.trim() });
  }
  return out;
}

/**
 * The client-settable fields of a POST or PUT body, normalised: legacy and mobile variants
 * mapped to the one shape, strings trimmed (blank is absent), lists de-duplicated, timestamps
 * in whole seconds. What the schema cannot say is 400 `validation_failed`, naming each field.
 */
export function clientItemFields(body: ClothingItemBody): ClientItemFields {
  const problems: FieldProblem[] = [];
  const add = (field: string, detail: string) => problems.push({ pointer: `/body/${field}`, detail });
  const condition = body.condition == null ? undefined : CONDITIONS.find((c) => c.toLowerCase() === body.condition!.trim().toLowerCase());
  if (body.condition != null && !condition) add('condition', `must be one of ${CONDITIONS.join(', ')}`);
  const care = (body.careInfo ?? []).map((c) => c.trim().toLowerCase());
  care.forEach((c, i) => { if (!(CARE as readonly string[]).includes(c)) add(`careInfo/${i}`, `must be one of ${CARE.join(', ')}`); });
  let dateAdded: string | undefined;
  if (text(body.dateAdded)) {
    const at = Date.parse(body.dateAdded!);
    if (Number.isNaN(at)) add('dateAdded', 'must be a date-time');
    else dateAdded = isoSeconds(at);
  }
  if (problems.length) throw badRequest('validation_failed', `Invalid item: ${problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}.`, problems);
  const aestheticTags = body.aestheticTags == null ? undefined : list(body.aestheticTags);
  return compact({
    tags: list(body.tags),
    aestheticTags,
    colours: coloursOf(body.colours),
    brand: text(body.brand),
    category: text(body.category),
    notes: text(body.notes),
    price: priceOf(body.price),
    dateAdded,
    estimatedMarketValue: body.estimatedMarketValue ?? undefined,
    purchaseDate: text(body.purchaseDate),
    careInfo: body.careInfo == null ? undefined : ([...new Set(care)] as CareInstruction[]),
    condition,
    size: sizeOf(body.size),
    isWishlisted: body.isWishlisted ?? false,
  });
}

/** The server-maintained part of a stored item, which a PUT keeps whatever the body says. */
export function serverItemFields(stored: StoredClothingItem): Omit<StoredClothingItem, keyof ClientItemFields> {
  const { tags: _t, aestheticTags: _a, colours: _c, brand: _b, category: _g, notes: _n, price: _p, dateAdded: _d, estimatedMarketValue: _e, purchaseDate: _u, careInfo: _r, condition: _o, size: _s, isWishlisted: _w, ...server } = stored;
  return server;
}
