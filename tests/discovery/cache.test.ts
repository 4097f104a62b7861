/** The discovery cache: an LRU in front of the document store, on the in-memory store and a controllable clock. */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { locationCacheKey, searchCacheKey } from '../../domain/discovery/cache-keys.ts';
import type { DocumentStore } from '../../domain/ports.ts';
import { COSMOS_COUNT_CAP, createDiscoveryCache } from '../../handlers/discovery/cache.ts';
import { DISCOVERY_METRIC } from '../../handlers/discovery/metrics.ts';
import { discoveryCacheContainer } from '../../handlers/discovery/store.ts';
import { testClock } from '../support/jobs.ts';
import { switchable } from '../support/switchable-store.ts';

const KEY = searchCacheKey('hidden gems in Pikeville KY', 'offline');
const ANSWER = { user_intent: 'hidden gems', places: [{ name: 'Big Sandy Record Exchange', score: 0.65 }], debug: { cache: null } };

function setup(options: { maxEntries?: number; store?: DocumentStore } = {}) {
  const clock = testClock();
  const documents = options.store ?? new MemoryDocumentStore(clock);
  const warnings: string[] = [];
  const metrics = new MemoryMetrics(clock);
  const open = () => createDiscoveryCache({ documents, clock, maxEntries: options.maxEntries ?? 100, metrics, log: { warn: (_obj, msg) => void warnings.push(msg) } });
  return { clock, documents, warnings, metrics, cache: open(), open };
}

