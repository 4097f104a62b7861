/**
 * Property, on every wardrobe item, wear and styling route with a body: whatever JSON (or
 * non-JSON) arrives, the answer is never a 5xx, every refusal is problem+json, and a refused
 * request leaves the store exactly as it was.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { HttpLambda } from '../../../kernel/functions.ts';
import { itemsContainer, stylingContainer, wearsContainer, type ClothingItemDoc } from '../../../handlers/wardrobe/items/store.ts';
import { setup } from './support.ts';

const RUNS = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200));

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', ' ', 'tops', '__proto__', 'EUR', 'eur', 'JPY', 'XQZ', '\u0000', '😀'.repeat(3)));
const wild = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const hex = fc.oneof(fc.stringMatching(/^#[0-9a-fA-F]{6}$/), text);
const date = fc.oneof(fc.constantFrom('2026-11-22', '2026-11-23', '2026-11-24', '2026-02-29', '2024-02-29', '0000-01-01', '9999-12-31'), text);
const stamp = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-11-22T10:01:59Z', '2026-11-22T10:02:01Z', '2026-11-22T12:00:00+02:00', 'yesterday'),
  text,
);
const colours = fc.oneof(fc.array(fc.record({ name: text, color: text, hex }, { requiredKeys: [] }), { maxLength: 22 }), wild);
const number = fc.oneof(fc.double({ min: -10, max: 2e9, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0.1, 12.345, 19.99, 32.5));
const itemFields = {
  id: fc.oneof(fc.constantFrom('id-0001', 'ID-0001', 'other'), wild),
  userId: wild,
  category: fc.oneof(text, wild),
  brand: fc.oneof(text, wild),
  notes: fc.oneof(text, wild),
  colours,
  tags: fc.oneof(fc.array(text, { maxLength: 55 }), wild),
  aestheticTags: fc.oneof(fc.array(text, { maxLength: 5 }), wild),
  price: fc.oneof(number, fc.record({ amount: fc.oneof(number, wild), originalCurrency: fc.oneof(text, wild), currency: fc.oneof(text, wild), purchaseDate: fc.oneof(date, wild) }, { requiredKeys: [] }), wild),
  dateAdded: fc.oneof(stamp, wild),
  purchaseDate: fc.oneof(date, wild),
  condition: fc.oneof(fc.constantFrom('New', 'excellent', 'Mint'), wild),
  careInfo: fc.oneof(fc.array(fc.constantFrom('wash', 'Iron', 'burn'), { maxLength: 3 }), wild),
  size: fc.oneof(text, fc.record({ letter: fc.oneof(text, wild), waist: fc.oneof(number, wild), inseam: fc.oneof(number, wild), shoeSize: fc.oneof(number, wild), system: fc.oneof(text, wild) }, { requiredKeys: [] }), wild),
  isWishlisted: fc.oneof(fc.boolean(), wild),
  wearCount: wild,
  imageUrl: fc.oneof(fc.webUrl(), wild),
  draftStatus: wild,
  etag: wild,
};
const word = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,15}$/);
/** Mostly-valid bodies, so the domain rules behind the schema get exercised too. */
const plausibleItem = fc.record(
  {
    id: fc.constantFrom('id-0001', 'ID-0001'),
    category: word,
    colours: fc.array(fc.record({ name: word, hex: fc.stringMatching(/^#[0-9a-f]{6}$/) }), { maxLength: 3 }),
    price: fc.oneof(fc.integer({ min: 0, max: 500 }), fc.record({ amount: fc.constantFrom(0.1, 12.345, 19.99), currency: fc.constantFrom('EUR', 'usd', 'XQZ') })),
    size: fc.oneof(word, fc.record({ waist: fc.double({ min: 20, max: 50, noNaN: true }), system: word }, { requiredKeys: [] })),
    condition: fc.constantFrom('New', 'good', 'Mint'),
    dateAdded: fc.constantFrom('2026-11-22T10:00:00.123Z', '2026-11-22', 'yesterday'),
    tags: fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  },
  { requiredKeys: [] },
);
const itemBody = fc.oneof(plausibleItem, fc.record(itemFields, { requiredKeys: [] }));
const wearBody = fc.oneof(
  fc.record({ clientEventId: fc.stringMatching(/^[a-z0-9]{1,6}$/), source: fc.constantFrom('vault_card', 'item_drawer'), occurredAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2026-11-23'), noInvalidDate: true }).map((d) => d.toISOString()), occasion: word, weatherSnapshot: fc.record({ tempCelsius: fc.integer({ min: -30, max: 45 }), conditions: word }) }, { requiredKeys: [] }),
  fc.record({ clientEventId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/), wild), occurredAt: fc.oneof(stamp, wild), stylingActivityId: fc.oneof(text, wild), weatherSnapshot: wild, delta: wild, extra: wild }, { requiredKeys: [] }),
);
// Mostly what the web app sends (so the handler is reached on most runs, not by luck), then anything.
const stylingBody = fc.oneof(
  fc.record({ itemId: fc.constantFrom('id-0001', 'id-0002', 'ghost'), clientEventId: fc.stringMatching(/^sty-[a-z0-9]{1,8}$/), source: fc.constantFrom('dashboard_toggle', 'dashboard_drag_drop') }, { requiredKeys: ['itemId'] }),
  fc.record({ itemId: fc.oneof(fc.constantFrom('id-0001', 'ghost', 'a/b', ''), wild), clientEventId: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,8}$/), wild), activityType: fc.oneof(text, wild), source: fc.oneof(text, wild), occurredAt: fc.oneof(stamp, wild) }, { requiredKeys: [] }),
);
/** Besides objects: any JSON at all, or text that is not JSON. */
const anyBody = (objects: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: objects.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );

async function world() {
  const t = setup();
  // Two items (id-0001, id-0002) for the routes that take an item id.
  const items = t.documents.repository<ClothingItemDoc>(itemsContainer);
  await items.create({ id: 'id-0001', userId: 'ann', category: 'Outerwear', tags: [], colours: [{ name: 'navy', hex: '#1f2a44' }], price: { amount: 100, originalCurrency: 'EUR' }, wearCount: 0, isWishlisted: false, dateAdded: '2026-11-01T00:00:00Z' });
  await items.create({ id: 'id-0002', userId: 'ann', category: 'Tops', tags: [], colours: [], wearCount: 0, isWishlisted: false, dateAdded: '2026-11-01T00:00:00Z' });
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all([itemsContainer, wearsContainer, stylingContainer].map(async (spec) => (await t.documents.repository(spec).query({ partitionKey: 'ann', limit: 1000 })).items)),
    );
  return { t, snapshot };
}

