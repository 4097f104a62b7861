/**
 * The five provider adapters against the fake providers (tests/support/fake-providers.ts), which
 * answer in each provider's documented format: the exact request each sends, how each maps a real
 * answer, and every way a call can fail, as its ProviderError code, with no credential in any message.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createEventbrite, readEventbrite } from '../../adapters/discovery/eventbrite.ts';
import { createGeoapify, readGeoapify } from '../../adapters/discovery/geoapify.ts';
import { createGoogleGeocoding, readGoogleGeocoding } from '../../adapters/discovery/google-geocoding.ts';
import { createReddit, readReddit } from '../../adapters/discovery/reddit.ts';
import { createSerpApi, readSerpApi } from '../../adapters/discovery/serpapi.ts';
import { unresolvedLocation, type ProviderError, type ProviderFailure, type SourceQuery } from '../../domain/discovery/ports.ts';
import { closedPortUrl, providerError, startFakeProviders, type FakeMode, type FakeProvider, type FakeProviders } from '../support/fake-providers.ts';

const KEY = 'sk-live-4f9a1c7e2b';
const TOKEN = 'EBTOKEN9d81c0aa73';
const LONG_WAIT_MS = 60_000;

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const pikeville = (over: Partial<SourceQuery> = {}): SourceQuery => ({
  intent: 'hidden bars',
  rawLocation: 'Pikeville KY',
  location: { normalized: 'Pikeville, Kentucky, United States', confidence: 1, coordinates: { lat: 37.4792672, lng: -82.5187629 } },
  radiusMiles: null,
  dateWindow: null,
  ...over,
});

const open = () => new AbortController().signal;

/** Each adapter as the failure table calls it: built on `base`, with a timeout, under a signal. */
interface Case {
  provider: FakeProvider;
  call(signal: AbortSignal, options?: { timeoutMs?: number; base?: URL }): Promise<unknown>;
  /** What the provider's "nothing found" maps to. */
  nothing: unknown;
  /** The status a rate limit is reported with (Google says OVER_QUERY_LIMIT in a 200). */
  rateLimitStatus: number;
}

const CASES: Case[] = [
  {
    provider: 'geoapify',
    call: (signal, { timeoutMs = LONG_WAIT_MS, base = fake.url } = {}) => createGeoapify({ baseUrl: base, apiKey: KEY, timeoutMs }).geocode('Pikeville KY', signal),
    nothing: unresolvedLocation('Pikeville KY'),
    rateLimitStatus: 429,
  },
  {
    provider: 'google',
    call: (signal, { timeoutMs = LONG_WAIT_MS, base = fake.url } = {}) => createGoogleGeocoding({ baseUrl: base, apiKey: KEY, timeoutMs }).geocode('Pikeville KY', signal),
    nothing: unresolvedLocation('Pikeville KY'),
    rateLimitStatus: 200,
  },
  {
    provider: 'serpapi',
    call: (signal, { timeoutMs = LONG_WAIT_MS, base = fake.url } = {}) => createSerpApi({ baseUrl: base, apiKey: KEY, timeoutMs }).search(pikeville(), signal),
    nothing: [],
    rateLimitStatus: 429,
  },
  {
    provider: 'reddit',
    call: (signal, { timeoutMs = LONG_WAIT_MS, base = fake.url } = {}) => createReddit({ baseUrl: base, timeoutMs }).search(pikeville(), signal),
    nothing: [],
    rateLimitStatus: 429,
  },
  {
    provider: 'eventbrite',
    call: (signal, { timeoutMs = LONG_WAIT_MS, base = fake.url } = {}) => createEventbrite({ baseUrl: base, token: TOKEN, timeoutMs }).search(pikeville(), signal),
    nothing: [],
    rateLimitStatus: 429,
  },
];

