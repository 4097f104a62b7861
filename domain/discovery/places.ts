/**
 * What a provider says about a place is untrusted: titles and snippets come from web pages,
 * Reddit posts and event listings. Before a place is scored, cached or returned, its text is
 * plain text (no HTML, no controls, bounded) and its URL an absolute http(s) URL without
 * credentials. A place with no usable name or URL is dropped rather than shown half-empty.
 */
import { htmlToText, printable, truncate } from './plain-text.ts';
import type { CleanPlace, RawPlace } from './types.ts';

export const PLACE_LIMITS = { name: 200, description: 300, url: 2048 } as const;

/** Plain text for display: markup stripped, then any `<` or `>` left by decoding removed, so no renderer can see a tag. */
export function plainText(text: string, max: number): string {
  return truncate(printable(htmlToText(text)).replace(/[<>]/g, '').replace(/\s+/g, ' ').trim(), max);
}

/** The URL as an absolute http(s) URL (normalised by the WHATWG parser), or undefined. */
export function safeUrl(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > PLACE_LIMITS.url) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Credentials in a link are a phishing device ("https://bank.com@evil.example").
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

const finiteIn = (value: number, min: number, max: number) => Number.isFinite(value) && value >= min && value <= max;

export function sanitisePlace(place: RawPlace): CleanPlace | undefined {
  const name = plainText(place.name, PLACE_LIMITS.name);
  const url = safeUrl(place.url);
  if (name === '' || url === undefined) return undefined;
  const clean: CleanPlace = { source: place.source, name, description: plainText(place.description, PLACE_LIMITS.description), url };
  const at = place.coordinates;
  if (at && finiteIn(at.lat, -90, 90) && finiteIn(at.lng, -180, 180)) clean.coordinates = { lat: at.lat, lng: at.lng };
  if (typeof place.upvotes === 'number' && Number.isFinite(place.upvotes)) clean.upvotes = place.upvotes;
  return clean;
}

/** Every place that survives sanitising, in the order given. */
export const sanitisePlaces = (places: readonly RawPlace[]): CleanPlace[] =>
  places.flatMap((place) => sanitisePlace(place) ?? []);
