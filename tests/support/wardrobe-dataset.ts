/**
 * A known wardrobe, used by the end-to-end suite: create the items through POST /api/wardrobe
 * (in this order, in the PluckIt item shape) and log `datasetWears(now)` through PATCH
 * /api/wardrobe/{id}/wear. Wears are dated relative to `now`. (The exact vault insights are
 * pinned by tests/wardrobe/insights.)
 *
 * Edge cases it covers: a lower-case currency (normalised), an unpriced item, a never-worn priced
 * item, three currencies with 0 and 2 minor digits (never added together), wears logged out of
 * order (lastWornAt is the latest, not the last logged), colours shared across items, and a
 * wishlist item (left out of the wardrobe list unless asked for).
 */

export interface DatasetItem {
  key: string;
  body: Record<string, unknown>;
  /** Days before `now` of each wear, in the order they are logged. */
  wearsDaysAgo: number[];
}

const price = (amount: number, originalCurrency: string) => ({ amount, originalCurrency });

export const WARDROBE_DATASET: readonly DatasetItem[] = [
  { key: 'blazer', body: { notes: 'Navy blazer', category: 'Outerwear', colours: [{ name: 'Navy', hex: '#1F2A44' }], brand: 'Atelier', price: price(240, 'EUR'), tags: ['Work', ' work ', 'smart'] }, wearsDaysAgo: [100, 95] },
  { key: 'shirt', body: { notes: 'White shirt', category: 'tops', colours: [{ name: 'white', hex: '#ffffff' }], price: price(45, 'EUR') }, wearsDaysAgo: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
  { key: 'jeans', body: { notes: 'Black jeans', category: 'bottoms', colours: [{ name: 'black', hex: '#000000' }], price: price(80, 'eur') }, wearsDaysAgo: [30, 3, 20, 10] },
  { key: 'trainers', body: { notes: 'Trainers', category: 'shoes', colours: [{ name: 'white', hex: '#f5f5f5' }, { name: 'grey', hex: '#808080' }], price: price(120, 'USD') }, wearsDaysAgo: [40, 2, 12] },
  { key: 'scarf', body: { notes: 'Silk scarf', category: 'accessories', colours: [{ name: 'red', hex: '#c0392b' }, { name: 'navy', hex: '#1f2a44' }], price: price(59.99, 'USD') }, wearsDaysAgo: [] },
  { key: 'linen', body: { notes: 'Linen trousers', category: 'bottoms', colours: [{ name: 'beige', hex: '#d8c3a5' }], price: price(12000, 'JPY') }, wearsDaysAgo: [120] },
  { key: 'tee', body: { notes: 'Striped tee', category: 'tops', colours: [{ name: 'white', hex: '#ffffff' }, { name: 'navy', hex: '#1f2a44' }], price: price(19.99, 'EUR') }, wearsDaysAgo: [91, 1, 2] },
  { key: 'jacket', body: { notes: 'Rain jacket', category: 'outerwear', colours: [{ name: 'yellow', hex: '#f1c40f' }] }, wearsDaysAgo: [] },
  { key: 'boots', body: { notes: 'Wishlist boots', category: 'shoes', isWishlisted: true, colours: [{ name: 'brown', hex: '#6b4423' }], price: price(150, 'EUR') }, wearsDaysAgo: [] },
];

const DAY_MS = 86_400_000;

/** The wears to log, with stable wearIds (`<key>-<n>`) and wornAt relative to `now`. */
export function datasetWears(now: Date): { key: string; wearId: string; wornAt: string }[] {
  return WARDROBE_DATASET.flatMap((item) =>
    item.wearsDaysAgo.map((days, n) => ({ key: item.key, wearId: `${item.key}-${n + 1}`, wornAt: new Date(now.getTime() - days * DAY_MS).toISOString() })),
  );
}
