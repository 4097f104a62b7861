/**
 * Google Geocoding (the upstream's FastAPI and Django variants). Google answers its own failures
 * with HTTP 200 and a `status`: a quota is `upstream_429`, a refused key or request `upstream_4xx`,
 * its server error `upstream_5xx`; ZERO_RESULTS is not a failure but the raw text at 0.5.
 */
import { ProviderError, unresolvedLocation, type Geocoder, type ProviderFailure } from '../../domain/discovery/ports.ts';
import type { UserLocation } from '../../domain/discovery/types.ts';
import { endpoint, getJson } from './http.ts';
import { coordinatesOf, documentOf, firstText, isObject, listOf, malformed, objectOr } from './shape.ts';

export interface GoogleGeocodingOptions {
  baseUrl?: URL;
  apiKey: string;
  timeoutMs: number;
}

const PROVIDER = 'google';
const DEFAULT_BASE = new URL('https://maps.googleapis.com');

/** How precise the result is, as the upstream scored it. */
const CONFIDENCE_OF_TYPE: Record<string, number> = { ROOFTOP: 1, RANGE_INTERPOLATED: 0.9, GEOMETRIC_CENTER: 0.8, APPROXIMATE: 0.7 };
const OTHER_TYPE_CONFIDENCE = 0.6;

/** Google's failure statuses; OVER_DAILY_LIMIT is a missing key or billing, not a burst. */
const FAILURE_OF_STATUS: Record<string, ProviderFailure> = {
  OVER_QUERY_LIMIT: 'upstream_429',
  OVER_DAILY_LIMIT: 'upstream_4xx',
  REQUEST_DENIED: 'upstream_4xx',
  INVALID_REQUEST: 'upstream_4xx',
  UNKNOWN_ERROR: 'upstream_5xx',
};

export function readGoogleGeocoding(body: unknown, raw: string, status = 200): UserLocation {
  const document = documentOf(PROVIDER, body, status, 'an object with a status');
  const outcome = document.status;
  if (typeof outcome !== 'string') throw malformed(PROVIDER, status, 'a status');
  if (outcome === 'ZERO_RESULTS') return unresolvedLocation(raw);
  const failure = Object.hasOwn(FAILURE_OF_STATUS, outcome) ? FAILURE_OF_STATUS[outcome] : undefined;
  if (failure) throw new ProviderError(failure, PROVIDER, `${PROVIDER} answered ${outcome} (HTTP ${status}).`, status);
  if (outcome !== 'OK') throw malformed(PROVIDER, status, 'a known status');
  const results = listOf(PROVIDER, document, 'results', status);
  if (results.length === 0) return unresolvedLocation(raw);
  const result = results[0];
  if (!isObject(result)) throw malformed(PROVIDER, status, 'a result object');
  const geometry = objectOr(result.geometry);
  const location = objectOr(geometry.location);
  const type = typeof geometry.location_type === 'string' && Object.hasOwn(CONFIDENCE_OF_TYPE, geometry.location_type) ? geometry.location_type : undefined;
  return {
    normalized: firstText(result.formatted_address) || raw,
    confidence: type ? CONFIDENCE_OF_TYPE[type]! : OTHER_TYPE_CONFIDENCE,
    coordinates: coordinatesOf(location.lat, location.lng),
  };
}

export function createGoogleGeocoding(options: GoogleGeocodingOptions): Geocoder {
  return {
    provider: PROVIDER,
    async geocode(raw, signal) {
      const url = endpoint(options.baseUrl ?? DEFAULT_BASE, '/maps/api/geocode/json', { address: raw, key: options.apiKey });
      const { status, body } = await getJson(PROVIDER, url, { signal, timeoutMs: options.timeoutMs });
      return readGoogleGeocoding(body, raw, status);
    },
  };
}