describe('the discovery cache', () => {
  it('misses when nothing is cached, in both layers', async () => {
    const { cache } = setup();
    expect(await cache.get('search', KEY)).toBeUndefined();
    expect(await cache.stats()).toEqual({
      memory: { entries: 0, hits: 0, misses: 1, hit_ratio: 0 },
      cosmos: { entries: 0, hits: 0, misses: 1, hit_ratio: 0 },
    });
  });

  it('answers from memory after a write, with a copy the caller may change', async () => {
    const { cache } = setup();
    await cache.set('search', KEY, ANSWER, 1800);
    const hit = await cache.get<typeof ANSWER>('search', KEY);
    expect(hit).toEqual({ value: ANSWER, layer: 'memory' });
    hit!.value.places[0]!.name = 'changed';
    expect((await cache.get('search', KEY))?.value).toEqual(ANSWER);
  });

  it('stores a document named by the SHA-256 of the key, in the kind\'s partition, expiring after the TTL', async () => {
    const { cache, documents, clock } = setup();
    await cache.set('search', KEY, ANSWER, 1800);
    const id = createHash('sha256').update(KEY).digest('hex');
    const stored = await documents.repository(discoveryCacheContainer).get(id, 'search');
    expect(stored).toMatchObject({ id, kind: 'search', key: KEY, value: ANSWER, expiresAt: clock.now().getTime() + 1_800_000 });
  });

  it('after a restart answers from the store, then from memory again', async () => {
    const { cache, open } = setup();
    await cache.set('search', KEY, ANSWER, 1800);
    const restarted = open();
    expect(await restarted.get('search', KEY)).toEqual({ value: ANSWER, layer: 'cosmos' });
    expect(await restarted.get('search', KEY)).toEqual({ value: ANSWER, layer: 'memory' });
  });

  it('keeps searches and locations apart, even under the same key', async () => {
    const { cache, open } = setup();
    const key = locationCacheKey('Pikeville KY');
    await cache.set('location', key, { normalized: 'Pikeville, Kentucky, United States' }, 86_400);
    expect(await cache.get('search', key)).toBeUndefined();
    expect(await open().get('search', key)).toBeUndefined();
    expect((await open().get('location', key))?.layer).toBe('cosmos');
  });

  it('expires an entry in both layers when its TTL is over', async () => {
    const { cache, open, clock } = setup();
    await cache.set('search', KEY, ANSWER, 60);
    clock.advance(59_999);
    expect((await cache.get('search', KEY))?.layer).toBe('memory');
    expect((await open().get('search', KEY))?.layer).toBe('cosmos');
    clock.advance(1);
    expect(await cache.get('search', KEY)).toBeUndefined();
    expect(await open().get('search', KEY)).toBeUndefined();
  });

  it('keeps a store hit in memory only for what is left of its life', async () => {
    const { cache, open, clock } = setup();
    await cache.set('search', KEY, ANSWER, 60);
    clock.advance(30_000);
    const restarted = open();
    expect((await restarted.get('search', KEY))?.layer).toBe('cosmos');
    clock.advance(29_999);
    expect((await restarted.get('search', KEY))?.layer).toBe('memory');
    clock.advance(1);
    expect(await restarted.get('search', KEY)).toBeUndefined();
  });

  it('evicts the least recently used entry from memory past maxEntries; the store still has it', async () => {
    const { cache } = setup({ maxEntries: 2 });
    const keys = ['a', 'b', 'c'].map((place) => searchCacheKey(`dive bars in ${place}`, 'offline'));
    for (const [index, key] of keys.entries()) await cache.set('search', key, { index }, 1800);
    expect((await cache.stats()).memory.entries).toBe(2);
    expect(await cache.get('search', keys[0]!)).toEqual({ value: { index: 0 }, layer: 'cosmos' });
    expect(await cache.get('search', keys[0]!)).toEqual({ value: { index: 0 }, layer: 'memory' });
    // keys[1] was the least recently used when keys[0] came back.
    expect((await cache.get('search', keys[1]!))?.layer).toBe('cosmos');
  });

  it('never fails a search when the store is down: a read is a miss, a write is skipped; the outage is logged once, and its end', async () => {
    const { store, state } = switchable(new MemoryDocumentStore(testClock()));
    const { cache, open, warnings } = setup({ store });
    state.down = true;
    await expect(cache.set('search', KEY, ANSWER, 1800)).resolves.toBeUndefined();
    expect((await cache.get('search', KEY))?.layer).toBe('memory');
    await expect(cache.get('search', searchCacheKey('something else', 'offline'))).resolves.toBeUndefined();
    expect(await open().get('search', KEY)).toBeUndefined();
    const stats = await cache.stats();
    expect(stats.cosmos).toEqual({ entries: null, hits: 0, misses: 1, hit_ratio: 0 });
    // One line for the outage of `cache` (the write, the read and the count failed), one for the other instance's.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/could not be written; cached in memory only; further store failures are not logged/);
    state.down = false;
    await cache.get('search', searchCacheKey('a third question', 'offline'));
    expect(warnings.at(-1)).toBe('discovery cache: the store answers again');
    // The write made while the store was down never reached it.
    expect(await open().get('search', KEY)).toBeUndefined();
  });

  it('caches nothing without a positive TTL or a JSON value, and does not throw', async () => {
    const { cache, warnings } = setup();
    await cache.set('search', 'zero', ANSWER, 0);
    await cache.set('search', 'negative', ANSWER, -5);
    await cache.set('search', 'infinite', ANSWER, Number.POSITIVE_INFINITY);
    await cache.set('search', 'bigint', { n: 1n }, 60);
    await cache.set('search', 'undefined', undefined, 60);
    for (const key of ['zero', 'negative', 'infinite', 'bigint', 'undefined']) expect(await cache.get('search', key)).toBeUndefined();
    expect(warnings).toHaveLength(5);
    expect((await cache.stats()).cosmos.entries).toBe(0);
  });

  it('counts hits and misses per layer, with ratios, and entries of each layer', async () => {
    const { cache, open } = setup();
    const before = await cache.stats();
    expect(before.memory.hit_ratio).toBeNull();
    expect(before.cosmos.hit_ratio).toBeNull();

    await cache.set('search', KEY, ANSWER, 1800);
    await cache.set('location', locationCacheKey('Austin'), { normalized: 'Austin, Texas, United States' }, 86_400);
    await cache.get('search', KEY); // memory hit
    await cache.get('search', KEY); // memory hit
    await cache.get('search', 'absent'); // memory miss, store miss
    const restarted = open();
    await restarted.get('search', KEY); // memory miss, store hit
    await restarted.get('search', 'absent'); // memory miss, store miss
    await restarted.get('search', 'absent'); // memory miss, store miss

    expect(await cache.stats()).toEqual({
      memory: { entries: 2, hits: 2, misses: 1, hit_ratio: 0.667 },
      cosmos: { entries: 2, hits: 0, misses: 1, hit_ratio: 0 },
    });
    expect(await restarted.stats()).toEqual({
      memory: { entries: 1, hits: 0, misses: 3, hit_ratio: 0 },
      cosmos: { entries: 2, hits: 1, misses: 2, hit_ratio: 0.333 },
    });
  });

  it('does not count expired entries', async () => {
    const { cache, clock } = setup();
    await cache.set('search', KEY, ANSWER, 60);
    await cache.set('search', 'longer', ANSWER, 120);
    clock.advance(90_000);
    expect(await cache.stats()).toMatchObject({ memory: { entries: 1 }, cosmos: { entries: 1 } });
  });

  it('stops counting the store at the cap', async () => {
    const { cache, documents, clock } = setup();
    const repository = documents.repository(discoveryCacheContainer);
    const expiresAt = clock.now().getTime() + 60_000;
    for (let index = 0; index < COSMOS_COUNT_CAP + 5; index++) await repository.upsert({ id: `doc-${index}`, kind: 'search', key: `k${index}`, value: index, expiresAt });
    expect((await cache.stats()).cosmos.entries).toBe(COSMOS_COUNT_CAP);
  });

  it('records each lookup as a metric by layer and result', async () => {
    const { cache, metrics } = setup();
    await cache.set('search', KEY, ANSWER, 1800);
    await cache.get('search', KEY);
    await cache.get('search', 'absent');
    const counter = (await metrics.snapshot()).counters.find((view) => view.name === DISCOVERY_METRIC.cacheLookups);
    expect(counter?.points).toEqual(
      expect.arrayContaining([
        { attributes: { kind: 'search', layer: 'memory', result: 'hit' }, value: 1 },
        { attributes: { kind: 'search', layer: 'memory', result: 'miss' }, value: 1 },
        { attributes: { kind: 'search', layer: 'cosmos', result: 'miss' }, value: 1 },
      ]),
    );
    expect(counter?.points).toHaveLength(3);
  });

  it('refuses a memory layer of no entries', () => {
    expect(() => createDiscoveryCache({ documents: new MemoryDocumentStore(), clock: testClock(), maxEntries: 0 })).toThrow(TypeError);
  });
});
