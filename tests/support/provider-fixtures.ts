/**
 * What the five discovery providers answer, in their documented formats, for two cities: Pikeville KY
 * and Asheville NC. Written from each provider's public documentation (field names, nesting, value
 * types and their error bodies); the places are invented but believable. tests/support/fake-providers.ts
 * serves them.
 *
 * - Geoapify: GeoJSON FeatureCollection, `properties` with address parts, `lat`/`lon`, `rank.confidence`;
 *   errors `{statusCode, error, message}`.
 * - Google Geocoding: `{results, status}`; its failures are HTTP 200 with a status and `error_message`.
 * - SerpApi: `search_metadata`, `search_parameters`, `search_information`, `organic_results`; errors `{error}`,
 *   and an empty search is HTTP 200 with `error: "Google hasn't returned any results for this query."`.
 * - Reddit search.json: a `Listing` of `t3` things; errors `{message, error: <status>}`.
 * - Eventbrite v3 event search: `{pagination, events, location}` with `expand=venue`; coordinates are strings;
 *   errors `{status_code, error_description, error}`.
 */

export const FAKE_CITIES = ['pikeville', 'asheville'] as const;
export type FakeCity = (typeof FAKE_CITIES)[number];

/** The city a query names (case-insensitive), if it names one of the fixtures'. */
export const cityIn = (text: string): FakeCity | undefined => FAKE_CITIES.find((city) => text.toLowerCase().includes(city));

interface CityFacts {
  city: string;
  county: string;
  state: string;
  stateCode: string;
  postcode: string;
  lat: number;
  lon: number;
  placeId: string;
  geoapifyId: string;
}

const FACTS: Record<FakeCity, CityFacts> = {
  pikeville: { city: 'Pikeville', county: 'Pike County', state: 'Kentucky', stateCode: 'KY', postcode: '41501', lat: 37.4792672, lon: -82.5187629, placeId: 'ChIJ0yqJ4nBsRYgRgrCHnWq1wXw', geoapifyId: '51c6d3f2a1d8a054c059f0c9a6c0bcb8bd4240f00101f901a0c8020000000000c00208' },
  asheville: { city: 'Asheville', county: 'Buncombe County', state: 'North Carolina', stateCode: 'NC', postcode: '28801', lat: 35.595058, lon: -82.5514869, placeId: 'ChIJCW8PPKmMWYgRXTo0BsEx75Q', geoapifyId: '5171e91e1f4d9e54c0591f8a9a7e2ccc4140f00101f9016a07010000000000c00208' },
};

// Geoapify ---------------------------------------------------------------------------------------

const geoapifyQuery = (text: string) => ({ text, parsed: { city: text.split(/[ ,]+/)[0]?.toLowerCase() ?? '', expected_type: 'city' } });

export const geoapifyEmpty = (text: string) => ({ type: 'FeatureCollection', features: [], query: geoapifyQuery(text) });

export function geoapifyAnswer(text: string): unknown {
  const city = cityIn(text);
  if (!city) return geoapifyEmpty(text);
  const f = FACTS[city];
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {
          datasource: { sourcename: 'openstreetmap', attribution: '© OpenStreetMap contributors', license: 'Open Database License', url: 'https://www.openstreetmap.org/copyright' },
          name: f.city,
          country: 'United States',
          country_code: 'us',
          state: f.state,
          county: f.county,
          city: f.city,
          lon: f.lon,
          lat: f.lat,
          state_code: f.stateCode,
          result_type: 'city',
          formatted: `${f.city}, ${f.stateCode}, United States of America`,
          address_line1: `${f.city}, ${f.stateCode}`,
          address_line2: 'United States of America',
          category: 'populated_place',
          timezone: { name: 'America/New_York', offset_STD: '-05:00', offset_STD_seconds: -18000, offset_DST: '-04:00', offset_DST_seconds: -14400, abbreviation_STD: 'EST', abbreviation_DST: 'EDT' },
          plus_code: city === 'pikeville' ? '86CR6FHJ+PF' : '866QHCWX+2C',
          rank: { importance: 0.4862, popularity: 4.12, confidence: 1, confidence_city_level: 1, match_type: 'full_match' },
          place_id: f.geoapifyId,
        },
        geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
        bbox: [f.lon - 0.05, f.lat - 0.04, f.lon + 0.05, f.lat + 0.04],
      },
    ],
    query: geoapifyQuery(text),
  };
}

