/**
 * The offline provider set: what discovery answers with when no provider key is configured
 * (`npm install && npm start`). A geocoder over a six-city gazetteer and the three place
 * sources over the sample dataset (sample-places.ts), all deterministic and without I/O. The
 * answer is flagged as sample data (`sampleData`), and `offline` in the cache keys keeps it
 * apart from what real providers answer.
 */
import { ProviderError, type DiscoveryProviders, type Geocoder, type PlaceSource, type SourceQuery } from '../../domain/discovery/ports.ts';
import { SOURCES, type RawPlace, type Source, type UserLocation } from '../../domain/discovery/types.ts';
import { SAMPLE_CITIES, SAMPLE_PLACES, type SampleCity } from './sample-places.ts';

const PROVIDER = 'sample';
/** A gazetteer match is certain about the city, not about which of its neighbourhoods was meant. */
const MATCH_CONFIDENCE = 0.9;
/** What every geocoder answers for text it cannot place. */
const UNPLACED_CONFIDENCE = 0.5;

/** The US states and DC (code -> the name's words, lower case): a location naming another state than a city's is another city of that name (Portland, Maine). */
const US_STATES = new Map(
  ('AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|DC District of Columbia|' +
    'FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|' +
    'MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|' +
    'NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|' +
    'RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|' +
    'WV West Virginia|WI Wisconsin|WY Wyoming')
    .split('|')
    .map((entry) => [entry.slice(0, 2), words(entry.slice(3).toLowerCase())] as const),
);

/** The words of a text, case kept: letters and digits, everything else a separator. */
function words(text: string): string[] {
  return text.normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

/** Where `phrase` starts as a run of whole words in `tokens` (both lower case), or -1. */
function indexOfPhrase(tokens: readonly string[], phrase: readonly string[]): number {
  if (phrase.length === 0) return -1;
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    if (phrase.every((word, offset) => tokens[start + offset] === word)) return start;
  }
  return -1;
}

/**
 * The states a location names: by full name in any case; by code when written in capitals ("OR",
 * not the word "or"), or in any case as the last word right after the city ("portland me").
 */
function statesNamed(original: readonly string[], cityEnd: number): Set<string> {
  const lower = original.map((word) => word.toLowerCase());
  const named = new Set<string>();
  for (const [code, name] of US_STATES) {
    if (indexOfPhrase(lower, name) !== -1) named.add(code);
  }
  original.forEach((word, index) => {
    const code = word.toUpperCase();
    if (!US_STATES.has(code)) return;
    if (word === code || (index === cityEnd && index === original.length - 1)) named.add(code);
  });
  return named;
}

/**
 * The sample city a location names: its name (or an alias) as whole words, in any case and with
 * any punctuation ("pikeville", "Pikeville KY", "Pikeville, Kentucky"), unless the location
 * names a state and not the city's.
 */
export function findSampleCity(location: string): SampleCity | undefined {
  const original = words(location);
  const lower = original.map((word) => word.toLowerCase());
  return SAMPLE_CITIES.find((city) => {
    for (const name of [city.city, ...city.aliases]) {
      const phrase = words(name.toLowerCase());
      const start = indexOfPhrase(lower, phrase);
      if (start === -1) continue;
      const states = statesNamed(original, start + phrase.length);
      return states.size === 0 || states.has(city.stateCode);
    }
    return false;
  });
}

function checkNotAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new ProviderError('aborted', PROVIDER, 'The search was aborted before the sample provider answered.');
}

const sampleGeocoder: Geocoder = {
  provider: PROVIDER,
  async geocode(raw, signal) {
    checkNotAborted(signal);
    const city = findSampleCity(raw);
    if (!city) return { normalized: raw, confidence: UNPLACED_CONFIDENCE, coordinates: null };
    return { normalized: city.normalized, confidence: MATCH_CONFIDENCE, coordinates: { ...city.coordinates } } satisfies UserLocation;
  },
};

/** The city a query is about: by the geocoded name (the sample geocoder's), else by the text as parsed. */
const cityOf = (query: SourceQuery) => findSampleCity(query.location.normalized) ?? findSampleCity(query.rawLocation);

/** A copy, so a caller that changes a place cannot change the dataset; without the dataset's `city`. */
function rawPlace({ source, name, description, url, coordinates, upvotes }: (typeof SAMPLE_PLACES)[number]): RawPlace {
  const place: RawPlace = { source, name, description, url, coordinates: { ...coordinates } };
  if (upvotes !== undefined) place.upvotes = upvotes;
  return place;
}

function sampleSource(source: Source): PlaceSource {
  return {
    source,
    provider: PROVIDER,
    async search(query, signal) {
      checkNotAborted(signal);
      const city = cityOf(query);
      if (!city) return [];
      return SAMPLE_PLACES.filter((place) => place.city === city.key && place.source === source).map(rawPlace);
    },
  };
}

export function createOfflineProviders(): DiscoveryProviders {
  return {
    geocoder: sampleGeocoder,
    sources: SOURCES.map(sampleSource),
    sampleData: true,
    signature: 'offline',
  };
}
