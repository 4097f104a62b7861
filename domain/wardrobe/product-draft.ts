/**
 * A scraped product becomes a draft item: text cut to the item limits, the price rounded to its
 * currency's digits (and dropped with its currency when either is unusable), and a category
 * guessed from the page's category and the product's name, `uncategorized` when nothing fits.
 */
import { currencyDigits, isKnownCurrency, ITEM_LIMITS, type ItemInput } from './item-rules.ts';
import type { ProductData } from './product-page.ts';

export const UNCATEGORIZED = 'uncategorized';

/**
 * Words that name a garment, by the category items use (the digest's core four, plus dresses,
 * bags and accessories). Singular forms; a trailing `s`/`es` is dropped before lookup.
 */
const CATEGORY_WORDS: Readonly<Record<string, readonly string[]>> = {
  outerwear: ['coat', 'jacket', 'parka', 'blazer', 'anorak', 'trench', 'puffer', 'gilet', 'raincoat', 'windbreaker', 'overcoat', 'peacoat', 'poncho', 'outerwear'],
  tops: ['shirt', 't-shirt', 'tshirt', 'tee', 'blouse', 'sweater', 'jumper', 'cardigan', 'hoodie', 'sweatshirt', 'polo', 'top', 'tank', 'camisole', 'pullover', 'turtleneck', 'knitwear', 'tunic', 'bodysuit', 'crewneck'],
  bottoms: ['jean', 'trouser', 'pant', 'chino', 'short', 'skirt', 'legging', 'jogger', 'culotte', 'sweatpant', 'bottom'],
  dresses: ['dress', 'gown', 'jumpsuit', 'playsuit', 'romper', 'sundress'],
  shoes: ['shoe', 'sneaker', 'trainer', 'boot', 'sandal', 'loafer', 'heel', 'pump', 'oxford', 'brogue', 'espadrille', 'mule', 'slipper', 'clog', 'footwear', 'flip-flop', 'stiletto', 'runner', 'hiker'],
  bags: ['bag', 'handbag', 'tote', 'backpack', 'purse', 'clutch', 'satchel', 'rucksack', 'crossbody'],
  accessories: ['hat', 'cap', 'beanie', 'scarf', 'belt', 'glove', 'sunglass', 'tie', 'wallet', 'watch', 'necklace', 'bracelet', 'earring', 'ring', 'sock', 'accessory', 'accessorie'],
};

const WORD_TO_CATEGORY = new Map(Object.entries(CATEGORY_WORDS).flatMap(([category, words]) => words.map((word) => [word, category] as const)));

function categoryOfWord(word: string): string | undefined {
  const forms = [word, word.replace(/es$/, ''), word.replace(/s$/, '')];
  for (const form of forms) {
    const category = WORD_TO_CATEGORY.get(form);
    if (category) return category;
  }
  return undefined;
}

/**
 * The category of the last garment word in the text: in English the head noun comes last, so
 * "Shirt Dress" is a dress and "Dress Shirt" a shirt. Breadcrumbs (`Men > Shoes > Boots`)
 * read the same way.
 */
function categoryOfText(text: string): string | undefined {
  const words = text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? [];
  for (let index = words.length - 1; index >= 0; index--) {
    const category = categoryOfWord(words[index]!) ?? words[index]!.split('-').map(categoryOfWord).findLast(Boolean);
    if (category) return category;
  }
  return undefined;
}

/** The page's own category first, then the product's name; `uncategorized` when neither names a garment. */
export function guessCategory(hints: readonly string[], name: string): string {
  for (const text of [...hints, name]) {
    const category = categoryOfText(text.slice(0, 500));
    if (category) return category;
  }
  return UNCATEGORIZED;
}

/** At most `max` characters (code points, as the schemas count), whole. */
const cut = (text: string, max: number) => Array.from(text).slice(0, max).join('').trim();

/** Price and currency when both are usable, else neither: an item's price needs its currency. */
function priceOf(product: Pick<ProductData, 'price' | 'currency'>): { price: number; currency: string } | undefined {
  const { price, currency } = product;
  if (price === null || currency === null || !isKnownCurrency(currency)) return undefined;
  const rounded = Number(price.toFixed(currencyDigits(currency)));
  return Number.isFinite(rounded) && rounded >= 0 && rounded <= ITEM_LIMITS.maxPrice ? { price: rounded, currency } : undefined;
}

/** The new draft item's client fields; undefined when the product has no usable name. */
export function draftFromProduct(product: ProductData): ItemInput | undefined {
  const name = cut(product.name, ITEM_LIMITS.name);
  if (!name) return undefined;
  const brand = product.brand === null ? null : cut(product.brand, ITEM_LIMITS.brand) || null;
  const priced = priceOf(product);
  return {
    name,
    category: guessCategory(product.categoryHints, name),
    brand,
    price: priced?.price ?? null,
    currency: priced?.currency ?? null,
    imageUrl: product.imageUrl !== null && product.imageUrl.length <= ITEM_LIMITS.imageUrl ? product.imageUrl : null,
    status: 'draft',
  };
}

/** The price a refresh reads, checked like the import's; undefined when the page no longer states one. */
export const refreshedPrice = (product: ProductData) => priceOf(product);
