/**
 * Reading a provider's JSON without trusting it: optional fields that are missing or of the wrong
 * type read as absent, while a document whose top-level shape is wrong is `malformed`. None of
 * these throw anything but ProviderError.
 */
import { ProviderError } from '../../domain/discovery/ports.ts';
import type { Coordinates } from '../../domain/discovery/types.ts';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value as an object, or an empty one: for optional nested objects. */
export const objectOr = (value: unknown): JsonObject => (isObject(value) ? value : {});

/** The value when it is a string, else `fallback`. */
export const textOr = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** The first argument that is a non-empty string (after trimming), or ''. */
export const firstText = (...values: unknown[]): string => {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return '';
};

/** A finite number, also from a numeric string (Eventbrite sends coordinates as strings). */
export function finiteOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Coordinates when both are finite numbers (range checks are the sanitiser's). */
export function coordinatesOf(lat: unknown, lng: unknown): Coordinates | null {
  const latitude = finiteOf(lat);
  const longitude = finiteOf(lng);
  return latitude === undefined || longitude === undefined ? null : { lat: latitude, lng: longitude };
}

/** The top-level object of a provider's answer, or `malformed` naming what was expected. */
export function documentOf(provider: string, body: unknown, status: number, expected: string): JsonObject {
  if (!isObject(body)) throw malformed(provider, status, expected);
  return body;
}

/** The array at `key` of a document, or `malformed`. */
export function listOf(provider: string, document: JsonObject, key: string, status: number): unknown[] {
  const list = document[key];
  if (!Array.isArray(list)) throw malformed(provider, status, `an array at "${key}"`);
  return list;
}

export const malformed = (provider: string, status: number, expected: string) =>
  new ProviderError('malformed', provider, `${provider} answered ${status} with JSON that is not in its format (expected ${expected}).`, status);
