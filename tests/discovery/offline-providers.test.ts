/** The offline provider set: the sample gazetteer, the sample sources, and the quality of the sample data itself. */
import { describe, expect, it } from '@jest/globals';
import { createOfflineProviders, findSampleCity } from '../../adapters/discovery/offline.ts';
import { SAMPLE_CITIES, SAMPLE_PLACES } from '../../adapters/discovery/sample-places.ts';
import { sanitisePlace, sanitisePlaces } from '../../domain/discovery/places.ts';
import { ProviderError, type SourceQuery } from '../../domain/discovery/ports.ts';
import { distanceMiles, rankPlaces } from '../../domain/discovery/scoring.ts';
import { SOURCES, type UserLocation } from '../../domain/discovery/types.ts';

const providers = createOfflineProviders();
const live = () => new AbortController().signal;
const aborted = () => AbortSignal.abort();
const geocode = (raw: string) => providers.geocoder.geocode(raw, live());

const query = (rawLocation: string, location: UserLocation): SourceQuery => ({ intent: 'hidden gems', rawLocation, location, radiusMiles: null, dateWindow: null });
const unplaced = (raw: string): UserLocation => ({ normalized: raw, confidence: 0.5, coordinates: null });

/** Every source's answer for a location as the pipeline would ask: geocoded first. */
async function searchAll(raw: string) {
  const location = await geocode(raw);
  return (await Promise.all(providers.sources.map((source) => source.search(query(raw, location), live())))).flat();
}

const placesOf = (cityKey: string) => SAMPLE_PLACES.filter((place) => place.city === cityKey);

describe('the offline provider set', () => {
  it('is flagged as sample data, named offline, with the three sources in merge order', () => {
    expect(providers.sampleData).toBe(true);
    expect(providers.signature).toBe('offline');
    expect(providers.geocoder.provider).toBe('sample');
    expect(providers.sources.map((source) => [source.source, source.provider])).toEqual([['serp', 'sample'], ['reddit', 'sample'], ['eventbrite', 'sample']]);
  });
});

describe('the sample geocoder', () => {
  it('places a city however its name is written: case, punctuation, state code or name, country', async () => {
    const pikeville = { normalized: 'Pikeville, Kentucky, United States', confidence: 0.9, coordinates: { lat: 37.4793, lng: -82.5188 } };
    for (const raw of ['pikeville', 'Pikeville KY', 'Pikeville, Kentucky', 'PIKEVILLE, ky', '  Pikeville ,  KY ', 'Pikeville, Kentucky, United States', 'downtown Pikeville']) {
      expect(await geocode(raw)).toEqual(pikeville);
    }
    expect((await geocode('new orleans')).normalized).toBe('New Orleans, Louisiana, United States');
    expect((await geocode('NOLA')).normalized).toBe('New Orleans, Louisiana, United States');
    expect((await geocode('Portland, OR')).normalized).toBe('Portland, Oregon, United States');
    expect((await geocode('portland oregon')).normalized).toBe('Portland, Oregon, United States');
    expect((await geocode('Asheville, North Carolina')).normalized).toBe('Asheville, North Carolina, United States');
    expect((await geocode('Austin in spring')).normalized).toBe('Austin, Texas, United States');
  });

  it('answers the raw text with confidence 0.5 for a place it does not know', async () => {
    for (const raw of ['Boise, ID', 'Atlantic City', 'Pikevilleton', 'New York', 'unknown']) {
      expect(await geocode(raw)).toEqual(unplaced(raw));
    }
  });

  it('does not take a same-named city of another state for the sample one', async () => {
    for (const raw of ['Portland, Maine', 'Portland ME', 'portland me', 'Austin, MN', 'Atlanta, Texas']) {
      expect(await geocode(raw)).toEqual(unplaced(raw));
    }
  });

  it('refuses to answer once the search is aborted', async () => {
    await expect(providers.geocoder.geocode('Pikeville KY', aborted())).rejects.toMatchObject({ name: 'ProviderError', code: 'aborted', provider: 'sample' });
  });
});

