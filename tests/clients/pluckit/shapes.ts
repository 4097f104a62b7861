/**
 * What a client reads, as a shape to check a reply against: each key names the JSON type the
 * client decodes it as. `?` marks a key the client tolerates missing or null. `date` is a string
 * the iOS decoder accepts (ISO 8601, UTC, whole seconds).
 */
import { expect } from '@jest/globals';
import { MOBILE_DATE } from './clients.ts';

export type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'date';
export type Shape = Record<string, Kind | `${Kind}?`>;

function kindOf(value: unknown): Kind[] {
  if (typeof value === 'string') return MOBILE_DATE.test(value) ? ['string', 'date'] : ['string'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['number', 'integer'] : ['number'];
  if (typeof value === 'boolean') return ['boolean'];
  if (Array.isArray(value)) return ['array'];
  if (value !== null && typeof value === 'object') return ['object'];
  return [];
}

/** Every key of `shape` is in `value` with its kind (optional keys may be absent or null). */
export function expectReads(value: unknown, shape: Shape, where = 'reply'): void {
  expect(value !== null && typeof value === 'object').toBe(true);
  const record = value as Record<string, unknown>;
  const wrong: string[] = [];
  for (const [key, spec] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const kind = spec.replace('?', '') as Kind;
    const field = record[key];
    if (field === undefined || field === null) {
      if (!optional) wrong.push(`${key}: missing`);
      continue;
    }
    if (!kindOf(field).includes(kind)) wrong.push(`${key}: ${JSON.stringify(field)} is not ${kind}`);
  }
  expect({ where, wrong }).toEqual({ where, wrong: [] });
}

/** A ClothingItem as both clients decode it (contract section 5). */
export const CLOTHING_ITEM: Shape = {
  id: 'string', userId: 'string', imageUrl: 'string?', tags: 'array', colours: 'array', brand: 'string?', category: 'string?', notes: 'string?',
  price: 'object?', dateAdded: 'date?', wearCount: 'integer', lastWornAt: 'date?', wearEvents: 'array?', estimatedMarketValue: 'number?',
  careInfo: 'array?', condition: 'string?', size: 'object?', draftStatus: 'string?', draftError: 'string?', draftCreatedAt: 'date?', draftUpdatedAt: 'date?',
  isWishlisted: 'boolean', aestheticTags: 'array?',
};

export const COLLECTION: Shape = { id: 'string', ownerId: 'string', name: 'string', description: 'string?', isPublic: 'boolean', clothingItemIds: 'array', memberUserIds: 'array', createdAt: 'date' };

export const PROFILE: Shape = {
  currencyCode: 'string', preferredSizeSystem: 'string', stylePreferences: 'array', favoriteBrands: 'array', preferredColours: 'array', recommendationOptIn: 'boolean',
  heightCm: 'number?', weightKg: 'number?', chestCm: 'number?', waistCm: 'number?', hipsCm: 'number?', inseamCm: 'number?', locationCity: 'string?',
};

/** The app session object's keys the mobile app reads (section 2.3). */
export const SESSION: Shape = {
  access_token: 'string', token_type: 'string', expires_in: 'integer', access_token_expires_at: 'date', refresh_token: 'string',
  refresh_token_expires_in: 'integer', refresh_token_expires_at: 'date', refresh_token_rotation: 'string', refresh_token_revoke_on_logout: 'boolean', user_id: 'string',
};
