/** Schemas of the wardrobe item routes (contract sections 5, 6.1, 6.2, 6.4) and the vault insights. */
import type { JsonSchema } from '../../../kernel/functions.ts';

export const HEX_COLOUR = '^#[0-9A-Fa-f]{6}$';
/** Item ids are ours (32 hex, `upload-<32 hex>`); other features' ids stay within this alphabet too. */
export const ITEM_ID = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

const str = (maxLength: number): JsonSchema => ({ type: 'string', maxLength });
const orNull = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const stringList = (maxItems: number): JsonSchema => ({ type: 'array', maxItems, items: str(100) });
const weatherSnapshot: JsonSchema = { type: 'object', additionalProperties: false, required: ['tempCelsius', 'conditions'], properties: { tempCelsius: { type: 'number' }, conditions: str(100) } };

/** What the web echoes back of an item it read; accepted on PUT/POST and ignored (the server owns them). */
const SERVER_OWNED: Record<string, JsonSchema> = {
  userId: orNull(str(200)),
  imageUrl: orNull(str(8000)),
  wearCount: orNull({ type: 'integer', minimum: 0 }),
  lastWornAt: orNull(str(40)),
  wearEvents: orNull({
    type: 'array',
    items: { type: 'object', additionalProperties: false, properties: { occurredAt: str(40), wornAt: str(40), occasion: orNull(str(200)), weatherSnapshot: orNull(weatherSnapshot) } },
  }),
  lastWearActionId: orNull(str(128)),
  draftStatus: orNull(str(20)),
  draftError: orNull(str(2000)),
  rawImageBlobUrl: orNull(str(8000)),
  draftCreatedAt: orNull(str(40)),
  draftUpdatedAt: orNull(str(40)),
};

/**
 * GET /api/wardrobe's query: exactly what the clients send (contract 6.1). Numbers are typed
 * (junk is 400); pageSize is clamped, not refused (the web asks for 200); mobile's free-text
 * `query` is accepted and ignored, as upstream.
 */
export const listQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pageSize: { type: 'integer' },
    continuationToken: { type: 'string', minLength: 1, maxLength: 8000 },
    category: str(200),
    brand: str(200),
    condition: str(40),
    tags: str(2000),
    aestheticTags: str(2000),
    priceMin: { type: 'number' },
    priceMax: { type: 'number' },
    minWears: { type: 'integer' },
    maxWears: { type: 'integer' },
    includeWishlisted: str(10),
    sortField: str(40),
    sortDir: str(10),
    query: str(500),
  },
};

/**
 * A ClothingItem as the clients send it on POST and PUT, with the variants they produce
 * (legacy plain-number price, `currency` alias, mobile's bare-string size and fractional
 * waist/inseam, `color`/`family` colour names). Server-owned members (userId, wears, images,
 * draft state) may be present, as the web echoes the whole item back; they are ignored.
 * Anything else is refused, as everywhere in the API.
 */
export const itemBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: str(128),
    ...SERVER_OWNED,
    tags: orNull(stringList(50)),
    aestheticTags: orNull(stringList(50)),
    colours: orNull({
      type: 'array',
      maxItems: 20,
      items: { type: 'object', additionalProperties: false, required: ['hex'], properties: { name: orNull(str(60)), color: orNull(str(60)), family: orNull(str(60)), hex: str(16) } },
    }),
    brand: orNull(str(200)),
    category: orNull(str(200)),
    notes: orNull(str(4000)),
    price: orNull({
      anyOf: [
        { type: 'number', minimum: 0 },
        {
          type: 'object',
          additionalProperties: false,
          required: ['amount'],
          properties: { amount: { type: 'number', minimum: 0 }, originalCurrency: { type: 'string', pattern: '^[A-Za-z]{3}$' }, currency: { type: 'string', pattern: '^[A-Za-z]{3}$' }, purchaseDate: orNull(str(40)) },
        },
      ],
    }),
    dateAdded: orNull(str(40)),
    estimatedMarketValue: orNull({ type: 'number', minimum: 0 }),
    purchaseDate: orNull(str(40)),
    careInfo: orNull({ type: 'array', maxItems: 10, items: str(20) }),
    condition: orNull(str(20)),
    size: orNull({
      anyOf: [
        str(40),
        {
          type: 'object',
          additionalProperties: false,
          properties: { letter: orNull(str(20)), waist: orNull({ type: 'number', minimum: 0 }), inseam: orNull({ type: 'number', minimum: 0 }), shoeSize: orNull({ type: 'number', minimum: 0 }), system: orNull(str(20)) },
        },
      ],
    }),
    isWishlisted: orNull({ type: 'boolean' }),
  },
};