export const geoapifyError = (statusCode: number) =>
  statusCode === 429
    ? { statusCode: 429, error: 'Too Many Requests', message: 'You have exceeded the rate limit of your plan. Please retry later or upgrade your plan.' }
    : { statusCode, error: 'Internal Server Error', message: 'An internal server error occurred' };

// Google Geocoding ---------------------------------------------------------------------------------

export const GOOGLE_ZERO_RESULTS = { results: [], status: 'ZERO_RESULTS' };

export function googleAnswer(address: string): unknown {
  const city = cityIn(address);
  if (!city) return GOOGLE_ZERO_RESULTS;
  const f = FACTS[city];
  return {
    results: [
      {
        address_components: [
          { long_name: f.city, short_name: f.city, types: ['locality', 'political'] },
          { long_name: f.county, short_name: f.county, types: ['administrative_area_level_2', 'political'] },
          { long_name: f.state, short_name: f.stateCode, types: ['administrative_area_level_1', 'political'] },
          { long_name: 'United States', short_name: 'US', types: ['country', 'political'] },
          { long_name: f.postcode, short_name: f.postcode, types: ['postal_code'] },
        ],
        formatted_address: `${f.city}, ${f.stateCode} ${f.postcode}, USA`,
        geometry: {
          bounds: { northeast: { lat: f.lat + 0.04, lng: f.lon + 0.05 }, southwest: { lat: f.lat - 0.04, lng: f.lon - 0.05 } },
          location: { lat: f.lat, lng: f.lon },
          location_type: 'APPROXIMATE',
          viewport: { northeast: { lat: f.lat + 0.04, lng: f.lon + 0.05 }, southwest: { lat: f.lat - 0.04, lng: f.lon - 0.05 } },
        },
        place_id: f.placeId,
        types: ['locality', 'political'],
      },
    ],
    status: 'OK',
  };
}

/** Google's own failures: HTTP 200 (or a 5xx for its server errors) with a status and a message. */
export const googleFailure = (status: 'OVER_QUERY_LIMIT' | 'REQUEST_DENIED' | 'INVALID_REQUEST' | 'UNKNOWN_ERROR') => ({
  error_message: {
    OVER_QUERY_LIMIT: 'You have exceeded your rate-limit for this API.',
    REQUEST_DENIED: 'The provided API key is invalid.',
    INVALID_REQUEST: "Invalid request. Missing the 'address', 'components', 'latlng' or 'place_id' parameter.",
    UNKNOWN_ERROR: 'An unknown error occurred. Please try again.',
  }[status],
  results: [],
  status,
});

// Places: what the sources find in each city ---------------------------------------------------------

interface PlaceFacts {
  title: string;
  snippet: string;
  link: string;
}

