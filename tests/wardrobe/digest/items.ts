/** Wardrobe items for digest tests, stored the way the items service stores them. */
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';

export function item(userId: string, id: string, fields: Partial<WardrobeItem> = {}): WardrobeItem {
  return {
    id, userId, name: id, category: 'tops', colours: [], brand: null, price: null, currency: 'EUR', imageId: null, imageUrl: null, tags: [],
    purchaseDate: null, wearCount: 0, lastWornAt: null, status: 'active', source: null,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...fields,
  };
}

/** Ann's wardrobe on Monday 2026-11-23 (week 2026-W48), and what her previous digest remembered. */
export const ANN_ITEMS: WardrobeItem[] = [
  item('ann', 'i1', { name: 'Navy blazer', category: 'outerwear', price: 200, wearCount: 4, lastWornAt: '2026-11-20T09:00:00.000Z' }),
  item('ann', 'i2', { name: 'Silk scarf', category: 'accessories', price: 60, wearCount: 0, createdAt: '2026-09-01T00:00:00.000Z' }),
  item('ann', 'i3', { name: 'White tee', category: 'Tops', price: 20, wearCount: 5, lastWornAt: '2026-10-01T12:00:00.000Z' }),
  item('ann', 'i4', { name: 'Running shoes', category: 'shoes', price: 120, wearCount: 1, lastWornAt: '2026-11-22T08:00:00.000Z' }),
  item('ann', 'i5', { name: 'Draft coat', category: 'outerwear', price: 300, status: 'draft' }),
  item('ann', 'i6', { name: 'Old jeans', category: 'jeans', price: null, wearCount: 10, lastWornAt: '2026-06-01T00:00:00.000Z' }),
];

export const ANN_PREVIOUS = {
  week: '2026-W47',
  snapshot: [
    { itemId: 'i1', wearCount: 2, price: 200 },
    { itemId: 'i2', wearCount: 0, price: 60 },
    { itemId: 'i3', wearCount: 4, price: 20 },
    { itemId: 'i4', wearCount: 0, price: 120 },
  ],
};

export const MONDAY = new Date('2026-11-23T06:00:00.000Z');
