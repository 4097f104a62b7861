/**
 * Property, on every items and wear route with a body: whatever JSON (or
 * non-JSON) arrives, the answer is never a 5xx, every refusal is problem+json, and a refused
 * request leaves the store exactly as it was.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { HttpLambda } from '../../../kernel/functions.ts';
import { itemsContainer, wearsContainer } from '../../../handlers/wardrobe/items/store.ts';
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
const colours = fc.oneof(fc.array(fc.record({ name: text, hex }, { requiredKeys: [] }), { maxLength: 14 }), wild);
const itemFields = {
  name: fc.oneof(text, wild),
  category: fc.oneof(text, wild),
  status: fc.oneof(fc.constantFrom('active', 'draft'), wild),
  colours,
  brand: fc.oneof(text, wild),
  price: fc.oneof(fc.double({ min: -10, max: 2e9, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0.1, 12.345, 19.99), wild),
  currency: fc.oneof(text, wild),
  imageId: fc.oneof(text, wild),
  imageUrl: fc.oneof(fc.webUrl(), fc.constantFrom('ftp://x.example/a', 'https://', 'javascript:alert(1)'), wild),
  tags: fc.oneof(fc.array(text, { maxLength: 25 }), wild),
  purchaseDate: fc.oneof(date, wild),
  id: wild,
  wearCount: wild,
  etag: wild,
  ttl: wild,
};
const word = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,15}$/);
/** Mostly-valid bodies, so the domain rules behind the schema get exercised too. */
const plausibleItem = fc.record(
  {
    name: word,
    category: word,
    colours: fc.array(fc.record({ name: word, hex: fc.stringMatching(/^#[0-9a-f]{6}$/) }), { maxLength: 3 }),
    price: fc.oneof(fc.integer({ min: 0, max: 500 }), fc.constantFrom(0.1, 12.345, 19.99)),
    currency: fc.constantFrom('EUR', 'usd', 'JPY', 'KWD', 'XQZ'),
    tags: fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
    purchaseDate: fc.constantFrom('2026-11-22', '2026-11-24', '2025-02-29', '2024-02-29'),
    status: fc.constantFrom('active', 'draft'),
  },
  { requiredKeys: ['name', 'category'] },
);
const itemBody = fc.oneof(plausibleItem, fc.record(itemFields, { requiredKeys: [] }));
const wearBody = fc.record({ wearId: fc.stringMatching(/^[a-z0-9]{1,6}$/), wornAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2026-11-23'), noInvalidDate: true }).map((d) => d.toISOString()) }, { requiredKeys: ['wearId'] }).chain((valid) => fc.oneof(fc.constant<Record<string, unknown>>(valid), fc.record({ wearId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/), wild), wornAt: fc.oneof(stamp, wild), extra: wild }, { requiredKeys: [] })));
/** Besides objects: any JSON at all, or text that is not JSON. */
const anyBody = (objects: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: objects.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );

async function world() {
  const t = setup();
  await t.as('ann').createItem({ name: 'Coat', category: 'outerwear', colours: [{ name: 'navy', hex: '#1f2a44' }], price: 100, currency: 'EUR' });
  await t.as('ann').createItem({ name: 'Shirt', category: 'tops' });
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all([itemsContainer, wearsContainer].map(async (spec) => (await t.documents.repository(spec).query({ partitionKey: 'ann', limit: 1000 })).items)),
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
  it(`POST /api/wardrobe/items (${RUNS} runs)`, async () => {
    await fuzz('create item', anyBody(itemBody), (t) => ({ handler: t.items.create, method: 'POST', path: '/api/wardrobe/items' }));
  });

  it(`PATCH /api/wardrobe/items/{id} (${RUNS} runs)`, async () => {
    await fuzz('patch item', anyBody(itemBody), (t) => ({ handler: t.items.update, method: 'PATCH', path: '/api/wardrobe/items/id-0001', id: 'id-0001' }));
  });

  it(`POST /api/wardrobe/items/{id}/wear (${RUNS} runs)`, async () => {
    await fuzz('wear', anyBody(wearBody), (t) => ({ handler: t.items.wear, method: 'POST', path: '/api/wardrobe/items/id-0001/wear', id: 'id-0001' }));
  });
});