const WEB_PLACES: Record<FakeCity, PlaceFacts[]> = {
  pikeville: [
    { title: 'Pikeville Cut-Through: the mountain they moved', snippet: 'One of the largest earth-moving projects in the Western Hemisphere; locals hike the old railroad grade above the cut at dusk.', link: 'https://www.kentuckyroadside.com/pikeville-cut-through' },
    { title: 'Dils Cemetery - Hatfield-McCoy Feud Sites', snippet: 'A quiet hillside cemetery with graves of the McCoy family, one stop on the self-guided feud driving tour.', link: 'https://www.tourpikecounty.com/feud-sites/dils-cemetery' },
    { title: 'Bob Amos Park Overlook & Trails | Pikeville, KY', snippet: 'Ridge-top park with an overlook of the Levisa Fork valley, disc golf and a little-known trail to the old fire tower.', link: 'https://www.pikevilleky.gov/parks/bob-amos-park' },
    { title: 'The Blue Raven Speakeasy - Pikeville Underground Bar', snippet: 'Unmarked door off Main Street; ask for the "miner\'s old fashioned". Live bluegrass on Thursdays.', link: 'https://www.blueravenpikeville.com/' },
    { title: 'Pikeville Main Street Farmers Market', snippet: 'Saturday market under the pavilion: sorghum, ramps in spring and the best fried pies in the county.', link: 'https://www.pikevillemainstreet.org/farmers-market' },
  ],
  asheville: [
    { title: 'River Arts District Studios | Asheville, NC', snippet: 'Over 200 working artists in old industrial buildings along the French Broad; open studios on the second Saturday.', link: 'https://www.riverartsdistrict.com/studios' },
    { title: 'Asheville Pinball Museum', snippet: 'Pay once, play all day: seventy-plus restored machines in a basement downtown.', link: 'https://www.ashevillepinball.com/' },
    { title: 'Grove Arcade Hidden Tunnels Tour', snippet: 'Walk the service tunnels under the 1929 Grove Arcade with a local historian; small groups only.', link: 'https://www.grovearcade.com/tours/tunnels' },
    { title: 'Chemist Spirits Speakeasy - The Apothecary Bar', snippet: 'A gin distillery with a hidden bar behind a shelf of tinctures on Market Street.', link: 'https://www.chemistspirits.com/speakeasy' },
    { title: 'Riverside Cemetery: Thomas Wolfe & O. Henry graves', snippet: 'Victorian cemetery on the hills of Montford, with the graves of two famous writers and great fall color.', link: 'https://www.ashevillenc.gov/riverside-cemetery' },
    { title: 'Secret swimming holes near Asheville - Local guide', snippet: 'Skinny Dip Falls, Sliding Rock and three spots locals would rather you did not share &amp; why.', link: 'https://www.blueridgeoutings.com/asheville-swimming-holes' },
  ],
};

// SerpApi ------------------------------------------------------------------------------------------

const SERP_EMPTY_ERROR = "Google hasn't returned any results for this query.";

function serpMetadata(q: string, location: string) {
  const id = '66a1f3c2b68f8b1d2e4a9c71';
  return {
    search_metadata: {
      id,
      status: 'Success',
      json_endpoint: `https://serpapi.com/searches/5c7e1a2f9b3d4e60/${id}.json`,
      created_at: '2025-06-12 14:03:42 UTC',
      processed_at: '2025-06-12 14:03:42 UTC',
      google_url: `https://www.google.com/search?q=${encodeURIComponent(q)}&oq=${encodeURIComponent(q)}&hl=en&gl=us&num=10&sourceid=chrome&ie=UTF-8`,
      raw_html_file: `https://serpapi.com/searches/5c7e1a2f9b3d4e60/${id}.html`,
      total_time_taken: 1.84,
    },
    search_parameters: { engine: 'google', q, location_requested: location, location_used: location, google_domain: 'google.com', hl: 'en', gl: 'us', num: '10', device: 'desktop' },
  };
}

export function serpApiAnswer(q: string, location: string): unknown {
  const city = cityIn(`${q} ${location}`);
  if (!city) return serpApiEmpty(q, location);
  const places = WEB_PLACES[city];
  return {
    ...serpMetadata(q, location),
    search_information: { query_displayed: q, total_results: 48_300, time_taken_displayed: 0.41, organic_results_state: 'Results for exact spelling' },
    organic_results: places.map((place, index) => {
      const host = new URL(place.link).hostname;
      return {
        position: index + 1,
        title: place.title,
        link: place.link,
        redirect_link: `https://www.google.com/url?sa=t&source=web&rct=j&url=${encodeURIComponent(place.link)}`,
        displayed_link: `https://${host} › ${new URL(place.link).pathname.split('/').filter(Boolean).join(' › ')}`,
        favicon: `https://serpapi.com/searches/66a1f3c2b68f8b1d2e4a9c71/images/favicon-${index + 1}.png`,
        snippet: place.snippet,
        snippet_highlighted_words: ['hidden', 'local'],
        source: host.replace(/^www\./, ''),
      };
    }),
  };
}

export const serpApiEmpty = (q: string, location: string) => ({
  ...serpMetadata(q, location),
  search_information: { query_displayed: q, organic_results_state: 'Fully empty' },
  error: SERP_EMPTY_ERROR,
});

export const serpApiError = (status: number) =>
  status === 429 ? { error: 'Your account has run out of searches.' } : { error: "We couldn't get valid results for this search. Please try again later." };