describe.each(CASES)('$provider failures', ({ provider, call, nothing, rateLimitStatus }) => {
  it.each<[FakeMode, ProviderFailure, number | undefined]>([
    ['rate-limited', 'upstream_429', rateLimitStatus],
    ['error', 'upstream_5xx', 500],
    ['malformed', 'malformed', 200],
  ])('%s answers fail as %s', async (mode, code, status) => {
    fake.setMode(provider, mode);
    const error = await providerError(call(open()));
    expect(error).toMatchObject({ code, provider, status });
  });

  it('an answer that never comes fails as timeout after its own timeoutMs', async () => {
    fake.setMode(provider, 'hang');
    expect(await providerError(call(open(), { timeoutMs: 50 }))).toMatchObject({ code: 'timeout', provider });
  });

  it("the caller's abort fails as aborted, not timeout", async () => {
    fake.setMode(provider, 'hang');
    const controller = new AbortController();
    const pending = providerError(call(controller.signal));
    await fake.waitForRequests(1);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted', provider });
  });

  it('a refused connection fails as network', async () => {
    expect(await providerError(call(open(), { base: await closedPortUrl() }))).toMatchObject({ code: 'network', provider });
  });

  it("the provider's own 'nothing found' is no places (or, for a geocoder, the raw text at 0.5)", async () => {
    fake.setMode(provider, 'empty');
    expect(await call(open())).toEqual(nothing);
  });

  it('a slow answer within the timeout is still taken', async () => {
    fake.setMode(provider, 'slow', { slowMs: 30 });
    expect(await call(open())).not.toEqual(nothing);
  });

  it('no failure message, stack or field carries the credential', async () => {
    const errors: ProviderError[] = [];
    for (const mode of ['rate-limited', 'error', 'malformed'] as const) {
      fake.setMode(provider, mode);
      errors.push(await providerError(call(open())));
    }
    fake.setMode(provider, 'hang');
    errors.push(await providerError(call(open(), { timeoutMs: 50 })));
    errors.push(await providerError(call(open(), { base: await closedPortUrl() })));
    expect(errors.map((error) => error.code)).toEqual(['upstream_429', 'upstream_5xx', 'malformed', 'timeout', 'network']);
    for (const error of errors) {
      const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
      expect(everything).not.toContain(KEY);
      expect(everything).not.toContain(TOKEN);
    }
  });
});

describe('Geoapify', () => {
  it('searches the raw text, one result, with the key as apiKey', async () => {
    await createGeoapify({ baseUrl: fake.url, apiKey: KEY, timeoutMs: LONG_WAIT_MS }).geocode('Pikeville KY', open());
    const [request] = fake.requestsTo('geoapify');
    expect(request).toMatchObject({ method: 'GET', path: '/v1/geocode/search', query: { text: 'Pikeville KY', limit: '1', apiKey: KEY } });
    expect(Object.keys(request!.query)).toEqual(['text', 'limit', 'apiKey']);
  });

  it('joins city, state and country, with rank.confidence and the point', async () => {
    const location = await createGeoapify({ baseUrl: fake.url, apiKey: KEY, timeoutMs: LONG_WAIT_MS }).geocode('asheville nc', open());
    expect(location).toEqual({ normalized: 'Asheville, North Carolina, United States', confidence: 1, coordinates: { lat: 35.595058, lng: -82.5514869 } });
  });

  it('falls back to town, county or name, to region, and to confidence 0.8 without a rank', () => {
    const feature = (properties: Record<string, unknown>) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties }] });
    expect(readGeoapify(feature({ town: 'Elkhorn City', region: 'Appalachia', country: 'United States', lat: 37.3, lon: -82.35 }), 'x')).toEqual({
      normalized: 'Elkhorn City, Appalachia, United States',
      confidence: 0.8,
      coordinates: { lat: 37.3, lng: -82.35 },
    });
    expect(readGeoapify(feature({ county: 'Pike County', state: 'Kentucky', rank: { confidence: 0.42 } }), 'x')).toMatchObject({ normalized: 'Pike County, Kentucky', confidence: 0.42, coordinates: null });
    expect(readGeoapify(feature({ name: 'Breaks Interstate Park' }), 'x').normalized).toBe('Breaks Interstate Park');
    expect(readGeoapify(feature({}), 'the raw text').normalized).toBe('the raw text');
  });

  it('refuses a body that is not a FeatureCollection as malformed', async () => {
    for (const json of [{ results: [] }, [], 'Pikeville', { features: [{ type: 'Feature' }] }]) {
      fake.answerWith('geoapify', { json });
      expect(await providerError(CASES[0]!.call(open()))).toMatchObject({ code: 'malformed' });
    }
  });
});

