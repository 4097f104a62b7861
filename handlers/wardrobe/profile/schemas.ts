/** Schemas of the profile and user routes (contract section 6.6). */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { MEASUREMENTS, PROFILE_LIMITS, PROFILE_LISTS } from '../../../domain/wardrobe/profile.ts';

const measurement: JsonSchema = { type: ['number', 'null'], minimum: 0, maximum: PROFILE_LIMITS.measurement };
const list: JsonSchema = { type: ['array', 'null'], maxItems: PROFILE_LIMITS.list, items: { type: 'string', format: 'plain-text', maxLength: PROFILE_LIMITS.text } };
const text: JsonSchema = { type: ['string', 'null'], format: 'plain-text', maxLength: PROFILE_LIMITS.text };

const editable = (nullable: boolean): Record<string, JsonSchema> => {
  const strip = (schema: JsonSchema): JsonSchema => (nullable ? schema : { ...schema, type: (schema.type as string[]).filter((type) => type !== 'null') });
  return {
    ...Object.fromEntries(MEASUREMENTS.map((field) => [field, strip(measurement)])),
    ...Object.fromEntries(PROFILE_LISTS.map((field) => [field, strip(list)])),
    currencyCode: strip({ type: ['string', 'null'], pattern: '^[A-Za-z]{3}$' }),
    preferredSizeSystem: strip({ ...text, maxLength: 20 }),
    locationCity: strip(text),
    recommendationOptIn: strip({ type: ['boolean', 'null'] }),
  };
};

/**
 * The whole profile (the web sends back what it loaded; the mobile app the 13 editable fields).
 * `id` and the server-maintained fields may be present (what GET answered) and are ignored.
 */
export const putProfileRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: ['string', 'null'] },
    ...editable(true),
    wardrobeHashAtLastDigest: { type: ['string', 'null'] },
    wardrobeFingerprint: { type: ['string', 'null'] },
    styleConfidenceProfile: { type: ['object', 'null'] },
    climateZone: { type: ['string', 'null'] },
  },
};

export const profileResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'currencyCode', 'preferredSizeSystem', ...PROFILE_LISTS, 'recommendationOptIn'],
  properties: {
    id: { type: 'string' },
    ...editable(false),
    wardrobeHashAtLastDigest: { type: 'string' },
    wardrobeFingerprint: { type: 'string' },
    styleConfidenceProfile: { type: 'object' },
    climateZone: { type: 'string' },
  },
};

const strings: JsonSchema = { type: 'array', items: { type: 'string' } };

export const userMeResponse: JsonSchema = {
  type: 'object',
  required: ['userId', 'email', 'displayName', 'currencyCode', 'knownBrands', 'knownColors', 'knownCategories'],
  properties: {
    userId: { type: 'string' },
    email: { type: ['string', 'null'] },
    displayName: { type: ['string', 'null'] },
    currencyCode: { type: 'string' },
    knownBrands: strings,
    knownColors: strings,
    knownCategories: strings,
  },
};