describe('the sample sources', () => {
  it('answer a city with exactly its places of their own source', async () => {
    for (const city of SAMPLE_CITIES) {
      const location = await geocode(city.city);
      for (const source of providers.sources) {
        const places = await source.search(query(city.city, location), live());
        const expected = placesOf(city.key).filter((place) => place.source === source.source);
        expect(places.map((place) => place.url)).toEqual(expected.map((place) => place.url));
        expect(places.every((place) => place.source === source.source)).toBe(true);
      }
    }
  });

  it('find the city by the text as parsed when the geocoder could not place it', async () => {
    const places = await providers.sources[1]!.search(query('Austin TX', unplaced('Austin TX')), live());
    expect(places.length).toBeGreaterThan(0);
    expect(places.every((place) => place.url.includes('/austin-tx/'))).toBe(true);
  });

  it('answer an unknown city with nothing', async () => {
    expect(await searchAll('Boise, ID')).toEqual([]);
    expect(await searchAll('Portland, Maine')).toEqual([]);
  });

  it('are deterministic and hand out copies: changing an answer does not change the dataset', async () => {
    const first = await searchAll('Asheville');
    const second = await searchAll('Asheville');
    expect(second).toEqual(first);
    first[0]!.name = 'changed';
    first[0]!.coordinates!.lat = 0;
    expect(await searchAll('Asheville')).toEqual(second);
  });

  it('refuse to answer once the search is aborted', async () => {
    const location = await geocode('Atlanta');
    for (const source of providers.sources) {
      await expect(source.search(query('Atlanta', location), aborted())).rejects.toBeInstanceOf(ProviderError);
      await expect(source.search(query('Atlanta', location), aborted())).rejects.toMatchObject({ code: 'aborted', provider: 'sample' });
    }
  });
});

describe('the sample data', () => {
  it('passes the sanitiser unchanged: plain text, normalised http(s) URLs, valid coordinates', () => {
    for (const { city: _city, ...place } of SAMPLE_PLACES) expect(sanitisePlace(place)).toEqual(place);
  });

  it('has unique URLs under the sample prefix, upvotes only on Reddit posts, and only known cities', () => {
    const keys = new Set(SAMPLE_CITIES.map((city) => city.key));
    expect(new Set(SAMPLE_PLACES.map((place) => place.url)).size).toBe(SAMPLE_PLACES.length);
    for (const place of SAMPLE_PLACES) {
      expect(keys.has(place.city)).toBe(true);
      expect(place.url.startsWith(`https://example.org/underfoot-sample/${place.city}/`)).toBe(true);
      expect(place.upvotes === undefined).toBe(place.source !== 'reddit');
    }
  });

  it('gives every city places of every source, some in town and some out of it, none out of range', () => {
    for (const city of SAMPLE_CITIES) {
      const places = placesOf(city.key);
      for (const source of SOURCES) expect(places.filter((place) => place.source === source).length).toBeGreaterThanOrEqual(2);
      const miles = places.map((place) => distanceMiles(city.coordinates, place.coordinates));
      expect(miles.some((distance) => distance <= 5)).toBe(true);
      expect(miles.some((distance) => distance > 15)).toBe(true);
      expect(Math.max(...miles)).toBeLessThanOrEqual(35);
    }
  });

  it('ranks into primary and nearby places for "hidden gems" in every city', async () => {
    for (const city of SAMPLE_CITIES) {
      const location = await geocode(city.city);
      const ranked = rankPlaces(sanitisePlaces(await searchAll(city.city)), { intent: 'hidden gems', location: location.normalized, coordinates: location.coordinates });
      expect(ranked.filter((place) => place.category === 'primary').length).toBeGreaterThanOrEqual(3);
      expect(ranked.some((place) => place.category === 'nearby')).toBe(true);
    }
  });
});

describe('findSampleCity', () => {
  it('matches whole words only', () => {
    expect(findSampleCity('Austin')?.key).toBe('austin-tx');
    expect(findSampleCity('Austintown')).toBeUndefined();
    expect(findSampleCity('Orleans')).toBeUndefined();
  });
});