describe('Google Geocoding', () => {
  const google = () => createGoogleGeocoding({ baseUrl: fake.url, apiKey: KEY, timeoutMs: LONG_WAIT_MS });

  it('asks for the address with the key as key', async () => {
    await google().geocode('Pikeville KY', open());
    const [request] = fake.requestsTo('google');
    expect(request).toMatchObject({ path: '/maps/api/geocode/json', query: { address: 'Pikeville KY', key: KEY } });
    expect(Object.keys(request!.query)).toEqual(['address', 'key']);
  });

  it('takes the first result: formatted address, location, confidence by location type', async () => {
    expect(await google().geocode('Pikeville KY', open())).toEqual({ normalized: 'Pikeville, KY 41501, USA', confidence: 0.7, coordinates: { lat: 37.4792672, lng: -82.5187629 } });
  });

  it.each([
    ['ROOFTOP', 1],
    ['RANGE_INTERPOLATED', 0.9],
    ['GEOMETRIC_CENTER', 0.8],
    ['APPROXIMATE', 0.7],
    ['SOMETHING_NEW', 0.6],
    [undefined, 0.6],
  ])('location_type %s is confidence %s', (locationType, confidence) => {
    const body = { status: 'OK', results: [{ formatted_address: '123 Main St, Pikeville, KY 41501, USA', geometry: { location: { lat: 37.48, lng: -82.52 }, location_type: locationType } }] };
    expect(readGoogleGeocoding(body, 'x').confidence).toBe(confidence);
  });

  it.each<[string, ProviderFailure]>([
    ['OVER_QUERY_LIMIT', 'upstream_429'],
    ['OVER_DAILY_LIMIT', 'upstream_4xx'],
    ['REQUEST_DENIED', 'upstream_4xx'],
    ['INVALID_REQUEST', 'upstream_4xx'],
    ['UNKNOWN_ERROR', 'upstream_5xx'],
  ])('%s in an HTTP 200 fails as %s', async (status, code) => {
    fake.answerWith('google', { json: { error_message: 'The provided API key is invalid.', results: [], status } });
    expect(await providerError(google().geocode('Pikeville KY', open()))).toMatchObject({ code, provider: 'google', status: 200 });
  });

  it('an unknown status or a body without one is malformed', async () => {
    for (const json of [{ results: [], status: 'MAYBE' }, { results: [] }, { status: 'OK', results: 'none' }]) {
      fake.answerWith('google', { json });
      expect(await providerError(google().geocode('Pikeville KY', open()))).toMatchObject({ code: 'malformed' });
    }
  });
});

