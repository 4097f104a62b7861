/** The stylist's pure rules: whatever the model answers, only candidate ids come back, within the limits. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { offlineRecommendations, STYLIST_LIMITS, trimRecommendations, type StylistCandidate } from '../../../domain/wardrobe/stylist.ts';

const candidateIds = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

describe('trimRecommendations', () => {
  it('keeps only candidate ids, each once per outfit, at most itemsPerOutfit, no empty outfit, at most pageSize', () => {
    const anyId = fc.oneof(fc.constantFrom(...candidateIds), fc.string(), fc.integer(), fc.constant(null));
    const outfit = fc.record({ title: fc.oneof(fc.string(), fc.integer()), description: fc.oneof(fc.string(), fc.constant(undefined)), itemIds: fc.oneof(fc.array(anyId), fc.constant('a')) });
    const answer = fc.oneof(fc.record({ recommendations: fc.array(fc.oneof(outfit, fc.constant(null), fc.string())) }), fc.anything());
    fc.assert(
      fc.property(answer, fc.integer({ min: 1, max: STYLIST_LIMITS.pageSize }), (value, pageSize) => {
        const trimmed = trimRecommendations(value, candidateIds, pageSize);
        expect(trimmed.length).toBeLessThanOrEqual(pageSize);
        for (const entry of trimmed) {
          expect(entry.clothingItemIds.length).toBeGreaterThan(0);
          expect(entry.clothingItemIds.length).toBeLessThanOrEqual(STYLIST_LIMITS.itemsPerOutfit);
          expect(new Set(entry.clothingItemIds).size).toBe(entry.clothingItemIds.length);
          expect(entry.clothingItemIds.every((id) => candidateIds.includes(id))).toBe(true);
          expect(typeof entry.title).toBe('string');
          expect(entry.title.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('offlineRecommendations', () => {
  it('never repeats an item across outfits, mixes categories, and stops at pageSize', () => {
    const candidate = fc
      .record({ id: fc.uuid(), category: fc.constantFrom('tops', 'bottoms', 'shoes', ''), wearCount: fc.nat(20) })
      .map(({ id, category, wearCount }): StylistCandidate => ({ id, ...(category ? { category } : {}), colours: [], tags: [], wearCount }));
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (item) => item.id, maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (candidates: StylistCandidate[], pageSize) => {
        const { recommendations } = offlineRecommendations(candidates, {}, pageSize);
        expect(recommendations.length).toBeLessThanOrEqual(pageSize);
        const all = recommendations.flatMap((outfit) => outfit.itemIds);
        expect(new Set(all).size).toBe(all.length);
        for (const outfit of recommendations) {
          const categories = outfit.itemIds.map((id) => candidates.find((item) => item.id === id)!.category ?? 'other');
          expect(new Set(categories).size).toBe(categories.length);
        }
        // Every candidate is used when the page is large enough for the largest category.
        if (pageSize >= candidates.length) expect(all.length).toBe(candidates.length);
      }),
      { numRuns: 200 },
    );
  });
});
