/**
 * The rules a wardrobe item's client-editable fields follow, beyond what the JSON schema can say.
 * `clientItemFields` is the PluckIt item (clothing-item.ts) as POST and PUT /api/wardrobe take it:
 * it accepts every variant the clients send (contract section 5) and normalises it. Pure.
 */
import { badRequest, type FieldProblem } from '../errors.ts';
import { isoSeconds } from '../time.ts';
import type { CareInstruction, ClothingItem, ItemColour, ItemCondition, ItemPrice, ItemSize, StoredClothingItem } from './clothing-item.ts';

let currencies: ReadonlySet<string> | undefined;
/** ISO 4217 codes as the JavaScript engine's ICU data knows them. */
export function isKnownCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
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
