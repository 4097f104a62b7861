/**
 * A scraped product's (or a Reddit post's) clothing category, guessed from the page's category
 * and the product's name, `uncategorized` when nothing fits: what the discover feed tags it with.
 */

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
