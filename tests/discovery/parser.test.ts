/** The deterministic parser: the contract's patterns and keywords, the quirks it fixes, radius and dates. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { findDateWindow, findIntent, findLocation, findRadius, INTENT_KEYWORDS, parseFallback } from '../../domain/discovery/parser.ts';

describe('findLocation: the upstream patterns, in order', () => {
  it('reads the upstream examples (the model prompt\'s three queries and the fallback test)', () => {
    expect(findLocation('hidden gems in Pikeville KY')).toBe('Pikeville KY');
    expect(findLocation('cool underground spots near Atlanta')).toBe('Atlanta');
    expect(findLocation('weird stuff to do in Portland Oregon')).toBe('Portland Oregon');
    expect(findLocation('dive bars in Portland, OR')).toBe('Portland, OR');
  });

  it('pattern 3 (X, two letters) and pattern 4 (a word ending in city, town, ville, burg, port)', () => {
    expect(findLocation('Pikeville, KY hidden gems')).toBe('Pikeville, KY');
    expect(findLocation('quirky places around pikeville')).toBe('pikeville');
    expect(findLocation('secret spots Gatlinburg')).toBe('Gatlinburg');
    expect(findLocation('old docks of Newport')).toBe('Newport');
  });

  it('fixes: pattern 3 takes the place after the last word that introduces one', () => {
    expect(findLocation('hidden gems within 5 miles of Pikeville, KY')).toBe('Pikeville, KY');
    expect(findLocation('weird museums around Asheville, NC')).toBe('Asheville, NC');
    expect(findLocation('Pikeville, KY dive bars')).toBe('Pikeville, KY');
  });

  it('the first pattern wins over a later one', () => {
    expect(findLocation('in Louisville, KY near Lexington')).toBe('Louisville, KY');
    expect(findLocation('near Bristol, something in Knoxville TN')).toBe('Knoxville TN');
  });

  it('fixes: in/near must be words, the capture ends at a joining word or punctuation', () => {
    expect(findLocation('dive bars austin tx')).toBeUndefined(); // upstream: "in tx..." from "austin"
    expect(findLocation('cabin secrets')).toBeUndefined();
    expect(findLocation('dive bars in Asheville this weekend')).toBe('Asheville');
    expect(findLocation('hidden gems in Pikeville KY for a family of four')).toBe('Pikeville KY');
    expect(findLocation('what is weird near Savannah? anything')).toBe('Savannah');
    expect(findLocation('jazz in Memphis on 10/31/2025')).toBe('Memphis');
  });

  it('fixes: pattern 4 takes one word and not common words; "near me" names no place', () => {
    expect(findLocation('hidden gems downtown')).toBeUndefined();
    expect(findLocation('bars by the airport')).toBeUndefined();
    expect(findLocation('weird food near me')).toBeUndefined();
  });

  it('fixes: the "in" of the keyword "hole in the wall" does not start a location', () => {
    expect(findLocation('a hole in the wall diner')).toBeUndefined();
    expect(findLocation('hole in the wall bars in Butte MT')).toBe('Butte MT');
  });

  it('no location: undefined', () => {
    expect(findLocation('something weird')).toBeUndefined();
  });
});

describe('findIntent', () => {
  it('is the first of the 14 keywords, in the list\'s order, else "hidden gems"', () => {
    expect(INTENT_KEYWORDS).toHaveLength(14);
    expect(findIntent('underground dive bars')).toBe('underground'); // list order, not text order
    expect(findIntent('A HOLE IN THE WALL diner')).toBe('hole in the wall');
    expect(findIntent('the weirdest museums')).toBe('weird');
    expect(findIntent('museums')).toBe('hidden gems');
    expect(findIntent('bunderground')).toBe('hidden gems');
  });

  it('finds every keyword on its own', () => {
    for (const keyword of INTENT_KEYWORDS) expect(findIntent(`some ${keyword} places`)).toBe(keyword);
  });
});

describe('radius and date window (what the upstream never extracted)', () => {
  it('reads miles and kilometres, one decimal, and refuses nonsense', () => {
    expect(findRadius('within 5 miles of Asheville')).toBe(5);
    expect(findRadius('a 10-mile radius')).toBe(10);
    expect(findRadius('8 km around Leeds')).toBe(5);
    expect(findRadius('0 miles')).toBeNull();
    expect(findRadius('9000 miles')).toBeNull();
    expect(findRadius('milestones')).toBeNull();
  });

  it('reads ISO and US dates as a window of three days, and refuses dates that do not exist', () => {
    expect(findDateWindow('on 2025-10-31')).toEqual({ from: '2025-10-31', to: '2025-11-03' });
    expect(findDateWindow('on 10/31/2025')).toEqual({ from: '2025-10-31', to: '2025-11-03' });
    expect(findDateWindow('on 2/27/28')).toEqual({ from: '2028-02-27', to: '2028-03-01' });
    expect(findDateWindow('on 2025-02-30')).toBeNull();
    expect(findDateWindow('on 13/01/2025')).toBeNull();
    expect(findDateWindow('no date')).toBeNull();
  });
});

describe('parseFallback', () => {
  it('gives the upstream confidences: 0.6 with a location, 0.3 and "unknown" without', () => {
    expect(parseFallback('hidden gems in Pikeville KY')).toEqual({
      location: 'Pikeville KY', intent: 'hidden gems', confidence: 0.6, radius_miles: null, date_window: null, parsed_by: 'fallback',
    });
    expect(parseFallback('something quirky')).toMatchObject({ location: 'unknown', intent: 'quirky', confidence: 0.3 });
  });

  it('property: always a non-empty location and intent, at most 100 characters, trimmed, and deterministic', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const parsed = parseFallback(text);
        expect(parsed.location.length).toBeGreaterThan(0);
        expect(parsed.location.length).toBeLessThanOrEqual(100);
        expect(parsed.location).toBe(parsed.location.trim());
        expect(parsed.intent.length).toBeGreaterThan(0);
        expect(parseFallback(text)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });
});