describe('SerpApi', () => {
  const serp = () => createSerpApi({ baseUrl: fake.url, apiKey: KEY, timeoutMs: LONG_WAIT_MS });

  it("searches Google for the intent in the geocoded place, as the upstream's query, with the key as api_key", async () => {
    await serp().search(pikeville(), open());
    const [request] = fake.requestsTo('serpapi');
    expect(request!.path).toBe('/search');
    expect(request!.query).toEqual({
      engine: 'google',
      q: 'hidden bars Pikeville, Kentucky, United States underground local hidden',
      location: 'Pikeville, Kentucky, United States',
      hl: 'en',
      gl: 'us',
      num: '10',
      api_key: KEY,
    });
  });

  it('uses the location as written when the geocoder left it empty', async () => {
    await serp().search(pikeville({ location: { normalized: '', confidence: 0.5, coordinates: null } }), open());
    expect(fake.requestsTo('serpapi')[0]!.query).toMatchObject({ location: 'Pikeville KY', q: 'hidden bars Pikeville KY underground local hidden' });
  });

  it('maps organic results: title, snippet, link', async () => {
    const places = await serp().search(pikeville(), open());
    expect(places).toHaveLength(5);
    expect(places[0]).toEqual({
      source: 'serp',
      name: 'Pikeville Cut-Through: the mountain they moved',
      description: 'One of the largest earth-moving projects in the Western Hemisphere; locals hike the old railroad grade above the cut at dusk.',
      url: 'https://www.kentuckyroadside.com/pikeville-cut-through',
    });
  });

  it('takes at most 10, tolerates missing fields and skips entries that are not objects', () => {
    const results = Array.from({ length: 12 }, (_, index) => ({ position: index + 1, title: `Spot ${index + 1}`, link: `https://example.org/${index + 1}` }));
    expect(readSerpApi({ organic_results: results })).toHaveLength(10);
    expect(readSerpApi({ organic_results: [null, { link: 'https://example.org/untitled' }] })).toEqual([{ source: 'serp', name: 'Unknown', description: '', url: 'https://example.org/untitled' }]);
    expect(readSerpApi({ search_metadata: { status: 'Success' }, local_results: [] })).toEqual([]);
  });

  it('an error in a 200 other than "no results" is a failed search; a 401 is upstream_4xx', async () => {
    fake.answerWith('serpapi', { json: { search_metadata: { status: 'Error' }, error: "We couldn't get valid results for this search." } });
    expect(await providerError(serp().search(pikeville(), open()))).toMatchObject({ code: 'upstream_5xx', status: 200 });
    fake.answerWith('serpapi', { status: 401, json: { error: 'Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key' } });
    expect(await providerError(serp().search(pikeville(), open()))).toMatchObject({ code: 'upstream_4xx', status: 401 });
  });

  it('refuses organic_results that is not an array, and a body that is not an object', async () => {
    for (const json of [{ organic_results: {} }, ['Pikeville']]) {
      fake.answerWith('serpapi', { json });
      expect(await providerError(serp().search(pikeville(), open()))).toMatchObject({ code: 'malformed' });
    }
  });

  it('reads at most 2 MiB of an answer: a larger one is malformed', async () => {
    fake.answerWith('serpapi', { json: { organic_results: [{ title: 'Huge', link: 'https://example.org/', snippet: 'x'.repeat(2 * 1024 * 1024) }] } });
    expect(await providerError(serp().search(pikeville(), open()))).toMatchObject({ code: 'malformed' });
  });
});

describe('Reddit', () => {
  const reddit = (userAgent?: string) => createReddit({ baseUrl: fake.url, timeoutMs: LONG_WAIT_MS, ...(userAgent ? { userAgent } : {}) });

  it('searches posts for the intent and the location as written, with its own User-Agent and no credential', async () => {
    await reddit().search(pikeville(), open());
    const [request] = fake.requestsTo('reddit');
    expect(request!.path).toBe('/search.json');
    expect(request!.query).toEqual({ q: 'hidden bars Pikeville KY', limit: '10', sort: 'relevance', raw_json: '1' });
    expect(request!.headers['user-agent']).toBe('Portico-Discovery/1.0');
    expect(request!.headers.authorization).toBeUndefined();
  });

  it('maps posts: title, selftext, permalink on www.reddit.com, score as upvotes', async () => {
    const places = await reddit('Portico-Test/2.0').search(pikeville({ rawLocation: 'Asheville NC', intent: 'underrated' }), open());
    expect(fake.requestsTo('reddit')[0]!.headers['user-agent']).toBe('Portico-Test/2.0');
    expect(places).toHaveLength(4);
    expect(places[0]).toEqual({
      source: 'reddit',
      name: 'Underrated things to do in Asheville that tourists miss',
      description:
        'Locals, what are your favourite under-the-radar spots? Not looking for breweries (we have a list), more like odd museums, tunnels, secret gardens.\n\nEdit: the pinball museum suggestion was a hit!',
      url: 'https://www.reddit.com/r/asheville/comments/1dk4hs0/underrated_things_to_do_in_asheville_that_tourists/',
      upvotes: 812,
    });
    expect(places[2]).toMatchObject({ description: '', upvotes: 96 });
  });

  it('keeps posts (t3) only, at most 10, selftext cut at 300 code points', () => {
    const post = (index: number, extra: Record<string, unknown> = {}) => ({ kind: 't3', data: { title: `Post ${index}`, selftext: '', permalink: `/r/asheville/comments/${index}/post/`, score: index, ...extra } });
    const children = [{ kind: 't1', data: { body: 'a comment' } }, { kind: 't5', data: { display_name: 'asheville' } }, post(0, { selftext: '🗺'.repeat(400) }), ...Array.from({ length: 12 }, (_, index) => post(index + 1))];
    const places = readReddit({ kind: 'Listing', data: { children } });
    expect(places).toHaveLength(10);
    expect(places[0]!.name).toBe('Post 0');
    expect(Array.from(places[0]!.description)).toHaveLength(300);
  });

  it('a post without a site-relative permalink has no URL (the sanitiser drops it), and no score is no upvotes', () => {
    const [place] = readReddit({ kind: 'Listing', data: { children: [{ kind: 't3', data: { title: 'Odd', permalink: 'https://evil.example/x' } }] } });
    expect(place).toMatchObject({ url: '', upvotes: null });
  });

  it("refuses what is not a Listing, e.g. Reddit's HTML block page or another thing", async () => {
    for (const answer of [{ text: '<!doctype html><html><body>blocked</body></html>', contentType: 'text/html' }, { json: { kind: 't3', data: {} } }, { json: { kind: 'Listing', data: { children: null } } }]) {
      fake.answerWith('reddit', answer);
      expect(await providerError(reddit().search(pikeville(), open()))).toMatchObject({ code: 'malformed' });
    }
  });
});

