/**
 * Geoapify forward geocoding (the upstream's backend-python and JS variants): one free-text search,
 * the best feature's city, state and country joined, its `rank.confidence` and point.
 */
import { unresolvedLocation, type Geocoder } from '../../domain/discovery/ports.ts';
import type { UserLocation } from '../../domain/discovery/types.ts';
import { endpoint, getJson } from './http.ts';
import { coordinatesOf, documentOf, finiteOf, firstText, isObject, listOf, malformed, objectOr } from './shape.ts';

export interface GeoapifyOptions {
  baseUrl?: URL;
  apiKey: string;
  timeoutMs: number;
}

const PROVIDER = 'geoapify';
const DEFAULT_BASE = new URL('https://api.geoapify.com');
/** The upstream's confidence when Geoapify gives none. */
const DEFAULT_CONFIDENCE = 0.8;

/** A Geoapify GeoJSON answer as a location: no feature is the raw text at 0.5. */
export function readGeoapify(body: unknown, raw: string, status = 200): UserLocation {
  const features = listOf(PROVIDER, documentOf(PROVIDER, body, status, 'a FeatureCollection'), 'features', status);
  if (features.length === 0) return unresolvedLocation(raw);
  const feature = features[0];
  if (!isObject(feature) || !isObject(feature.properties)) throw malformed(PROVIDER, status, 'a feature with properties');
  const place = feature.properties;
  const parts = [
    firstText(place.city, place.town, place.village, place.county, place.name),
    firstText(place.state, place.region),
    firstText(place.country),
  ].filter((part) => part !== '');
  const confidence = finiteOf(objectOr(place.rank).confidence);
  return {
    normalized: parts.length > 0 ? parts.join(', ') : raw,
    confidence: confidence !== undefined && confidence >= 0 && confidence <= 1 ? confidence : DEFAULT_CONFIDENCE,
    coordinates: coordinatesOf(place.lat, place.lon),
  };
}

export function createGeoapify(options: GeoapifyOptions): Geocoder {
  return {
    provider: PROVIDER,
    async geocode(raw, signal) {
      const url = endpoint(options.baseUrl ?? DEFAULT_BASE, '/v1/geocode/search', { text: raw, limit: '1', apiKey: options.apiKey });
      const { status, body } = await getJson(PROVIDER, url, { signal, timeoutMs: options.timeoutMs });
      return readGeoapify(body, raw, status);
    },
  };
}
