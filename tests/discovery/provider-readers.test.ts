/**
 * The adapters' readers take any JSON a provider (or something posing as one) may send: each
 * returns a result or throws a ProviderError, never anything else, and what it returns has the
 * port's shape. Fuzzed with arbitrary JSON and with the real fixtures changed at one random place.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readEventbrite } from '../../adapters/discovery/eventbrite.ts';
import { readGeoapify } from '../../adapters/discovery/geoapify.ts';
import { readGoogleGeocoding } from '../../adapters/discovery/google-geocoding.ts';
import { readReddit } from '../../adapters/discovery/reddit.ts';
import { readSerpApi } from '../../adapters/discovery/serpapi.ts';
import { ProviderError } from '../../domain/discovery/ports.ts';
import { SOURCES } from '../../domain/discovery/types.ts';
import { eventbriteAnswer, geoapifyAnswer, googleAnswer, redditAnswer, serpApiAnswer } from '../support/provider-fixtures.ts';

type Path = (string | number)[];

/** Every path into a JSON value, the root included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : value && typeof value === 'object' ? Object.entries(value) : [];
  return [prefix, ...children.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function replacedAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = replacement;
  return copy;
}

/** The fixture with one value (anywhere, the root included) replaced by arbitrary JSON, or arbitrary JSON alone. */
const bodiesLike = (fixture: unknown) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...pathsOf(fixture)), fc.jsonValue({ maxDepth: 3 })).map(([path, replacement]) => replacedAt(fixture, path, replacement)),
    fc.jsonValue({ maxDepth: 4 }),
  );

/** The reader's result, or its ProviderError; any other throw fails the property. */
function outcome<T>(read: () => T): T | ProviderError {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
}

const isLocation = (value: unknown) =>
  expect(value).toEqual({ normalized: expect.any(String), confidence: expect.any(Number), coordinates: value && (value as { coordinates: unknown }).coordinates === null ? null : { lat: expect.any(Number), lng: expect.any(Number) } });

const arePlaces = (value: unknown) => {
  expect(Array.isArray(value)).toBe(true);
  for (const place of value as Record<string, unknown>[]) {
    expect(SOURCES).toContain(place.source);
    for (const field of ['name', 'description', 'url']) expect(typeof place[field]).toBe('string');
  }
  expect((value as unknown[]).length).toBeLessThanOrEqual(10);
};

describe('provider readers under arbitrary bodies', () => {
  it.each([
    ['Geoapify', geoapifyAnswer('Pikeville KY'), (body: unknown) => readGeoapify(body, 'Pikeville KY'), isLocation],
    ['Google', googleAnswer('Pikeville KY'), (body: unknown) => readGoogleGeocoding(body, 'Pikeville KY'), isLocation],
    ['SerpApi', serpApiAnswer('bars Asheville', 'Asheville, North Carolina'), readSerpApi, arePlaces],
    ['Reddit', redditAnswer('Asheville'), readReddit, arePlaces],
    ['Eventbrite', eventbriteAnswer('Asheville', '25mi'), readEventbrite, arePlaces],
  ] as const)('%s: a result of the port shape or a ProviderError, nothing else', (_name, fixture, read, check) => {
    fc.assert(
      fc.property(bodiesLike(fixture), (body) => {
        const result = outcome(() => read(body));
        if (result instanceof ProviderError) expect(['malformed', 'upstream_429', 'upstream_4xx', 'upstream_5xx']).toContain(result.code);
        else check(result);
      }),
      { numRuns: 300 },
    );
  });
});
