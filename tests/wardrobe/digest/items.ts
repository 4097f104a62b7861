/** Wardrobe items for digest and insights tests, in the stored PluckIt shape (domain/wardrobe/clothing-item.ts). */
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';

export function item(userId: string, id: string, fields: Partial<StoredClothingItem> = {}): StoredClothingItem {
  return { id, userId, tags: [], colours: [], category: 'Tops', wearCount: 0, isWishlisted: false, dateAdded: '2026-01-01T00:00:00Z', ...fields };
}

/** Ann's wardrobe on Monday 2026-11-23 06:00 UTC: five finalised items and a draft. */
export const ANN_ITEMS: StoredClothingItem[] = [
  item('ann', 'i1', { category: 'Outerwear', brand: 'Acme', colours: [{ name: 'Navy', hex: '#1f2a44' }], wearCount: 4, lastWornAt: '2026-11-20T09:00:00Z' }),
  item('ann', 'i2', { category: 'Accessories', colours: [{ name: 'Red', hex: '#cc0000' }], wearCount: 0, dateAdded: '2026-09-01T00:00:00Z' }),
  item('ann', 'i3', { category: 'tops', colours: [{ name: 'White', hex: '#ffffff' }], wearCount: 5, lastWornAt: '2026-10-01T12:00:00Z' }),
  item('ann', 'i4', { category: 'Shoes', wearCount: 1, lastWornAt: '2026-11-22T08:00:00Z' }),
  item('ann', 'i5', { category: 'Outerwear', draftStatus: 'Ready' }),
  item('ann', 'i6', { category: 'Jeans', wearCount: 10, lastWornAt: '2026-06-01T00:00:00Z' }),
];

/** What composeDigest suggests to Ann on MONDAY. */
export const ANN_SUGGESTIONS = [
  // Longest idle first: i6 last worn 2026-06-01 (175 days), i2 added 2026-09-01 and never worn (83), i3 worn 2026-10-01 12:00 (52).
  { item: 'Your jeans', rationale: 'Not worn for 175 days: give it an outing this week.', itemId: 'i6' },
  { item: 'Your red accessories', rationale: 'Never worn since you added it 83 days ago: style it into an outfit this week.', itemId: 'i2' },
  { item: 'Your white tops', rationale: 'Not worn for 52 days: give it an outing this week.', itemId: 'i3' },
  // Tops, shoes and outerwear are owned (whatever their case); bottoms are not.
  { item: 'A versatile piece for bottoms', rationale: 'Your wardrobe has no bottoms yet: one would make more outfits from what you own.' },
];

export const MONDAY = new Date('2026-11-23T06:00:00.000Z');