describe('Eventbrite', () => {
  const eventbrite = () => createEventbrite({ baseUrl: fake.url, token: TOKEN, timeoutMs: LONG_WAIT_MS });

  it('searches events near the geocoded place within 25 miles, venues expanded, with the token as a bearer credential', async () => {
    await eventbrite().search(pikeville(), open());
    const [request] = fake.requestsTo('eventbrite');
    expect(request!.path).toBe('/v3/events/search/');
    expect(request!.query).toEqual({ q: 'hidden bars', 'location.address': 'Pikeville, Kentucky, United States', 'location.within': '25mi', expand: 'venue' });
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("sends the query's radius (whole miles, rounded up) and its date window, the last day included", async () => {
    await eventbrite().search(pikeville({ radiusMiles: 2.5, dateWindow: { from: '2025-06-14', to: '2025-06-15' } }), open());
    expect(fake.requestsTo('eventbrite')[0]!.query).toMatchObject({
      'location.within': '3mi',
      'start_date.range_start': '2025-06-14T00:00:00Z',
      'start_date.range_end': '2025-06-15T23:59:59Z',
    });
  });

  it("maps events: name, description, url, and the venue's string coordinates as numbers", async () => {
    const places = await eventbrite().search(pikeville({ location: { normalized: 'Asheville, North Carolina, United States', confidence: 1, coordinates: null } }), open());
    expect(places).toHaveLength(3);
    expect(places[0]).toEqual({
      source: 'eventbrite',
      name: 'Secret Garden Supper Club',
      description: 'A five-course dinner in a walled garden in Montford; location sent the day before.',
      url: 'https://www.eventbrite.com/e/secret-garden-supper-club-tickets-912555001234',
      coordinates: { lat: 35.6061, lng: -82.5609 },
    });
  });

  it('an event without a name is "Unknown Event"; without a venue (online) it has no coordinates', () => {
    expect(readEventbrite({ events: [{ url: 'https://www.eventbrite.com/e/x-tickets-1', online_event: true }] })).toEqual([
      { source: 'eventbrite', name: 'Unknown Event', description: '', url: 'https://www.eventbrite.com/e/x-tickets-1', coordinates: null },
    ]);
    expect(readEventbrite({ events: [{ name: { text: 'Odd' }, venue: { latitude: 'north', longitude: '-82.5' } }] })[0]!.coordinates).toBeNull();
  });

  it("Eventbrite's own errors fail by status (an invalid token is upstream_4xx), a body without events is malformed", async () => {
    fake.answerWith('eventbrite', { status: 401, json: { status_code: 401, error_description: 'The OAuth token you provided was invalid.', error: 'INVALID_AUTH' } });
    expect(await providerError(eventbrite().search(pikeville(), open()))).toMatchObject({ code: 'upstream_4xx', status: 401 });
    fake.answerWith('eventbrite', { json: { pagination: { object_count: 0 } } });
    expect(await providerError(eventbrite().search(pikeville(), open()))).toMatchObject({ code: 'malformed' });
  });
});
