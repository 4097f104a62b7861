/**
 * The discovery cache on the Cosmos DB store (embedded emulator, real SDK): a write reaches the
 * container, a new instance (a restart) answers from it and then from memory, an expired entry
 * is a miss, and the entry count reads across both partitions.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { locationCacheKey, searchCacheKey } from '../../domain/discovery/cache-keys.ts';
import { createDiscoveryCache } from '../../handlers/discovery/cache.ts';
import { discoveryCacheContainer } from '../../handlers/discovery/store.ts';
import { testClock } from '../support/jobs.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const clock = testClock(Date.parse('2026-11-22T10:00:00Z'));
const open = () => createDiscoveryCache({ documents: store, clock, maxEntries: 50 });

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `discovery-${randomUUID()}` }, clock);
  await store.ensure([discoveryCacheContainer]);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('the discovery cache on Cosmos DB', () => {
  it('answers a restarted instance from the container, then from memory', async () => {
    const key = searchCacheKey('dive bars in Austin TX', 'offline');
    const answer = { user_location: 'Austin, Texas, United States', places: [{ name: 'Backyard Junk Castle', score: 0.85 }] };
    await open().set('search', key, answer, 1800);
    const restarted = open();
    expect(await restarted.get('search', key)).toEqual({ value: answer, layer: 'cosmos' });
    expect(await restarted.get('search', key)).toEqual({ value: answer, layer: 'memory' });
  });

  it('misses an expired entry', async () => {
    const key = searchCacheKey('hidden gems in Asheville', 'offline');
    await open().set('search', key, { places: [] }, 60);
    expect((await open().get('search', key))?.layer).toBe('cosmos');
    clock.advance(60_000);
    expect(await open().get('search', key)).toBeUndefined();
  });

  it('counts live entries across both kinds', async () => {
    const cache = open();
    const before = (await cache.stats()).cosmos.entries!;
    await cache.set('location', locationCacheKey('Portland, OR'), { normalized: 'Portland, Oregon, United States', confidence: 0.9 }, 86_400);
    await cache.set('search', searchCacheKey('weird Portland', 'offline'), { places: [] }, 1800);
    expect((await cache.stats()).cosmos).toEqual({ entries: before + 2, hits: 0, misses: 0, hit_ratio: null });
  });
});
