/**
 * A known wardrobe, used by the end-to-end suite: create the items through POST
 * /api/wardrobe/items (in this order) and log `datasetWears(now)` through POST .../wear. Wears
 * are dated relative to `now`. (The exact vault insights are pinned by tests/wardrobe/insights.)
 *
 * Edge cases it covers: a lower-case currency (normalised), a draft (excluded everywhere), an
 * unpriced item (no value, no cost per wear), a never-worn priced item (cost per wear = price),
 * three currencies with 0 and 2 minor digits (never added together), ties in the rankings,
 * wears logged out of order (lastWornAt is the latest, not the last logged), and colours
 * shared across items (an item counts once per colour name).
 */

export interface DatasetItem {
  key: string;
  body: Record<string, unknown>;
  /** Days before `now` of each wear, in the order they are logged. */
  wearsDaysAgo: number[];
}

export const WARDROBE_DATASET: readonly DatasetItem[] = [
  { key: 'blazer', body: { name: 'Navy blazer', category: 'Outerwear', colours: [{ name: 'Navy', hex: '#1F2A44' }], brand: 'Atelier', price: 240, currency: 'EUR', tags: ['Work', ' work ', 'smart'] }, wearsDaysAgo: [100, 95] },
  { key: 'shirt', body: { name: 'White shirt', category: 'tops', colours: [{ name: 'white', hex: '#ffffff' }], price: 45, currency: 'EUR' }, wearsDaysAgo: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
  { key: 'jeans', body: { name: 'Black jeans', category: 'bottoms', colours: [{ name: 'black', hex: '#000000' }], price: 80, currency: 'eur' }, wearsDaysAgo: [30, 3, 20, 10] },
  { key: 'trainers', body: { name: 'Trainers', category: 'shoes', colours: [{ name: 'white', hex: '#f5f5f5' }, { name: 'grey', hex: '#808080' }], price: 120, currency: 'USD' }, wearsDaysAgo: [40, 2, 12] },
  { key: 'scarf', body: { name: 'Silk scarf', category: 'accessories', colours: [{ name: 'red', hex: '#c0392b' }, { name: 'navy', hex: '#1f2a44' }], price: 59.99, currency: 'USD' }, wearsDaysAgo: [] },
  { key: 'linen', body: { name: 'Linen trousers', category: 'bottoms', colours: [{ name: 'beige', hex: '#d8c3a5' }], price: 12000, currency: 'JPY' }, wearsDaysAgo: [120] },
  { key: 'tee', body: { name: 'Striped tee', category: 'tops', colours: [{ name: 'white', hex: '#ffffff' }, { name: 'navy', hex: '#1f2a44' }], price: 19.99, currency: 'EUR' }, wearsDaysAgo: [91, 1, 2] },
  { key: 'jacket', body: { name: 'Rain jacket', category: 'outerwear', colours: [{ name: 'yellow', hex: '#f1c40f' }] }, wearsDaysAgo: [] },
  { key: 'boots', body: { name: 'Draft boots', category: 'shoes', status: 'draft', colours: [{ name: 'brown', hex: '#6b4423' }], price: 150, currency: 'EUR' }, wearsDaysAgo: [] },
];

const DAY_MS = 86_400_000;

/** The wears to log, with stable wearIds (`<key>-<n>`) and wornAt relative to `now`. */
export function datasetWears(now: Date): { key: string; wearId: string; wornAt: string }[] {
  return WARDROBE_DATASET.flatMap((item) =>
    item.wearsDaysAgo.map((days, n) => ({ key: item.key, wearId: `${item.key}-${n + 1}`, wornAt: new Date(now.getTime() - days * DAY_MS).toISOString() })),
  );
}
