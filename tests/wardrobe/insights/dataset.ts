/**
 * A small wardrobe with hand-computed vault insights on Monday 2026-11-23 06:00 UTC (the 90-day
 * window starts 2026-08-25 06:00): four items priced in EUR, one in USD, one draft.
 */
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { item } from '../digest/items.ts';

export const NOW = new Date('2026-11-23T06:00:00Z');
const eur = (amount: number) => ({ amount, originalCurrency: 'EUR' });
const worn = (...days: string[]) => days.map((day) => ({ occurredAt: `${day}T09:00:00Z` }));

export const VAULT_ITEMS = (userId: string): StoredClothingItem[] => [
  // 3 wears in the window (07-01 is before it), 4 in all; owned 6 months.
  item(userId, 'a', { colours: [{ name: 'Navy', hex: '#1f2a44' }], price: eur(200), wearCount: 4, dateAdded: '2026-05-10T00:00:00Z', lastWornAt: '2026-11-20T09:00:00Z', wearEvents: worn('2026-07-01', '2026-09-01', '2026-10-15', '2026-11-20') }),
  // 2 wears, both this month, added this month.
  item(userId, 'b', { colours: [{ name: 'navy', hex: '#1f2a44' }], price: eur(300), wearCount: 2, dateAdded: '2026-11-01T00:00:00Z', lastWornAt: '2026-11-12T09:00:00Z', wearEvents: worn('2026-11-10', '2026-11-12') }),
  item(userId, 'c', { colours: [{ name: 'Red', hex: '#cc0000' }], price: eur(80), dateAdded: '2026-03-01T00:00:00Z' }),
  // Priced in USD: unpriced in a EUR answer.
  item(userId, 'd', { colours: [{ name: 'Gray', hex: '#808080' }], price: { amount: 50, originalCurrency: 'USD' }, wearCount: 6, dateAdded: '2025-11-23T00:00:00Z', lastWornAt: '2026-11-01T09:00:00Z', wearEvents: worn('2026-11-01') }),
  item(userId, 'e', { price: eur(500), dateAdded: '2026-01-15T00:00:00Z' }),
];

export const VAULT_DRAFT = (userId: string): StoredClothingItem => item(userId, 'draft', { price: eur(9000), draftStatus: 'Processing' });

/** The answer at NOW with the defaults (90 days, target 100, no profile currency). */
export const EXPECTED_VAULT = {
  generatedAt: '2026-11-23T06:00:00Z',
  currency: 'EUR',
  insufficientData: false,
  fxDate: null,
  conversionStatus: 'not_converted',
  behavioralInsights: {
    // navy: 3 (a) + 2 (b) of 6 colour-tagged wears in the window; grey 1.
    topColorWearShare: { color: 'navy', pct: 83.3 },
    // c and e were never worn.
    unworn90dPct: 40,
    mostExpensiveUnworn: { itemId: 'e', amount: 500, currency: 'EUR' },
    // 3 items with wears.
    sparseHistory: true,
  },
  cpwIntel: [
    {
      itemId: 'a', cpw: 50, badge: 'low', breakEvenReached: true, breakEvenTargetCpw: 100,
      recentWearRate: 1, historicalWearRate: 0.67, wearRateTrend: 'up', wearRateDelta: 0.33,
      forecast: { targetCpw: 100, projectedMonth: '2026-11', projectedWearsNeeded: 0, recentWearRate: 1, historicalWearRate: 0.67, wearRateTrend: 'up' },
    },
    {
      // 1 more wear to 100 a wear, at 2/3 a month: 1.5, so 2 months.
      itemId: 'b', cpw: 150, badge: 'medium', breakEvenReached: false, breakEvenTargetCpw: 100,
      recentWearRate: 0.67, historicalWearRate: 2, wearRateTrend: 'down', wearRateDelta: -1.33,
      forecast: { targetCpw: 100, projectedMonth: '2027-01', projectedWearsNeeded: 1, recentWearRate: 0.67, historicalWearRate: 2, wearRateTrend: 'down' },
    },
    {
      // 1 wear needed at the 0.3-a-month floor: 4 months.
      itemId: 'c', cpw: null, badge: 'unworn', breakEvenReached: false, breakEvenTargetCpw: 100,
      recentWearRate: 0, historicalWearRate: 0, wearRateTrend: 'stable', wearRateDelta: 0,
      forecast: { targetCpw: 100, projectedMonth: '2027-03', projectedWearsNeeded: 1, recentWearRate: 0, historicalWearRate: 0, wearRateTrend: 'stable' },
    },
    {
      itemId: 'd', cpw: null, badge: 'unknown', breakEvenReached: false, breakEvenTargetCpw: 100,
      recentWearRate: 0.33, historicalWearRate: 0.5, wearRateTrend: 'down', wearRateDelta: -0.17,
      forecast: null,
    },
    {
      // 5 wears at 0.3 a month: 17 months.
      itemId: 'e', cpw: null, badge: 'unworn', breakEvenReached: false, breakEvenTargetCpw: 100,
      recentWearRate: 0, historicalWearRate: 0, wearRateTrend: 'stable', wearRateDelta: 0,
      forecast: { targetCpw: 100, projectedMonth: '2028-04', projectedWearsNeeded: 5, recentWearRate: 0, historicalWearRate: 0, wearRateTrend: 'stable' },
    },
  ],
};
