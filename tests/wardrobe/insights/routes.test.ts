/**
 * GET /api/insights/vault through the HTTP stack on the memory store (contract section 7.4):
 * the exact answer over the stored items, the query's effect and bounds, the ETag and 304.
 */
import { describe, expect, it } from '@jest/globals';
import { replaceProfile } from '../../../domain/wardrobe/profile.ts';
import { replaceStoredProfile, updateServerFields } from '../../../handlers/wardrobe/profile/store.ts';
import { expectedEtag, NO_STORE, routesHarness } from '../digest/support.ts';
import { EXPECTED_VAULT, NOW, VAULT_DRAFT, VAULT_ITEMS } from './dataset.ts';

async function annsVault() {
  const t = routesHarness({});
  t.clock.set(NOW.getTime());
  // Neither a draft nor a wishlist item is owned yet: both are left out.
  const wished = { ...VAULT_DRAFT('ann'), id: 'wished', draftStatus: undefined, isWishlisted: true };
  await t.seed([...VAULT_ITEMS('ann'), VAULT_DRAFT('ann'), wished, ...VAULT_ITEMS('bob').slice(0, 1)]);
  return { t, ann: t.as('ann') };
}

describe('GET /api/insights/vault', () => {
  it("answers the exact insights over the caller's owned items (drafts and wishlist left out), with the contract's ETag", async () => {
    const { ann } = await annsVault();
    // Both clients send these.
    const reply = await ann.insights('windowDays=90&targetCpw=100');
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual(EXPECTED_VAULT);
    expect(reply.headers.etag).toBe(expectedEtag(EXPECTED_VAULT));
    expect(reply.headers['cache-control']).toBe(NO_STORE);
    // The defaults are the same query.
    expect((await ann.insights()).headers.etag).toBe(reply.headers.etag);
  });

  it('answers 304 to a matching If-None-Match, and 200 once the answer changes', async () => {
    const { t, ann } = await annsVault();
    const { etag } = (await ann.insights()).headers;
    const notModified = await ann.insights('', { 'if-none-match': etag! });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.json).toEqual({});
    expect(notModified.headers).toMatchObject({ etag, 'cache-control': NO_STORE });
    // Another query is another answer.
    expect((await ann.insights('targetCpw=40', { 'if-none-match': etag! })).statusCode).toBe(200);
    // A new item changes the answer.
    await t.seed(VAULT_ITEMS('ann').map((entry) => ({ ...entry, id: `${entry.id}2` })).slice(0, 1));
    expect((await ann.insights('', { 'if-none-match': etag! })).statusCode).toBe(200);
  });

  it('windowDays and targetCpw change the answer', async () => {
    const { ann } = await annsVault();
    const shortWindow = (await ann.insights('windowDays=30')).json;
    expect(shortWindow.behavioralInsights.topColorWearShare).toEqual({ color: 'navy', pct: 75 });
    expect(shortWindow.cpwIntel[1]).toMatchObject({ itemId: 'b', recentWearRate: 2, wearRateTrend: 'stable' });
    const lowTarget = (await ann.insights('targetCpw=40')).json;
    expect(lowTarget.cpwIntel[0]).toMatchObject({ itemId: 'a', badge: 'medium', breakEvenReached: false, breakEvenTargetCpw: 40 });
  });

  it('400s a windowDays or targetCpw out of bounds, as problem+json', async () => {
    const { ann } = await annsVault();
    for (const query of ['windowDays=0', 'windowDays=3651', 'windowDays=7.5', 'windowDays=week', 'targetCpw=0', 'targetCpw=-5', 'targetCpw=abc', 'other=1']) {
      const reply = await ann.insights(query);
      expect([query, reply.statusCode, reply.headers['content-type'], reply.json.code]).toEqual([query, 400, 'application/problem+json', 'validation_failed']);
    }
    expect((await ann.insights('windowDays=3650&targetCpw=0.01')).statusCode).toBe(200);
  });

  it("sees only the caller's items; a caller without any has insufficient data", async () => {
    const { t } = await annsVault();
    expect((await t.as('bob').insights()).json.cpwIntel.map((entry: { itemId: string }) => entry.itemId)).toEqual(['a']);
    expect((await t.as('cat').insights()).json).toMatchObject({ insufficientData: true, cpwIntel: [] });
    expect((await t.as(undefined).insights()).statusCode).toBe(401);
  });

  it("answers in the currency the caller chose in their profile; without a choice, in the one most items use", async () => {
    const { t, ann } = await annsVault();
    const choose = (currencyCode: string) => replaceStoredProfile(t.documents, 'ann', (stored) => replaceProfile(stored, { currencyCode }, 'ann'), NOW);
    // A profile the digest created holds no choice: still EUR, as the most items use.
    await updateServerFields(t.documents, 'ann', { wardrobeHashAtLastDigest: 'h' }, NOW);
    expect((await ann.insights()).json.currency).toBe('EUR');
    const { etag } = (await ann.insights()).headers;
    // Choosing USD prices only the USD item d; the EUR ones (unworn e among them) count as unpriced.
    await choose('USD');
    const usd = await ann.insights('', { 'if-none-match': etag! });
    expect(usd.statusCode).toBe(200);
    expect(usd.json).toMatchObject({ currency: 'USD', conversionStatus: 'not_converted', behavioralInsights: { mostExpensiveUnworn: null } });
    expect(usd.json.cpwIntel.find((entry: { itemId: string }) => entry.itemId === 'd')).toMatchObject({ cpw: 8.33, badge: 'low' });
    expect(usd.json.cpwIntel.find((entry: { itemId: string }) => entry.itemId === 'a')).toMatchObject({ cpw: null, badge: 'unknown' });
    // Back to EUR: the same answer as the fallback gave.
    await choose('eur');
    expect((await ann.insights()).json).toEqual(EXPECTED_VAULT);
    // Bob's wardrobe is untouched by Ann's choice.
    expect((await t.as('bob').insights()).json.currency).toBe('EUR');
  });
});
