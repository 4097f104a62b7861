/** Vault insights: exact numbers for the known dataset, through the HTTP stack, and the pure maths' edge rules. */
import { describe, expect, it } from '@jest/globals';
import { vaultInsights, type InsightItem } from '../../../domain/wardrobe/insights.ts';
import { comparableInsights, datasetWears, EXPECTED_VAULT, WARDROBE_DATASET } from '../../support/wardrobe-dataset.ts';
import { setup } from './support.ts';

async function loadDataset(t: ReturnType<typeof setup>, user: string) {
  const ids = new Map<string, string>();
  for (const item of WARDROBE_DATASET) {
    const reply = await t.as(user).createItem(item.body);
    expect(reply.statusCode).toBe(201);
    ids.set(item.key, reply.json.id);
  }
  for (const wear of datasetWears(t.clock.now())) {
    expect((await t.as(user).wear(ids.get(wear.key)!, { wearId: wear.wearId, wornAt: wear.wornAt })).statusCode).toBe(200);
  }
  return ids;
}

describe('GET /api/insights/vault', () => {
  it('answers the exact expected numbers for the known dataset', async () => {
    const t = setup();
    await loadDataset(t, 'ann');
    t.clock.advance(3_600_000);
    const reply = await t.as('ann').insights();
    expect(reply.statusCode).toBe(200);
    expect(reply.json.generatedAt).toBe('2026-11-22T11:00:00.000Z');
    expect(comparableInsights(reply.json)).toEqual(EXPECTED_VAULT);
    // What comparableInsights leaves out is right too.
    expect(reply.json.unworn[0]).toMatchObject({ lastWornAt: '2026-07-25T10:00:00.000Z', idleSince: '2026-07-25T10:00:00.000Z' });
    expect(reply.json.mostWorn[0].lastWornAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('counts never-worn items as unworn once they were added 90 days ago (injected clock)', async () => {
    const t = setup();
    await loadDataset(t, 'ann');
    t.clock.advance(90 * 86_400_000 - 1);
    const names = async () => (await t.as('ann').insights()).json.unworn.map((u: { name: string; idleDays: number }) => [u.name, u.idleDays]);
    // Everything worn is now idle 90+ days; the never-worn scarf and jacket were added 1 ms too late.
    const worn = [['Linen trousers', 209], ['Navy blazer', 184], ['Black jeans', 92], ['Trainers', 91], ['Striped tee', 90], ['White shirt', 90]];
    expect(await names()).toEqual(worn);
    t.clock.advance(1);
    expect(await names()).toEqual([['Linen trousers', 210], ['Navy blazer', 185], ['Black jeans', 93], ['Trainers', 92], ['Striped tee', 91], ['White shirt', 91], ['Rain jacket', 90], ['Silk scarf', 90]]);
  });

  it("is per user: another user's vault is empty", async () => {
    const t = setup();
    await loadDataset(t, 'ann');
    const bob = (await t.as('bob').insights()).json;
    expect(bob).toMatchObject({ itemCount: 0, countsByCategory: [], countsByColour: [], totalValue: [], costPerWear: [], mostWorn: [], leastWorn: [], unworn: [] });
  });
});

describe('vaultInsights (pure)', () => {
  const base: InsightItem = { id: 'x', name: 'X', category: 'tops', colours: [], price: null, currency: null, wearCount: 0, lastWornAt: null, status: 'active', createdAt: '2026-01-01T00:00:00.000Z' };
  const now = new Date('2026-06-01T00:00:00.000Z');

  it('sums money in minor units, exactly (0.1 + 0.2 is 0.3), and rounds cost per wear half-up', () => {
    const items = [
      { ...base, id: 'a', price: 0.1, currency: 'EUR' },
      { ...base, id: 'b', price: 0.2, currency: 'EUR' },
      { ...base, id: 'c', price: 0.25, currency: 'EUR', wearCount: 2 },
      { ...base, id: 'd', price: 1, currency: 'EUR', wearCount: 8 },
    ];
    const result = vaultInsights(items, now);
    expect(result.totalValue).toEqual([{ currency: 'EUR', amount: 1.55, itemCount: 4 }]);
    expect(Object.fromEntries(result.costPerWear.map((c) => [c.itemId, c.costPerWear]))).toEqual({ a: 0.1, b: 0.2, c: 0.13, d: 0.13 });
  });

  it('counts an item once per colour name even with two shades of it', () => {
    const result = vaultInsights([{ ...base, colours: [{ name: 'blue', hex: '#0000ff' }, { name: 'blue', hex: '#0000cc' }] }], now);
    expect(result.countsByColour).toEqual([{ colour: 'blue', count: 1 }]);
  });

  it('leaves drafts out entirely', () => {
    expect(vaultInsights([{ ...base, status: 'draft', price: 5, currency: 'EUR' }], now)).toMatchObject({ itemCount: 0, totalValue: [], leastWorn: [] });
  });
});