async function fuzz(route: string, arbitrary: fc.Arbitrary<string>, send: (t: ReturnType<typeof setup>, body: string) => { handler: HttpLambda; method: string; path: string; id?: string }) {
  const { t, snapshot } = await world();
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (body) => {
      const before = await snapshot();
      const { handler, method, path, id } = send(t, body);
      const reply = await t.call(handler, 'ann', { method, path, rawBody: body }, id);
      expect(reply.statusCode).toBeLessThan(500);
      if (reply.statusCode >= 400) {
        expect(reply.headers['content-type']).toBe('application/problem+json');
        expect(await snapshot()).toBe(before);
      } else accepted++;
    }),
    { numRuns: RUNS },
  );
  // The generators reach the handler too, not only the validator.
  expect([route, accepted > 0]).toEqual([route, true]);
}

describe('fuzzing the wardrobe routes with a body', () => {
  it(`POST /api/wardrobe (${RUNS} runs)`, async () => {
    await fuzz('create item', anyBody(itemBody), (t) => ({ handler: t.items.create, method: 'POST', path: '/api/wardrobe' }));
  });

  it(`PUT /api/wardrobe/{id} (${RUNS} runs)`, async () => {
    await fuzz('replace item', anyBody(itemBody), (t) => ({ handler: t.items.replace, method: 'PUT', path: '/api/wardrobe/id-0001', id: 'id-0001' }));
  });

  it(`PATCH /api/wardrobe/{id}/wear (${RUNS} runs)`, async () => {
    await fuzz('wear', anyBody(wearBody), (t) => ({ handler: t.items.wear, method: 'PATCH', path: '/api/wardrobe/id-0001/wear', id: 'id-0001' }));
  });

  it(`POST /api/wardrobe/styling-activity (${RUNS} runs)`, async () => {
    await fuzz('styling activity', anyBody(stylingBody), (t) => ({ handler: t.items.styling, method: 'POST', path: '/api/wardrobe/styling-activity' }));
  });

});
