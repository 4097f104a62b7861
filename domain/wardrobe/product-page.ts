/**
 * Reads a product from a product page's HTML: a JSON-LD `Product` (at the top level, in an
 * array, in `@graph`, or nested, e.g. a WebPage's `mainEntity`), or failing that the
 * OpenGraph / product meta tags. Gaps in the JSON-LD product are filled from the meta tags.
 * Pure, and total: any input gives a product or undefined, never an exception.
 */
import { decodeEntities, scanPage } from './html-scan.ts';

export interface ProductData {
  name: string;
  brand: string | null;
  /** As the page states it (the draft rounds it to the currency's digits). */
  price: number | null;
  /** Three upper-case letters, as the page states it (the draft checks it is ISO 4217). */
  currency: string | null;
  /** Absolute http(s), resolved against the page's URL. */
  imageUrl: string | null;
  /** What the page says the category is (JSON-LD `category`, the product's `og:type`), for guessing ours. */
  categoryHints: string[];
  from: 'json-ld' | 'meta';
}

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Walks at most this deep and this many nodes: a hostile page cannot make the walk expensive. */
const MAX_DEPTH = 12;
const MAX_NODES = 5000;
const MAX_TEXT = 2000;

const isObject = (value: Json): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const collapse = (text: string) => decodeEntities(text).replace(/\s+/g, ' ').trim();

/** A text value: a string or number, `{ '@value' }`, `{ name }`, or the first usable one of a list. */
function textOf(value: Json, depth = 0): string | null {
  if (depth > 3) return null;
  if (typeof value === 'string') return collapse(value.slice(0, MAX_TEXT)) || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) {
    for (const entry of value.slice(0, 20)) {
      const text = textOf(entry, depth + 1);
      if (text) return text;
    }
    return null;
  }
  if (isObject(value)) return textOf(value['@value'] ?? value.name, depth + 1);
  return null;
}

/**
 * A decimal amount as pages write it: `19.99`, `"1,299.00"`, `"19,99 €"`, `"1.299,00"`, `"1 299"`.
 * With both separators the later one is the decimal point; a lone comma followed by one or two
 * digits is one too (European style); schema.org asks for a dot, so a lone dot always is.
 */
export function parsePrice(value: Json): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.slice(0, 64).replace(/[\s\u00a0\u202f']/g, '');
  const match = /\d[\d.,]*/.exec(text);
  if (!match) return null;
  let digits = match[0].replace(/[.,]+$/, '');
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    digits = digits.split(thousands).join('');
    if (digits.split(decimal).length > 2) return null;
    digits = digits.replace(decimal, '.');
  } else if (lastComma >= 0) {
    const parts = digits.split(',');
    digits = parts.length === 2 && parts[1]!.length <= 2 ? parts.join('.') : parts.join('');
  } else if (digits.split('.').length > 2) {
    digits = digits.split('.').join('');
  }
  const amount = Number(digits);
  return Number.isFinite(amount) && amount >= 0 ? amount : null;
}

/** Three letters, upper-cased; anything else (a symbol, a word) is not a currency code. */
function currencyOf(value: Json): string | null {
  const text = textOf(value)?.toUpperCase() ?? null;
  return text && /^[A-Z]{3}$/.test(text) ? text : null;
}

