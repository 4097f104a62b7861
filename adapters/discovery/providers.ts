/**
 * The provider set the settings select: the offline sample set, or the live providers whose keys
 * are set. Geocoding prefers Geoapify, then Google; with neither, the location is the raw text
 * (confidence 0.5), as the upstream fell back to.
 */
import { unresolvedLocation, type DiscoveryProviders, type Geocoder, type PlaceSource, type ProviderSettings } from '../../domain/discovery/ports.ts';
import { createEventbrite } from './eventbrite.ts';
import { createGeoapify } from './geoapify.ts';
import { createGoogleGeocoding } from './google-geocoding.ts';
import { createOfflineProviders } from './offline.ts';
import { createReddit } from './reddit.ts';
import { createSerpApi } from './serpapi.ts';

const rawText: Geocoder = { provider: 'none', geocode: async (raw) => unresolvedLocation(raw) };

export function createProviders(settings: ProviderSettings): DiscoveryProviders {
  if (settings.mode === 'offline') return createOfflineProviders();
  const { timeoutMs, geoapify, google, serpapi, reddit, eventbrite } = settings;
  const geocoder = geoapify
    ? createGeoapify({ baseUrl: geoapify.baseUrl, apiKey: geoapify.key, timeoutMs })
    : google
      ? createGoogleGeocoding({ baseUrl: google.baseUrl, apiKey: google.key, timeoutMs })
      : rawText;
  const sources: PlaceSource[] = [];
  if (serpapi) sources.push(createSerpApi({ baseUrl: serpapi.baseUrl, apiKey: serpapi.key, timeoutMs }));
  if (reddit) sources.push(createReddit({ baseUrl: reddit.baseUrl, timeoutMs }));
  if (eventbrite) sources.push(createEventbrite({ baseUrl: eventbrite.baseUrl, token: eventbrite.key, timeoutMs }));
  const signature = [geocoder.provider, ...sources.map((source) => source.provider)].join('+');
  return { geocoder, sources, sampleData: false, signature };
}
