/** The scoring formula term by term, ranking, de-duplication, caps and the summary. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { categoryOf, dedupeKey, DEFAULT_CAPS, distanceMiles, PRIMARY_THRESHOLD, rankPlaces, scorePlace, summarise, type ScoringContext } from '../../domain/discovery/scoring.ts';
import { SOURCES, type CleanPlace, type Place } from '../../domain/discovery/types.ts';

const place = (over: Partial<CleanPlace> = {}): CleanPlace => ({ source: 'serp', name: 'Plain Name', description: '', url: 'https://example.com/p', ...over });
const none: ScoringContext = { intent: 'zzz', location: 'unknown' };
const PIKEVILLE = { lat: 37.4793, lng: -82.5188 };

describe('scorePlace', () => {
  it('the upstream test: a reddit "Hidden Gem Bar" for intent "hidden gem" scores above 0.3 (here 0.3 + 0.4 + 0.2)', () => {
    expect(scorePlace(place({ source: 'reddit', name: 'Hidden Gem Bar', description: 'secret underground bar locals love' }), { intent: 'hidden gem', location: 'unknown' })).toBe(0.9);
  });

  it('source points alone: reddit 0.2, serp 0.15, eventbrite 0.1', () => {
    expect(SOURCES.map((source) => scorePlace(place({ source }), none))).toEqual([0.15, 0.2, 0.1]);
  });

  it('intent: 0.3 for the phrase (a plural counts), else 0.3 x the share of its words', () => {
    expect(scorePlace(place({ name: 'Dive Bars of Butte' }), { intent: 'dive bar', location: 'unknown' })).toBe(0.55);
    expect(scorePlace(place({ description: 'a quiet bar' }), { intent: 'speakeasy bar', location: 'unknown' })).toBe(0.3);
  });

  it('location: 0.15 x the share of the first part\'s words; "unknown" and state codes count nothing', () => {
    expect(scorePlace(place({ description: 'in Pikeville' }), { intent: 'zzz', location: 'Pikeville, KY' })).toBe(0.3);
    expect(scorePlace(place({ description: 'in Portland' }), { intent: 'zzz', location: 'Portland Oregon' })).toBe(0.225);
    expect(scorePlace(place({ description: 'unknown KY' }), { intent: 'zzz', location: 'unknown' })).toBe(0.15);
    // Word boundaries are Unicode's: a name ending in an accented letter still ends there.
    expect(scorePlace(place({ description: 'cheap eats in Bogotá, Colombia' }), { intent: 'zzz', location: 'Bogotá, Colombia' })).toBe(0.3);
    expect(scorePlace(place({ description: 'in Bogotánia' }), { intent: 'zzz', location: 'Bogotá' })).toBe(0.15);
  });

  it('keywords: 0.1 each, distinct, at most 0.4, at word boundaries (the upstream matched "dive" in "diverse")', () => {
    expect(scorePlace(place({ description: 'quirky quirky' }), none)).toBe(0.25);
    expect(scorePlace(place({ description: 'hidden secret quirky weird unique indie' }), none)).toBe(0.55);
    expect(scorePlace(place({ description: 'a diverse locale, uniquely hiddenness' }), none)).toBe(0.15);
  });

  it('popularity: +0.1 for a reddit post above 100 upvotes; a missing count is 0', () => {
    expect(scorePlace(place({ source: 'reddit', upvotes: 101 }), none)).toBe(0.3);
    expect(scorePlace(place({ source: 'reddit', upvotes: 100 }), none)).toBe(0.2);
    expect(scorePlace(place({ source: 'reddit' }), none)).toBe(0.2);
    expect(scorePlace(place({ source: 'serp', upvotes: 5000 }), none)).toBe(0.15);
  });

  it('distance: bands of 5, 15 and 35 miles, only when both ends have coordinates', () => {
    const at = (milesNorth: number) => ({ lat: PIKEVILLE.lat + milesNorth / 69.09, lng: PIKEVILLE.lng });
    const context = { ...none, coordinates: PIKEVILLE };
    expect([4, 14, 34, 36].map((miles) => scorePlace(place({ coordinates: at(miles) }), context))).toEqual([0.3, 0.25, 0.2, 0.15]);
    expect(scorePlace(place({ coordinates: at(1) }), none)).toBe(0.15);
    expect(scorePlace(place(), context)).toBe(0.15);
  });

  it('is capped at 1', () => {
    const everything = place({ source: 'reddit', upvotes: 500, name: 'Hidden gems of Pikeville', description: 'secret underground quirky weird dive', coordinates: PIKEVILLE });
    expect(scorePlace(everything, { intent: 'hidden gems', location: 'Pikeville, KY', coordinates: PIKEVILLE })).toBe(1);
  });

  it('distanceMiles: one degree of latitude is about 69.1 miles', () => {
    expect(distanceMiles({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(69.1, 1);
    expect(distanceMiles(PIKEVILLE, PIKEVILLE)).toBe(0);
  });

  it(`categoryOf: primary at >= ${PRIMARY_THRESHOLD}`, () => {
    expect([0.499, 0.5, 1].map(categoryOf)).toEqual(['nearby', 'primary', 'primary']);
  });
});

describe('rankPlaces', () => {
  const context = { intent: 'hidden gems', location: 'Pikeville, KY' };

  it('puts primary first, then nearby, each by score descending; ties keep the input order', () => {
    const ranked = rankPlaces([
      place({ name: 'nearby low', url: 'https://a.example/1', source: 'eventbrite' }),
      place({ name: 'primary best', url: 'https://a.example/2', source: 'reddit', description: 'hidden gems, secret and quirky' }),
      place({ name: 'nearby high', url: 'https://a.example/3', source: 'reddit' }),
      place({ name: 'primary tie A', url: 'https://a.example/4', description: 'hidden gems in Pikeville' }),
      place({ name: 'primary tie B', url: 'https://a.example/5', description: 'hidden gems in Pikeville' }),
    ], context);
    expect(ranked.map((p) => [p.name, p.score, p.category])).toEqual([
      ['primary best', 0.8, 'primary'],
      ['primary tie A', 0.7, 'primary'],
      ['primary tie B', 0.7, 'primary'],
      ['nearby high', 0.2, 'nearby'],
      ['nearby low', 0.1, 'nearby'],
    ]);
    expect(Object.keys(ranked[0]!).sort()).toEqual(['category', 'description', 'name', 'score', 'source', 'url']);
  });

  it('de-duplicates by URL (scheme, www, case of the host, trailing slash, fragment, utm_*), keeping the best-scored', () => {
    expect(dedupeKey('https://WWW.Example.com/a/?utm_source=x&b=1#top')).toBe(dedupeKey('http://example.com/a?b=1'));
    expect(dedupeKey('https://example.com/a?b=2')).not.toBe(dedupeKey('https://example.com/a?b=1'));
    const ranked = rankPlaces([
      place({ name: 'weak copy', url: 'https://www.example.com/bar/', source: 'eventbrite' }),
      place({ name: 'strong copy', url: 'https://example.com/bar#x', source: 'reddit' }),
      place({ name: 'equal copy', url: 'http://example.com/bar', source: 'reddit' }),
    ], none);
    expect(ranked.map((p) => p.name)).toEqual(['strong copy']);
  });

  it('caps each category (configurable; the defaults are 10 and 5)', () => {
    const many = Array.from({ length: 20 }, (_, i) => place({ url: `https://x.example/${i}`, description: i % 2 ? 'hidden gems' : '' }));
    expect(DEFAULT_CAPS).toEqual({ primary: 10, nearby: 5 });
    const ranked = rankPlaces(many, context, { primary: 3, nearby: 2 });
    expect(ranked.map((p) => p.category)).toEqual(['primary', 'primary', 'primary', 'nearby', 'nearby']);
    expect(rankPlaces(many, context, { primary: 0, nearby: 0 })).toEqual([]);
  });

  const arbitraryPlace = fc.record({
    source: fc.constantFrom(...SOURCES),
    name: fc.constantFrom('Bar', 'Hidden bar', 'Secret tunnel', 'Museum'),
    description: fc.array(fc.constantFrom('hidden', 'gems', 'secret', 'quirky', 'Pikeville', 'dive', 'plain', 'weird'), { maxLength: 6 }).map((words) => words.join(' ')),
    url: fc.constantFrom('https://a.example/1', 'https://www.a.example/1/', 'https://b.example/2', 'https://c.example/3', 'https://d.example/4', 'http://e.example/5#x'),
    upvotes: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  });

  it('property: scores in [0, 1] with three decimals, consistent categories, the order and the caps, no duplicate URL', () => {
    fc.assert(
      fc.property(fc.array(arbitraryPlace, { maxLength: 25 }), fc.nat({ max: 6 }), fc.nat({ max: 6 }), (places, primaryCap, nearbyCap) => {
        const ranked: Place[] = rankPlaces(places, context, { primary: primaryCap, nearby: nearbyCap });
        const primary = ranked.filter((p) => p.category === 'primary');
        expect(ranked).toEqual([...primary, ...ranked.filter((p) => p.category === 'nearby')]);
        expect(primary.length).toBeLessThanOrEqual(primaryCap);
        expect(ranked.length - primary.length).toBeLessThanOrEqual(nearbyCap);
        ranked.forEach((p, i) => {
          expect(p.score).toBeGreaterThanOrEqual(0);
          expect(p.score).toBeLessThanOrEqual(1);
          expect(Math.round(p.score * 1000) / 1000).toBe(p.score);
          expect(p.category).toBe(categoryOf(p.score));
          const next = ranked[i + 1];
          if (next && next.category === p.category) expect(next.score).toBeLessThanOrEqual(p.score);
        });
        expect(new Set(ranked.map((p) => dedupeKey(p.url))).size).toBe(ranked.length);
        // With room for everything, every distinct URL appears once.
        expect(rankPlaces(places, context, { primary: 99, nearby: 99 })).toHaveLength(new Set(places.map((p) => dedupeKey(p.url))).size);
      }),
      { numRuns: 500 },
    );
  });
});

describe('summarise', () => {
  const scored = (score: number): Place => ({ name: 'x', description: '', source: 'serp', url: 'https://x.example', score, category: categoryOf(score) });

  it('the upstream test: 0.8, 0.6, 0.4 give 3 results, average 0.6, max 0.8, min 0.4; none gives zeros', () => {
    expect(summarise([0.8, 0.6, 0.4].map(scored))).toEqual({ total_results: 3, average_score: 0.6, max_score: 0.8, min_score: 0.4 });
    expect(summarise([])).toEqual({ total_results: 0, average_score: 0, max_score: 0, min_score: 0 });
  });
});