/** An absolute http(s) URL, resolved against the page (protocol-relative and relative ones too). */
export function absoluteHttpUrl(text: string | null, base: string | undefined): string | null {
  if (!text) return null;
  const trimmed = text.trim();
  if (!URL.canParse(trimmed, base)) return null;
  const url = new URL(trimmed, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href.length <= 2048 ? url.href : null;
}

/** The first image: a URL string, an ImageObject (`url`, `contentUrl`), or a list of either. */
function imageOf(value: Json, depth = 0): string | null {
  if (depth > 3) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (Array.isArray(value)) {
    for (const entry of value.slice(0, 20)) {
      const image = imageOf(entry, depth + 1);
      if (image) return image;
    }
    return null;
  }
  if (isObject(value)) return imageOf(value.url ?? value.contentUrl ?? value.thumbnailUrl, depth + 1);
  return null;
}

/** Price and currency of the first priced offer: an Offer, an AggregateOffer (`lowPrice`), a list, or a `priceSpecification`. */
function offerOf(value: Json, depth = 0): { price: number; currency: string | null } | null {
  if (depth > 4) return null;
  if (Array.isArray(value)) {
    for (const entry of value.slice(0, 50)) {
      const offer = offerOf(entry, depth + 1);
      if (offer) return offer;
    }
    return null;
  }
  if (!isObject(value)) return null;
  const price = parsePrice(value.price) ?? parsePrice(value.lowPrice);
  if (price !== null) {
    const currency = currencyOf(value.priceCurrency) ?? (isObject(value.priceSpecification) ? currencyOf(value.priceSpecification.priceCurrency) : null);
    return { price, currency };
  }
  return offerOf(value.priceSpecification, depth + 1) ?? offerOf(value.offers, depth + 1);
}

const PRODUCT_TYPES = new Set(['product', 'productgroup', 'individualproduct', 'productmodel', 'someproducts']);

function isProduct(node: JsonObject): boolean {
  const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
  return types.some((type) => typeof type === 'string' && PRODUCT_TYPES.has(type.replace(/^(https?:\/\/schema\.org\/|schema:)/i, '').toLowerCase()));
}

/** Every Product node in document order (parents before their variants), within the walk's budget. */
function productNodes(root: Json): JsonObject[] {
  const found: JsonObject[] = [];
  let nodes = 0;
  const walk = (value: Json, depth: number) => {
    if (depth > MAX_DEPTH || nodes >= MAX_NODES || typeof value !== 'object' || value === null) return;
    nodes++;
    if (Array.isArray(value)) {
      for (const entry of value) walk(entry, depth + 1);
      return;
    }
    if (isProduct(value as JsonObject)) found.push(value as JsonObject);
    for (const child of Object.values(value)) walk(child, depth + 1);
  };
  walk(root, 0);
  return found;
}

/** The JSON of a ld+json script, tolerating comment and CDATA wrappers and raw control characters in strings. */
function parseJsonLd(text: string): Json {
  const body = text
    .trim()
    .replace(/^(?:\/\/\s*)?<!\[CDATA\[|(?:\/\/\s*)?\]\]>$/g, '')
    .replace(/^<!--|-->$/g, '')
    .trim();
  if (!body) return undefined;
  try {
    return JSON.parse(body) as Json;
  } catch {
    try {
      // CMSs often leave raw newlines and tabs inside strings, which JSON forbids.
      return JSON.parse(body.replace(/[\u0000-\u001f]+/g, ' ')) as Json;
    } catch {
      return undefined;
    }
  }
}

function fromJsonLd(scripts: readonly { type: string; text: string }[]): Omit<ProductData, 'from'> | undefined {
  for (const script of scripts) {
    if (script.type !== 'application/ld+json') continue;
    const products = productNodes(parseJsonLd(script.text));
    const primary = products.find((node) => textOf(node.name));
    if (!primary) continue;
    // A ProductGroup may price only its variants.
    const variants = Array.isArray(primary.hasVariant) ? primary.hasVariant : [primary.hasVariant];
    const offer = offerOf(primary.offers) ?? offerOf(variants.map((variant) => (isObject(variant) ? variant.offers : undefined)));
    const category = textOf(primary.category);
    return {
      name: textOf(primary.name)!,
      brand: textOf(primary.brand) ?? textOf(primary.manufacturer),
      price: offer?.price ?? null,
      currency: offer?.currency ?? null,
      imageUrl: imageOf(primary.image) ?? imageOf(variants.map((variant) => (isObject(variant) ? variant.image : undefined))),
      categoryHints: category ? [category] : [],
    };
  }
  return undefined;
}

/** The first value of each meta key (`property`, `name` or `itemprop`), lower-cased keys. */
function metaValues(metas: readonly Map<string, string>[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const attrs of metas) {
    const key = (attrs.get('property') ?? attrs.get('name') ?? attrs.get('itemprop'))?.trim().toLowerCase();
    const content = attrs.get('content');
    if (!key || content === undefined) continue;
    const text = content.slice(0, MAX_TEXT).replace(/\s+/g, ' ').trim();
    if (text && !values.has(key)) values.set(key, text);
  }
  return values;
}

function fromMeta(meta: Map<string, string>): Omit<ProductData, 'from'> & { isProduct: boolean } {
  const first = (...keys: string[]) => keys.map((key) => meta.get(key)).find((value) => value !== undefined) ?? null;
  const price = parsePrice(first('product:price:amount', 'og:price:amount', 'price'));
  const brand = first('product:brand', 'og:brand', 'brand');
  const type = first('og:type');
  return {
    name: first('og:title', 'twitter:title') ?? '',
    brand,
    price,
    currency: price === null ? null : currencyOf(first('product:price:currency', 'og:price:currency', 'pricecurrency')),
    imageUrl: first('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image'),
    categoryHints: [first('product:category', 'category')].filter((hint): hint is string => hint !== null),
    // A page is a product page by its type, a price or a brand; an article's og:title is not a product.
    isProduct: Boolean(type?.toLowerCase().startsWith('product') || type?.toLowerCase() === 'og:product' || price !== null || brand),
  };
}

/** The product on the page, or undefined when it has no product data. `pageUrl` resolves relative image URLs. */
export function parseProductPage(html: string, pageUrl?: string): ProductData | undefined {
  if (typeof html !== 'string') return undefined;
  const page = scanPage(html);
  const meta = fromMeta(metaValues(page.metas));
  const ld = fromJsonLd(page.scripts);
  let product: ProductData | undefined;
  if (ld) {
    const priced = ld.price !== null;
    product = {
      ...ld,
      brand: ld.brand ?? meta.brand,
      price: priced ? ld.price : meta.price,
      // Price and currency travel together: both from the JSON-LD offer or both from the meta tags.
      currency: priced ? ld.currency : meta.currency,
      imageUrl: ld.imageUrl ?? meta.imageUrl,
      categoryHints: [...ld.categoryHints, ...meta.categoryHints],
      from: 'json-ld',
    };
  } else if (meta.isProduct && meta.name) {
    const { isProduct: _isProduct, ...rest } = meta;
    product = { ...rest, from: 'meta' };
  }
  if (!product) return undefined;
  return { ...product, imageUrl: absoluteHttpUrl(product.imageUrl, pageUrl) };
}