// Reddit -------------------------------------------------------------------------------------------

const REDDIT_POSTS: Record<FakeCity, { subreddit: string; id: string; title: string; selftext: string; score: number; comments: number }[]> = {
  pikeville: [
    { subreddit: 'Kentucky', id: '1d8k2qz', title: 'Hidden spots around Pikeville? Visiting family in June', selftext: 'Going to be in Pikeville for a week. We have done the feud tour already. Any **local** spots, odd history, good food that is not a chain? Thanks y\'all!', score: 142, comments: 57 },
    { subreddit: 'appalachia', id: '1c3xw7e', title: 'The old C&O tunnel trail above the Pikeville Cut-Through is worth the climb', selftext: 'Park behind the old depot, follow the grade north. Bring a light for the short tunnel & watch for copperheads. Best at sunset.', score: 389, comments: 44 },
    { subreddit: 'EasternKentucky', id: '1b9rm2a', title: 'Pikeville speakeasy recommendations', selftext: 'Heard there is a bar with no sign off Main St. Anybody know the password or is that a myth?', score: 27, comments: 19 },
  ],
  asheville: [
    { subreddit: 'asheville', id: '1dk4hs0', title: 'Underrated things to do in Asheville that tourists miss', selftext: 'Locals, what are your favourite under-the-radar spots? Not looking for breweries (we have a list), more like odd museums, tunnels, secret gardens.\n\nEdit: the pinball museum suggestion was a hit!', score: 812, comments: 233 },
    { subreddit: 'asheville', id: '1cz9v3t', title: 'PSA: the Grove Arcade tunnel tour is back', selftext: 'They reopened the service tunnel tour under the arcade. Small groups, book ahead. The guide knows everything about the 1929 build.', score: 254, comments: 31 },
    { subreddit: 'NorthCarolina', id: '1bw0p8k', title: 'Best swimming holes within an hour of Asheville?', selftext: '', score: 96, comments: 72 },
    { subreddit: 'travel', id: '1ap3l6d', title: 'Asheville in the off season: quiet, cheap and weird (in a good way)', selftext: 'Spent four days in February. River Arts District studios were open and the artists had time to talk. Highly recommend.', score: 61, comments: 12 },
  ],
};

function redditListing(children: unknown[]) {
  return { kind: 'Listing', data: { after: children.length > 0 ? 't3_1a0b2c3' : null, dist: children.length, modhash: '', geo_filter: '', facets: {}, children, before: null } };
}

export function redditAnswer(q: string): unknown {
  const city = cityIn(q);
  const posts = city ? REDDIT_POSTS[city] : [];
  return redditListing(
    posts.map((post, index) => {
      const slug = post.title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 50);
      const permalink = `/r/${post.subreddit}/comments/${post.id}/${slug}/`;
      return {
        kind: 't3',
        data: {
          approved_at_utc: null,
          subreddit: post.subreddit,
          selftext: post.selftext,
          author_fullname: `t2_${(9_000_000 + index * 7919).toString(36)}`,
          title: post.title,
          subreddit_name_prefixed: `r/${post.subreddit}`,
          name: `t3_${post.id}`,
          upvote_ratio: 0.96,
          ups: post.score,
          score: post.score,
          num_comments: post.comments,
          created_utc: 1_717_000_000 + index * 86_400,
          id: post.id,
          is_self: true,
          over_18: false,
          permalink,
          url: `https://www.reddit.com${permalink}`,
          subreddit_subscribers: 120_000,
        },
      };
    }),
  );
}

export const redditEmpty = () => redditListing([]);

export const redditError = (status: number) => ({ message: status === 429 ? 'Too Many Requests' : 'Internal Server Error', error: status });

/** What Reddit answers a client it blocks: an HTML page, not JSON. */
export const REDDIT_BLOCK_PAGE = '<!doctype html><html><head><title>Blocked</title></head><body><h1>whoa there, pardner!</h1><p>Your request has been blocked due to a network policy.</p></body></html>';

// Eventbrite ---------------------------------------------------------------------------------------

