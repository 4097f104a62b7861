/**
 * Whatever a client sends to the collections, profile, user and stylist routes (any JSON, any
 * text, any id), the answer is never a 5xx, and every error is problem+json.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import { OfflineLanguageModel } from '../../../adapters/ai/offline-model.ts';
import { testClock } from '../../support/jobs.ts';
import { wardrobeApp } from './support.ts';

const ROUTES = [
  { name: 'collections-create', method: 'POST' },
  { name: 'collections-update', method: 'PUT' },
  { name: 'collections-get', method: 'GET' },
  { name: 'collections-delete', method: 'DELETE' },
  { name: 'collections-join', method: 'POST' },
  { name: 'collections-leave', method: 'DELETE' },
  { name: 'collections-add-item', method: 'POST' },
  { name: 'collections-remove-item', method: 'DELETE' },
  { name: 'collections-list', method: 'GET' },
  { name: 'profile-put', method: 'PUT' },
  { name: 'profile-get', method: 'GET' },
  { name: 'profile-user-me', method: 'GET' },
  { name: 'stylist-recommendations', method: 'POST' },
] as const;

describe('collections, profile, user and stylist under fuzzed input', () => {
  it('never answer 5xx, and every refusal is problem+json', async () => {
    const t = wardrobeApp(new MemoryDocumentStore(testClock()), { model: new OfflineLanguageModel() });
    await t.seedItem('ann', { id: 'shirt', category: 'tops', brand: 'COS', colours: [{ name: 'navy', hex: '#1f2a44' }] });
    const existing = (await t.request('collections-create', { method: 'POST', path: '/api/collections', as: 'ann', body: { name: 'Mine', isPublic: true } })).json!.id as string;
    const body = fc.oneof(
      fc.json().map((text) => ({ rawBody: text })),
      fc.anything().map((value) => ({ body: value })),
      fc.record({ name: fc.anything(), description: fc.anything(), isPublic: fc.anything(), clothingItemIds: fc.anything(), itemId: fc.anything(), currencyCode: fc.anything(), heightCm: fc.anything(), pageSize: fc.anything() }, { requiredKeys: [] }).map((value) => ({ body: value })),
      fc.string().map((text) => ({ rawBody: text })),
    );
    const id = fc.oneof(fc.constant(existing), fc.string({ minLength: 0, maxLength: 40 }), fc.constant('shirt'));
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, id, id, fc.constantFrom('ann', 'bob'), fc.string({ maxLength: 30 }), async (route, input, pathId, itemId, user, query) => {
        const reply = await t.request(route.name, {
          method: route.method,
          path: `/api/fuzz/${encodeURIComponent(pathId)}`,
          as: user,
          ...input,
          ...('body' in input && input.body === undefined ? { rawBody: 'null' } : {}),
          query,
          pathParameters: { id: pathId, itemId },
        });
        seen.add(Math.floor(reply.statusCode / 100));
        expect(reply.statusCode).toBeLessThan(500);
        if (reply.statusCode >= 400) expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 400 },
    );
    // The inputs reach the handlers too, not only the validation in front of them.
    expect([...seen].sort()).toEqual([2, 4]);
  });
});