/** PATCH /api/wardrobe/{id}/wear: optional; mobile's `{"delta":1}` is accepted and ignored (each call is one wear). */
export const wearBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    delta: { type: 'number' },
    clientEventId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' },
    source: { type: 'string', format: 'plain-text', maxLength: 64 },
    occurredAt: str(40),
    occasion: { type: 'string', format: 'plain-text', maxLength: 200 },
    stylingActivityId: str(128),
    weatherSnapshot,
  },
};

export const historyQuery: JsonSchema = { type: 'object', additionalProperties: false, properties: { from: str(40), to: str(40) } };

export const stylingActivityBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId'],
  properties: {
    itemId: { type: 'string', minLength: 1, maxLength: 128 },
    clientEventId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' },
    activityType: { type: 'string', format: 'plain-text', maxLength: 64 },
    source: { type: 'string', format: 'plain-text', maxLength: 64 },
    occurredAt: str(40),
  },
};

export const suggestionUpdateBody: JsonSchema = { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { enum: ['Accepted', 'Dismissed'] } } };

const colour: JsonSchema = { type: 'object', required: ['name', 'hex'], properties: { name: { type: 'string' }, hex: { type: 'string' } } };

/** A ClothingItem as the API answers it (contract section 5); absent members are omitted, never null. */
export const clothingItem: JsonSchema = {
  type: 'object',
  required: ['id', 'userId', 'tags', 'colours', 'wearCount', 'isWishlisted'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    imageUrl: { type: 'string', description: 'A short-lived read URL, made on each read.' },
    tags: { type: 'array', items: { type: 'string' } },
    aestheticTags: { type: 'array', items: { type: 'string' } },
    colours: { type: 'array', items: colour },
    brand: { type: 'string' },
    category: { type: 'string' },
    notes: { type: 'string' },
    price: { type: 'object', required: ['amount', 'originalCurrency'], properties: { amount: { type: 'number' }, originalCurrency: { type: 'string' }, purchaseDate: { type: 'string' } } },
    dateAdded: { type: 'string' },
    wearCount: { type: 'integer' },
    lastWornAt: { type: 'string' },
    wearEvents: { type: 'array', items: { type: 'object', required: ['occurredAt'], properties: { occurredAt: { type: 'string' }, occasion: { type: 'string' }, weatherSnapshot } } },
    lastWearActionId: { type: 'string' },
    estimatedMarketValue: { type: 'number' },
    purchaseDate: { type: 'string' },
    careInfo: { type: 'array', items: { enum: ['dry_clean', 'wash', 'iron', 'bleach'] } },
    condition: { enum: ['New', 'Excellent', 'Good', 'Fair'] },
    size: { type: 'object', properties: { letter: { type: 'string' }, waist: { type: 'integer' }, inseam: { type: 'integer' }, shoeSize: { type: 'number' }, system: { type: 'string' } } },
    draftStatus: { enum: ['Processing', 'Ready', 'Failed'] },
    draftError: { type: 'string' },
    rawImageBlobUrl: { type: 'string' },
    draftCreatedAt: { type: 'string' },
    draftUpdatedAt: { type: 'string' },
    isWishlisted: { type: 'boolean' },
  },
};

export const itemPage: JsonSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: clothingItem }, nextContinuationToken: { type: 'string', description: 'Absent on the last page.' } },
};

export const wearHistoryResponse: JsonSchema = {
  type: 'object',
  required: ['itemId', 'events', 'summary'],
  properties: {
    itemId: { type: 'string' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'userId', 'itemId', 'occurredAt', 'createdAt'],
        properties: { id: { type: 'string' }, userId: { type: 'string' }, itemId: { type: 'string' }, occurredAt: { type: 'string' }, source: { type: 'string' }, occasion: { type: 'string' }, weatherSnapshot, stylingActivityId: { type: 'string' }, createdAt: { type: 'string' } },
      },
    },
    summary: { type: 'object', required: ['totalInRange', 'legacyUntrackedCount'], properties: { totalInRange: { type: 'integer' }, trackedFrom: { type: 'string' }, legacyUntrackedCount: { type: 'integer' } } },
  },
};

export const stylingActivityResponse: JsonSchema = { type: 'object', required: ['status', 'activityId'], properties: { status: { const: 'recorded' }, activityId: { type: 'string' } } };

export const suggestionsResponse: JsonSchema = {
  type: 'object',
  required: ['suggestions'],
  properties: {
    suggestions: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['suggestionId', 'itemId', 'message', 'activityAt'],
        properties: { suggestionId: { type: 'string' }, itemId: { type: 'string' }, message: { type: 'string' }, activityAt: { type: 'string' }, expiresAt: { type: 'string' }, imageUrl: { type: 'string' } },
      },
    },
  },
};

export const updatedResponse: JsonSchema = { type: 'object', required: ['status'], properties: { status: { const: 'updated' } } };