const EVENTS: Record<FakeCity, { id: string; name: string; description: string; venue: string; street: string; date: string; lat: string; lon: string }[]> = {
  pikeville: [
    { id: '883104512347', name: 'Hatfield-McCoy Feud Lantern Walk', description: 'A guided evening walk to feud sites with local storytellers. Lanterns provided.', venue: 'Pikeville Visitors Center', street: '831 Hambley Blvd', date: '2025-06-14', lat: '37.4795183', lon: '-82.5204771' },
    { id: '901277340015', name: 'Underground Mine Heritage Night', description: 'Stories, photos and a replica mine shaft from the families who worked the Pike County seams.', venue: 'Big Sandy Heritage Center', street: '172 Division St', date: '2025-06-20', lat: '37.4786', lon: '-82.5197' },
  ],
  asheville: [
    { id: '912555001234', name: 'Secret Garden Supper Club', description: 'A five-course dinner in a walled garden in Montford; location sent the day before.', venue: 'Montford (address on ticket)', street: 'Montford Ave', date: '2025-06-15', lat: '35.6061', lon: '-82.5609' },
    { id: '918000772210', name: 'Basement Jazz at the Arcade', description: 'Late-night jazz in the old boiler room under the Grove Arcade.', venue: 'Grove Arcade', street: '1 Page Ave', date: '2025-06-21', lat: '35.5967', lon: '-82.5548' },
    { id: '920341118876', name: 'River Arts District Open Studios', description: 'Second Saturday: every studio open, demos and tours.', venue: 'River Arts District', street: '191 Lyman St', date: '2025-07-12', lat: '35.5862', lon: '-82.5668' },
  ],
};

function eventbritePage(events: unknown[], address: string, within: string) {
  return {
    pagination: { object_count: events.length, page_number: 1, page_size: 50, page_count: 1, has_more_items: false },
    events,
    location: { latitude: '', longitude: '', within, augmented_location: { city: address.split(/[ ,]+/)[0] ?? '', region: '', country: 'US' } },
  };
}

/** The events in the city of `location.address`, whatever the `q` (Eventbrite matches it loosely). */
export function eventbriteAnswer(address: string, within: string): unknown {
  const city = cityIn(address);
  if (!city) return eventbriteEmpty(address, within);
  const f = FACTS[city];
  return eventbritePage(
    EVENTS[city].map((event) => {
      const slug = event.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const venueId = String(Number(event.id.slice(-6)) + 30_000_000);
      return {
        name: { text: event.name, html: event.name },
        description: { text: event.description, html: `<p>${event.description}</p>` },
        id: event.id,
        url: `https://www.eventbrite.com/e/${slug}-tickets-${event.id}`,
        start: { timezone: 'America/New_York', local: `${event.date}T14:00:00`, utc: `${event.date}T18:00:00Z` },
        end: { timezone: 'America/New_York', local: `${event.date}T16:30:00`, utc: `${event.date}T20:30:00Z` },
        organization_id: '287341192837',
        created: '2025-04-02T15:11:09Z',
        changed: '2025-05-30T09:42:51Z',
        capacity: 40,
        status: 'live',
        currency: 'USD',
        listed: true,
        shareable: true,
        online_event: false,
        is_free: false,
        summary: event.description,
        venue_id: venueId,
        category_id: '113',
        venue: {
          address: {
            address_1: event.street,
            address_2: null,
            city: f.city,
            region: f.stateCode,
            postal_code: f.postcode,
            country: 'US',
            latitude: event.lat,
            longitude: event.lon,
            localized_address_display: `${event.street}, ${f.city}, ${f.stateCode} ${f.postcode}`,
          },
          resource_uri: `https://www.eventbriteapi.com/v3/venues/${venueId}/`,
          id: venueId,
          name: event.venue,
          latitude: event.lat,
          longitude: event.lon,
        },
      };
    }),
    address,
    within,
  );
}

export const eventbriteEmpty = (address: string, within: string) => eventbritePage([], address, within);

export const eventbriteError = (status: number) =>
  status === 429
    ? { status_code: 429, error_description: 'You have exceeded the rate limit for this token. Please wait before making more requests.', error: 'HIT_RATE_LIMIT' }
    : { status_code: status, error_description: 'An internal error occurred. Please try again later.', error: 'INTERNAL_ERROR' };
