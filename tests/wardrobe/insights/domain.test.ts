/** The vault insights maths (domain/wardrobe/insights.ts) on a hand-computed wardrobe. */
import { describe, expect, it } from '@jest/globals';
import { cpwBadge, insightCurrency, monthAfter, monthsOwned, vaultInsights, wearRateTrend } from '../../../domain/wardrobe/insights.ts';
import { EXPECTED_VAULT, NOW, VAULT_ITEMS } from './dataset.ts';

const items = VAULT_ITEMS('ann');
const intel = (answer: ReturnType<typeof vaultInsights>, itemId: string) => answer.cpwIntel.find((entry) => entry.itemId === itemId)!;

describe('vault insights', () => {
  it('answers the hand-computed numbers with the defaults', () => {
    expect(vaultInsights(items, { now: NOW })).toEqual(EXPECTED_VAULT);
    // Item order does not matter.
    expect(vaultInsights([...items].reverse(), { now: NOW })).toEqual(EXPECTED_VAULT);
  });

  it('a shorter window counts fewer wears over fewer months', () => {
    // 30 days back from 2026-11-23 06:00: a's 11-20, b's two, d's 11-01; one month.
    const answer = vaultInsights(items, { now: NOW, windowDays: 30 });
    expect(answer.behavioralInsights.topColorWearShare).toEqual({ color: 'navy', pct: 75 });
    expect(intel(answer, 'a')).toMatchObject({ recentWearRate: 1, historicalWearRate: 0.67, wearRateTrend: 'up' });
    expect(intel(answer, 'b')).toMatchObject({ recentWearRate: 2, historicalWearRate: 2, wearRateTrend: 'stable', wearRateDelta: 0 });
    // b: 1 wear at 2 a month: this month's half, so 1 month on.
    expect(intel(answer, 'b').forecast).toMatchObject({ projectedMonth: '2026-12', projectedWearsNeeded: 1 });
    // unworn90dPct keeps its 90 days whatever the window.
    expect(answer.behavioralInsights.unworn90dPct).toBe(40);
  });

  it('the target moves the badges, break-even and forecasts', () => {
    const answer = vaultInsights(items, { now: NOW, targetCpw: 40 });
    // a: 50 a wear is above 40 but not above 60.
    expect(intel(answer, 'a')).toMatchObject({ cpw: 50, badge: 'medium', breakEvenReached: false, breakEvenTargetCpw: 40 });
    // 200 / 40 = 5 wears, 1 more at 1 a month.
    expect(intel(answer, 'a').forecast).toEqual({ targetCpw: 40, projectedMonth: '2026-12', projectedWearsNeeded: 1, recentWearRate: 1, historicalWearRate: 0.67, wearRateTrend: 'up' });
    expect(intel(answer, 'b')).toMatchObject({ cpw: 150, badge: 'high' });
    expect(vaultInsights(items, { now: NOW, targetCpw: 150 }).cpwIntel.find((entry) => entry.itemId === 'b')).toMatchObject({ badge: 'low', breakEvenReached: true });
  });

  it("the profile's currency wins when items mix; nothing is converted", () => {
    const answer = vaultInsights(items, { now: NOW, preferredCurrency: 'usd' });
    expect(answer).toMatchObject({ currency: 'USD', conversionStatus: 'not_converted', fxDate: null });
    // d is the only USD item: 50 / 6 wears.
    expect(intel(answer, 'd')).toMatchObject({ cpw: 8.33, badge: 'low', breakEvenReached: true });
    expect(intel(answer, 'a')).toMatchObject({ cpw: null, badge: 'unknown', forecast: null });
    // No USD item is unworn.
    expect(answer.behavioralInsights.mostExpensiveUnworn).toBeNull();
    // One currency only: nothing to convert.
    expect(vaultInsights(items.filter((entry) => entry.id !== 'd'), { now: NOW }).conversionStatus).toBe('not_needed');
  });

  it('an empty wardrobe is insufficient data', () => {
    expect(vaultInsights([], { now: NOW })).toEqual({
      generatedAt: '2026-11-23T06:00:00Z', currency: 'USD', insufficientData: true, fxDate: null, conversionStatus: 'not_needed',
      behavioralInsights: { topColorWearShare: null, unworn90dPct: null, mostExpensiveUnworn: null, sparseHistory: true },
      cpwIntel: [],
    });
  });

  it('its rules, one by one', () => {
    expect(insightCurrency([], undefined)).toBe('USD');
    // Two EUR, two GBP: a tie goes to the first alphabetically.
    expect(insightCurrency(['GBP', 'EUR', 'gbp', 'eur'].map((code, n) => ({ id: String(n), colours: [], wearCount: 0, price: { amount: 1, originalCurrency: code } })))).toBe('EUR');
    // A legacy plain-number price is an amount in USD.
    expect(insightCurrency([{ id: 'x', colours: [], wearCount: 0, price: 20 as never }])).toBe('USD');
    expect(vaultInsights([{ id: 'x', colours: [], wearCount: 2, price: 20 as never }], { now: NOW }).cpwIntel[0]).toMatchObject({ cpw: 10, badge: 'low' });
    expect(monthsOwned(undefined, NOW)).toBe(1);
    expect(monthsOwned('2026-11-01T00:00:00Z', NOW)).toBe(1);
    expect(monthsOwned('2024-12-31T23:00:00Z', NOW)).toBe(23);
    expect(monthAfter(NOW, 0)).toBe('2026-11');
    expect(monthAfter(NOW, 2)).toBe('2027-01');
    expect(monthAfter(new Date('2026-12-31T23:59:59Z'), 12)).toBe('2027-12');
    expect(wearRateTrend(0, 0)).toBe('stable');
    // Within 20% of the historical rate is stable, beyond it not.
    expect(wearRateTrend(1.19, 1)).toBe('stable');
    expect(wearRateTrend(1.25, 1)).toBe('up');
    expect(wearRateTrend(0.75, 1)).toBe('down');
    // At least 0.05 wears a month of tolerance.
    expect(wearRateTrend(0.04, 0)).toBe('stable');
    expect(wearRateTrend(0.06, 0)).toBe('up');
    expect(cpwBadge(null, 0, 100)).toBe('unworn');
    expect(cpwBadge(null, 2, 100)).toBe('unknown');
    expect(cpwBadge(150.01, 2, 100)).toBe('high');
    expect(cpwBadge(150, 2, 100)).toBe('medium');
    expect(cpwBadge(100, 2, 100)).toBe('low');
  });
});
