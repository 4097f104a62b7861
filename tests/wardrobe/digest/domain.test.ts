/** Digest composition is pure: exact unworn lists, cost-per-wear changes, suggestions and summary. */
import { describe, expect, it } from '@jest/globals';
import { composeDigest, costPerWear, isoWeekOf, offlineSummary } from '../../../domain/wardrobe/digest.ts';
import { loadDigestSettings } from '../../../handlers/wardrobe/digest/settings.ts';
import { ANN_ITEMS, ANN_PREVIOUS, item, MONDAY } from './items.ts';

describe('isoWeekOf', () => {
  it.each([
    ['2026-11-23T06:00:00Z', '2026-W48'], // a Monday
    ['2026-11-22T23:59:59Z', '2026-W47'], // the Sunday before
    ['2026-01-01T00:00:00Z', '2026-W01'], // a Thursday: week 1
    ['2027-01-01T00:00:00Z', '2026-W53'], // a Friday: the last week of 2026
    ['2024-12-30T00:00:00Z', '2025-W01'], // a Monday in December: week 1 of 2025
  ])('%s is %s', (date, week) => {
    expect(isoWeekOf(new Date(date))).toBe(week);
  });
});

describe('composeDigest', () => {
  it('lists unworn items, cost-per-wear changes and suggestions, with exact numbers', () => {
    const digest = composeDigest({ items: ANN_ITEMS, previous: ANN_PREVIOUS, asOf: MONDAY });
    expect(digest).toMatchObject({ week: '2026-W48', asOf: '2026-11-23T06:00:00.000Z', previousWeek: '2026-W47', itemCount: 5 });
    // Drafts do not count; "unworn" is 30+ days since the last wear, or since it was added.
    expect(digest.unworn).toEqual({
      count: 3,
      items: [
        { itemId: 'i6', name: 'Old jeans', category: 'jeans', days: 175, lastWornAt: '2026-06-01T00:00:00.000Z' },
        { itemId: 'i2', name: 'Silk scarf', category: 'accessories', days: 83, lastWornAt: null },
        { itemId: 'i3', name: 'White tee', category: 'Tops', days: 52, lastWornAt: '2026-10-01T12:00:00.000Z' },
      ],
    });
    // Biggest drop first: the blazer 100 -> 50, the tee 5 -> 4, the shoes' first wear 120 -> 120.
    expect(digest.costPerWear).toEqual([
      { itemId: 'i1', name: 'Navy blazer', currency: 'EUR', priceThen: 200, priceNow: 200, wearsThen: 2, wearsNow: 4, costPerWearThen: 100, costPerWearNow: 50 },
      { itemId: 'i3', name: 'White tee', currency: 'EUR', priceThen: 20, priceNow: 20, wearsThen: 4, wearsNow: 5, costPerWearThen: 5, costPerWearNow: 4 },
      { itemId: 'i4', name: 'Running shoes', currency: 'EUR', priceThen: 120, priceNow: 120, wearsThen: 0, wearsNow: 1, costPerWearThen: null, costPerWearNow: 120 },
    ]);
    expect(digest.suggestions).toEqual([
      { kind: 'wear-unworn', itemId: 'i6', text: 'Wear your Old jeans: it has not been worn for 175 days.' },
      { kind: 'wear-unworn', itemId: 'i2', text: 'Wear your Silk scarf: it has not been worn since it was added 83 days ago.' },
      { kind: 'wear-unworn', itemId: 'i3', text: 'Wear your White tee: it has not been worn for 52 days.' },
      { kind: 'fill-gap', category: 'bottoms', text: 'Your wardrobe has no bottoms yet: adding some would make more outfits.' },
    ]);
    expect(digest.snapshot).toEqual([
      { itemId: 'i1', wearCount: 4, price: 200 },
      { itemId: 'i2', wearCount: 0, price: 60 },
      { itemId: 'i3', wearCount: 5, price: 20 },
      { itemId: 'i4', wearCount: 1, price: 120 },
      { itemId: 'i6', wearCount: 10, price: null },
    ]);
    expect(offlineSummary(digest)).toBe('Week 2026-W48: 5 items in your wardrobe, 3 unworn for 30+ days, 3 cost-per-wear changes and 4 suggestions.');
  });

  it('without a previous digest there are no changes; an empty wardrobe has no gap suggestions', () => {
    expect(composeDigest({ items: ANN_ITEMS, asOf: MONDAY }).costPerWear).toEqual([]);
    const empty = composeDigest({ items: [], asOf: MONDAY });
    expect(empty).toMatchObject({ itemCount: 0, unworn: { count: 0, items: [] }, suggestions: [], previousWeek: null });
    expect(offlineSummary(empty)).toBe('Week 2026-W48: 0 items in your wardrobe, 0 unworn for 30+ days, 0 cost-per-wear changes and 0 suggestions.');
  });

  it('bounds the unworn list at 10 while counting them all', () => {
    const many = Array.from({ length: 14 }, (_, n) => item('ann', `u${String(n).padStart(2, '0')}`, { createdAt: '2026-01-01T00:00:00.000Z' }));
    const digest = composeDigest({ items: many, asOf: MONDAY });
    expect(digest.unworn.count).toBe(14);
    expect(digest.unworn.items.map((entry) => entry.itemId)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09']);
  });

  it('cost per wear is price over wears, two decimals, null without wears or price', () => {
    expect(costPerWear(100, 3)).toBe(33.33);
    expect(costPerWear(100, 0)).toBeNull();
    expect(costPerWear(null, 3)).toBeNull();
  });
});

describe('digest settings', () => {
  it('WEEKLY_DIGEST_MAX_CONCURRENCY defaults to 4 and must be 1 to 64', () => {
    expect(loadDigestSettings({})).toEqual({ maxConcurrency: 4 });
    expect(loadDigestSettings({ WEEKLY_DIGEST_MAX_CONCURRENCY: '16' })).toEqual({ maxConcurrency: 16 });
    expect(() => loadDigestSettings({ WEEKLY_DIGEST_MAX_CONCURRENCY: '0' })).toThrow('WEEKLY_DIGEST_MAX_CONCURRENCY');
  });
});
