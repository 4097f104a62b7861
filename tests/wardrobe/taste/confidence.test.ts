/** The confidence profile's rules are pure: weights, saturation, dedupe, bounds and unreadable stored values. */
import { describe, expect, it } from '@jest/globals';
import { APPLIED_SIGNALS_MAX, applyTasteSignal, CONFIDENCE_MAX_ENTRIES, readConfidence } from '../../../domain/wardrobe/taste.ts';

const at = '2026-01-01T00:00:00Z';
const quiz = (id: string, styleKeywords: string[], brands: string[] = []) => ({ id, source: 'quiz' as const, styleKeywords, brands, at });

describe('applyTasteSignal', () => {
  it('moves each keyword and brand towards 1 by the source weight, case-insensitively and once per signal', () => {
    const first = applyTasteSignal(undefined, quiz('a', ['Linen', 'linen', ' boho '], ['Acme']))!;
    expect(first).toEqual({ styleKeywords: { boho: 0.5, linen: 0.5 }, brands: { acme: 0.5 }, appliedSignals: ['a'], updatedAt: at });
    const second = applyTasteSignal({ ...first }, { id: 'b', source: 'feedback', styleKeywords: ['linen'], brands: [], at })!;
    expect(second.styleKeywords).toEqual({ linen: 0.55, boho: 0.5 });
    let many: Record<string, unknown> | undefined;
    for (let n = 0; n < 50; n++) many = { ...applyTasteSignal(many, quiz(`q${n}`, ['linen']))! };
    expect((many!.styleKeywords as Record<string, number>).linen).toBe(1);
  });

  it('answers undefined for a signal already applied or one that names nothing', () => {
    const first = applyTasteSignal(undefined, quiz('a', ['linen']))!;
    expect(applyTasteSignal({ ...first }, quiz('a', ['boho']))).toBeUndefined();
    expect(applyTasteSignal({ ...first }, quiz('c', []))).toBeUndefined();
  });

  it('keeps the strongest entries and the newest applied ids within their bounds', () => {
    let profile: Record<string, unknown> | undefined = { ...applyTasteSignal(undefined, quiz('strong', ['keep']))! };
    profile = { ...applyTasteSignal(profile, quiz('strong-2', ['keep']))! };
    for (let n = 0; n < APPLIED_SIGNALS_MAX + 10; n++) profile = { ...applyTasteSignal(profile, { id: `f${n}`, source: 'feedback', styleKeywords: [`k${n}`], brands: [], at })! };
    const read = readConfidence(profile);
    expect(Object.keys(read.styleKeywords)).toHaveLength(CONFIDENCE_MAX_ENTRIES);
    expect(read.styleKeywords.keep).toBe(0.75);
    expect(read.appliedSignals).toHaveLength(APPLIED_SIGNALS_MAX);
    expect(read.appliedSignals.at(-1)).toBe(`f${APPLIED_SIGNALS_MAX + 9}`);
    expect(read.appliedSignals).not.toContain('strong');
  });

  it('reads an unreadable stored value as empty rather than failing', () => {
    expect(readConfidence({ styleKeywords: ['x'], brands: { a: 'high', b: 2, c: 0.3 }, appliedSignals: 'no' })).toEqual({ styleKeywords: {}, brands: { c: 0.3 }, appliedSignals: [], updatedAt: '' });
  });
});
