/** The "Stonewalker" text when the model cannot write it, and the messages that ask the model. */
import { describe, expect, it } from '@jest/globals';
import { fallbackSummary, STONEWALKER_PERSONA, summaryMessages } from '../../domain/discovery/summary.ts';
import type { Place } from '../../domain/discovery/types.ts';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('fallbackSummary', () => {
  it('none found: the paths remain elusive, broaden the search (and names the location and intent, as the upstream test asks)', () => {
    const text = fallbackSummary('hidden gems', 'Pikeville, KY', []);
    expect(text).toContain('Pikeville, KY');
    expect(text).toContain('hidden gems');
    expect(text).toMatch(/Widen the search/);
  });

  it('one or two: "discovery" or "discoveries", each named', () => {
    expect(fallbackSummary('weird', 'Butte', named('The Dumas'))).toMatch(/^Butte offers 1 discovery for weird: The Dumas\./);
    expect(fallbackSummary('weird', 'Butte', named('The Dumas', 'Berkeley Pit'))).toMatch(/offers 2 discoveries for weird: The Dumas and Berkeley Pit\./);
  });

  it('three or more: counts all places and names the top three in order', () => {
    const text = fallbackSummary('dive bars', 'Austin', named('A', 'B', 'C', 'D'));
    expect(text).toBe('Austin yields 4 intriguing places for dive bars. Begin with A, B and C, and go with curiosity and an open mind.');
  });
});

describe('summaryMessages', () => {
  const place = (name: string, description: string): Place => ({ name, description, source: 'reddit', url: 'https://x.example', score: 0.7, category: 'primary' });

  it('sends the persona, the query, at most five places with 100 characters of description, and the average score', () => {
    const places = Array.from({ length: 7 }, (_, i) => place(`P${i}`, 'd'.repeat(150)));
    const { system, user } = summaryMessages('hidden gems', 'Pikeville, KY', places, { total_results: 7, average_score: 0.66, max_score: 0.7, min_score: 0.7 });
    expect(system).toBe(STONEWALKER_PERSONA);
    expect(system).toMatch(/Stonewalker/);
    expect(user).toContain('User seeks: hidden gems in Pikeville, KY');
    expect(user).toContain(`- P4: ${'d'.repeat(100)}\n`);
    expect(user).not.toContain('P5');
    expect(user).toContain('Scoring summary: 7 results, average score 0.7/1.0');
  });
});
