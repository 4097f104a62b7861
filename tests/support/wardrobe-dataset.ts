/**
 * A known wardrobe and the exact vault insights it must produce: used by the items unit tests and
 * by the end-to-end suite. Create the items through the pre-issue-16 item shape (in this order),
 * log `datasetWears(now)` through POST .../wear, then compare `comparableInsights(GET
 * /api/insights/vault)` with EXPECTED_VAULT. Wears are dated relative to `now`, so the numbers
 * hold whenever the suite runs (as long as it reads the insights within a day of `now`).
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

/** The insights with what depends on ids or on the exact clock taken out (ids become names; days stay). */
export function comparableInsights(insights: Record<string, unknown>): Record<string, unknown> {
  const strip = (entries: unknown) => (entries as Record<string, unknown>[]).map(({ itemId: _id, lastWornAt: _last, idleSince: _since, ...rest }) => rest);
  const { generatedAt: _at, costPerWear, mostWorn, leastWorn, unworn, ...rest } = insights;
  return { ...rest, costPerWear: strip(costPerWear), mostWorn: strip(mostWorn), leastWorn: strip(leastWorn), unworn: strip(unworn) };
}

export const EXPECTED_VAULT = {
  itemCount: 8,
  countsByCategory: [
    { category: 'bottoms', count: 2 },
    { category: 'outerwear', count: 2 },
    { category: 'tops', count: 2 },
    { category: 'accessories', count: 1 },
    { category: 'shoes', count: 1 },
  ],
  countsByColour: [
    { colour: 'navy', count: 3 },
    { colour: 'white', count: 3 },
    { colour: 'beige', count: 1 },
    { colour: 'black', count: 1 },
    { colour: 'grey', count: 1 },
    { colour: 'red', count: 1 },
    { colour: 'yellow', count: 1 },
  ],
  totalValue: [
    { currency: 'EUR', amount: 384.99, itemCount: 4 },
    { currency: 'JPY', amount: 12000, itemCount: 1 },
    { currency: 'USD', amount: 179.99, itemCount: 2 },
  ],
  costPerWear: [
    { name: 'Navy blazer', currency: 'EUR', price: 240, wearCount: 2, costPerWear: 120 },
    { name: 'Black jeans', currency: 'EUR', price: 80, wearCount: 4, costPerWear: 20 },
    { name: 'Striped tee', currency: 'EUR', price: 19.99, wearCount: 3, costPerWear: 6.66 },
    { name: 'White shirt', currency: 'EUR', price: 45, wearCount: 9, costPerWear: 5 },
    { name: 'Linen trousers', currency: 'JPY', price: 12000, wearCount: 1, costPerWear: 12000 },
    { name: 'Silk scarf', currency: 'USD', price: 59.99, wearCount: 0, costPerWear: 59.99 },
    { name: 'Trainers', currency: 'USD', price: 120, wearCount: 3, costPerWear: 40 },
  ],
  mostWorn: [
    { name: 'White shirt', wearCount: 9 },
    { name: 'Black jeans', wearCount: 4 },
    { name: 'Striped tee', wearCount: 3 },
    { name: 'Trainers', wearCount: 3 },
    { name: 'Navy blazer', wearCount: 2 },
  ],
  leastWorn: [
    { name: 'Rain jacket', wearCount: 0 },
    { name: 'Silk scarf', wearCount: 0 },
    { name: 'Linen trousers', wearCount: 1 },
    { name: 'Navy blazer', wearCount: 2 },
    { name: 'Trainers', wearCount: 3 },
  ],
  unworn: [
    { name: 'Linen trousers', idleDays: 120 },
    { name: 'Navy blazer', idleDays: 95 },
  ],
  unwornDays: 90,
};
