/**
 * Eventbrite's event search (the upstream's Python and JS variants), with what the upstream never
 * sent: the query's radius (default 25 miles, as the JS variant) and its date window.
 * Eventbrite's venue coordinates are strings ("37.4795").
 */
import type { PlaceSource, SourceQuery } from '../../domain/discovery/ports.ts';
import type { RawPlace } from '../../domain/discovery/types.ts';
import { endpoint, getJson } from './http.ts';
import { coordinatesOf, documentOf, isObject, listOf, objectOr, textOr } from './shape.ts';
import { MAX_PLACES, resolvedPlace } from './source-query.ts';

export interface EventbriteOptions {
  baseUrl?: URL;
  /** A private OAuth token, sent as a bearer credential. */
  token: string;
  timeoutMs: number;
}

const PROVIDER = 'eventbrite';
const DEFAULT_BASE = new URL('https://www.eventbriteapi.com');
const DEFAULT_RADIUS_MILES = 25;

/** The search's parameters; Eventbrite takes whole miles and "naive" UTC times without milliseconds. */
export function eventbriteParameters(query: SourceQuery): Record<string, string> {
  const miles = query.radiusMiles !== null && query.radiusMiles > 0 ? Math.ceil(query.radiusMiles) : DEFAULT_RADIUS_MILES;
  const parameters: Record<string, string> = {
    q: query.intent,
    'location.address': resolvedPlace(query),
    'location.within': `${miles}mi`,
    expand: 'venue',
  };
  if (query.dateWindow) {
    // The window's dates are inclusive: its last day runs to the end of that day.
    parameters['start_date.range_start'] = `${query.dateWindow.from}T00:00:00Z`;
    parameters['start_date.range_end'] = `${query.dateWindow.to}T23:59:59Z`;
  }
  return parameters;
}

export function readEventbrite(body: unknown, status = 200): RawPlace[] {
  const events = listOf(PROVIDER, documentOf(PROVIDER, body, status, 'a search result'), 'events', status);
  return events
    .slice(0, MAX_PLACES)
    .filter(isObject)
    .map((event) => {
      const venue = objectOr(event.venue);
      const address = objectOr(venue.address);
      return {
        source: 'eventbrite',
        name: textOr(objectOr(event.name).text, 'Unknown Event'),
        description: textOr(objectOr(event.description).text),
        url: textOr(event.url),
        coordinates: coordinatesOf(venue.latitude ?? address.latitude, venue.longitude ?? address.longitude),
      };
    });
}

export function createEventbrite(options: EventbriteOptions): PlaceSource {
  return {
    source: 'eventbrite',
    provider: PROVIDER,
    async search(query, signal) {
      const url = endpoint(options.baseUrl ?? DEFAULT_BASE, '/v3/events/search/', eventbriteParameters(query));
      const headers = { authorization: `Bearer ${options.token}` };
      const { status, body } = await getJson(PROVIDER, url, { signal, timeoutMs: options.timeoutMs, headers });
      return readEventbrite(body, status);
    },
  };
}
