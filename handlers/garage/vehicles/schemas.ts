/**
 * Schemas of the garage's vehicle, mod, service-record, reminder and image routes. The wire
 * format is the seed's snake_case. Bodies reject unknown fields; `orNull` fields may be cleared
 * with null where the route merges (PATCH, and the sub-resources' PUT).
 */
import type { JsonSchema } from '../../../kernel/functions.ts';
import { pageOf, pageQuery } from '../../../middleware/resources.ts';

export const LIMITS = { text: 100, description: 4000, maxMileage: 5_000_000, maxCents: 1_000_000_000 } as const;

const orNull = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type, 'null'] });
const shortText: JsonSchema = { type: 'string', format: 'plain-text', minLength: 1, maxLength: LIMITS.text };
const longText: JsonSchema = { type: 'string', maxLength: LIMITS.description };
const date: JsonSchema = { type: 'string', format: 'date' };
const miles: JsonSchema = { type: 'integer', minimum: 0, maximum: LIMITS.maxMileage };

/** As the upstream: an integer or a four-digit string; stored and answered as a string. */
const year: JsonSchema = { anyOf: [{ type: 'integer', minimum: 1886, maximum: 2100 }, { type: 'string', pattern: '^(18[89][0-9]|19[0-9]{2}|20[0-9]{2}|2100)$' }] };

/** Optional fields take null for "none" everywhere: PUT and POST store it, PATCH clears the field. */
function vehicleFields(): Record<string, JsonSchema> {
  const optional = orNull;
  return {
    make: shortText,
    model: shortText,
    year,
    trim: optional(shortText),
    // Any text up to 32 characters reaches the VIN rules (domain/garage/vin.ts), which say precisely what is wrong.
    vin: optional({ type: 'string', minLength: 1, maxLength: 32 }),
    mileage: optional(miles),
    nickname: optional(shortText),
  };
}

export const vehicleRequest: JsonSchema = { type: 'object', additionalProperties: false, required: ['make', 'model', 'year'], properties: vehicleFields() };
export const vehiclePatch: JsonSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: vehicleFields() };
export const listVehiclesQuery: JsonSchema = pageQuery();

const stamps = { created_at: { type: 'string' }, updated_at: { type: 'string' } };
const nullableString = { type: ['string', 'null'] };
const nullableInteger = { type: ['integer', 'null'] };

export const modResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'vehicle_id', 'name', 'description', 'installed_on', 'created_at'],
  properties: { id: { type: 'string' }, vehicle_id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, installed_on: nullableString, ...stamps },
};

export const vehicleResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'make', 'model', 'year', 'trim', 'vin', 'mileage', 'nickname', 'image', 'created_at', 'etag'],
  properties: {
    id: { type: 'string' }, make: { type: 'string' }, model: { type: 'string' }, year: { type: 'string' },
    trim: nullableString, vin: nullableString, mileage: nullableInteger, nickname: nullableString,
    image: { description: 'A short-lived read URL of its image, or null', type: ['string', 'null'] },
    mods: { description: 'GET /vehicles/{id} only: its mods, newest first', type: 'array', items: modResponse },
    ...stamps, etag: { type: 'string' },
  },
};
export const vehiclePage: JsonSchema = pageOf(vehicleResponse);

export const modRequest: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['name'],
  properties: { name: shortText, description: longText, installed_on: orNull(date) },
};
export const modPatch: JsonSchema = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { name: shortText, description: longText, installed_on: orNull(date) },
};

function serviceFields(): Record<string, JsonSchema> {
  return {
    name: shortText,
    description: longText,
    performed_on: orNull(date),
    odometer_miles: orNull(miles),
    cost_cents: orNull({ type: 'integer', minimum: 0, maximum: LIMITS.maxCents }),
    currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
  };
}
export const serviceRequest: JsonSchema = { type: 'object', additionalProperties: false, required: ['name'], properties: serviceFields() };
export const servicePatch: JsonSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: serviceFields() };
export const serviceResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'vehicle_id', 'name', 'description', 'performed_on', 'odometer_miles', 'cost_cents', 'currency', 'created_at'],
  properties: {
    id: { type: 'string' }, vehicle_id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' },
    performed_on: nullableString, odometer_miles: nullableInteger, cost_cents: nullableInteger, currency: { type: 'string' }, ...stamps,
  },
};

function reminderFields(): Record<string, JsonSchema> {
  return {
    name: shortText,
    notes: longText,
    interval_miles: orNull({ type: 'integer', minimum: 1, maximum: LIMITS.maxMileage }),
    interval_months: orNull({ type: 'integer', minimum: 1, maximum: 240 }),
    last_performed_on: orNull(date),
    last_odometer: orNull(miles),
    next_due_on: orNull(date),
    next_due_miles: orNull(miles),
    remind_ahead_miles: { type: 'integer', minimum: 0, maximum: 100_000 },
    remind_ahead_days: { type: 'integer', minimum: 0, maximum: 365 },
    is_active: { type: 'boolean' },
  };
}
export const reminderRequest: JsonSchema = { type: 'object', additionalProperties: false, required: ['name'], properties: reminderFields() };
export const reminderPatch: JsonSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: reminderFields() };
export const reminderResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'vehicle_id', 'name', 'is_active', 'due_since', 'last_notified_at', 'created_at'],
  properties: {
    id: { type: 'string' }, vehicle_id: { type: 'string' }, name: { type: 'string' }, notes: { type: 'string' },
    interval_miles: nullableInteger, interval_months: nullableInteger, last_performed_on: nullableString, last_odometer: nullableInteger,
    next_due_on: nullableString, next_due_miles: nullableInteger, remind_ahead_miles: { type: 'integer' }, remind_ahead_days: { type: 'integer' },
    is_active: { type: 'boolean' }, due_since: nullableString, last_notified_at: nullableString, ...stamps,
  },
};

/** Sub-resource lists (mods, services, reminders): newest first, a page at a time. */
export const childListQuery: JsonSchema = pageQuery({ defaultLimit: 50, maxLimit: 200 });
export const modPage = pageOf(modResponse);
export const servicePage = pageOf(serviceResponse);
export const reminderPage = pageOf(reminderResponse);

export const imageResponse: JsonSchema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { description: 'A short-lived read URL (GARAGE_IMAGE_URL_TTL_SECONDS), or null when the vehicle has no image', type: ['string', 'null'] },
    content_type: { type: 'string' }, bytes: { type: 'integer' }, width: { type: 'integer' }, height: { type: 'integer' }, uploaded_at: { type: 'string' },
  },
};
