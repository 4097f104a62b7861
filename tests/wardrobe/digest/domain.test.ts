/** The digest's pure rules (domain/wardrobe/digest.ts): suggestions, the wardrobe hash, ISO weeks. */
import { describe, expect, it } from '@jest/globals';
import { composeDigest, describeItem, digestIdOf, isoWeekOf, MAX_SUGGESTIONS, wardrobeKey } from '../../../domain/wardrobe/digest.ts';
import { wardrobeHash } from '../../../handlers/wardrobe/digest/service.ts';
import { isFinalised } from '../../../domain/wardrobe/clothing-item.ts';
import { ANN_ITEMS, ANN_SUGGESTIONS, item, MONDAY } from './items.ts';

const finalised = ANN_ITEMS.filter(isFinalised);

describe('the digest content', () => {
  it("composes Ann's suggestions and facts", () => {
    expect(composeDigest({ items: finalised, wardrobeHash: '43e35ac265e5bdd9', asOf: MONDAY })).toEqual({
      wardrobeHash: '43e35ac265e5bdd9',
      suggestions: ANN_SUGGESTIONS,
      stylesConsidered: [],
      totalItems: 5,
      itemsWithWearHistory: 4,
    });
  });

  it('hashes the sorted id:wearCount pairs, so order does not matter and a wear changes it', () => {
    expect(wardrobeKey(finalised)).toBe('i1:4,i2:0,i3:5,i4:1,i6:10');
    // sha256('i1:4,i2:0,i3:5,i4:1,i6:10'), first 16 hex.
    expect(wardrobeHash(finalised)).toBe('43e35ac265e5bdd9');
    expect(wardrobeHash([...finalised].reverse())).toBe('43e35ac265e5bdd9');
    expect(wardrobeHash(finalised.map((entry) => (entry.id === 'i1' ? { ...entry, wearCount: 5 } : entry)))).toBe('38efeacc7d1ef918');
    expect(digestIdOf('ann', '43e35ac265e5bdd9')).toBe('ann-43e35ac265e5bdd9');
  });

  it('keeps at most five suggestions, wears first; an empty wardrobe gets none', () => {
    const idle = Array.from({ length: 6 }, (_, n) => item('ann', `x${n}`, { category: 'Scarves', dateAdded: `2026-0${n + 1}-01T00:00:00Z` }));
    const digest = composeDigest({ items: idle, wardrobeHash: 'h', asOf: MONDAY });
    expect(digest.suggestions).toHaveLength(MAX_SUGGESTIONS);
    expect(digest.suggestions.map((suggestion) => suggestion.itemId ?? suggestion.item)).toEqual(['x0', 'x1', 'x2', 'A versatile piece for tops', 'A versatile piece for bottoms']);
    expect(composeDigest({ items: [], wardrobeHash: 'h', asOf: MONDAY }).suggestions).toEqual([]);
  });

  it('describes an item by colour, brand and category', () => {
    expect(describeItem({ colours: [{ name: ' Navy ', hex: '#1f2a44' }], brand: 'Acme', category: 'Blazer' })).toBe('navy Acme blazer');
    expect(describeItem({ colours: [] })).toBe('piece');
  });

  it('names ISO weeks (Monday-based; week 1 holds the first Thursday)', () => {
    expect(isoWeekOf(MONDAY)).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeekOf(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
  });
});
