/**
 * The items routes on the Cosmos DB store (embedded emulator, real SDK, real ETags and
 * continuation tokens): paging with the SDK's continuation, the ETag retry under concurrent
 * writers, If-Match, and exactly-once wears.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import { itemsContainers } from '../../../handlers/wardrobe/items/store.ts';
import { mediaContainers } from '../../../handlers/wardrobe/media/store.ts';
import { testClock } from '../../support/jobs.ts';
import { setup } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const clock = testClock(Date.parse('2026-11-22T10:00:00Z'));

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `wardrobe-${randomUUID()}` }, clock);
  await store.ensure([...itemsContainers, ...mediaContainers]);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('wardrobe items on Cosmos DB', () => {
  it('pages the list to its last page, filters, binds tokens to their query, and never mixes users', async () => {
    const t = setup({ store, clock });
    for (const category of ['tops', 'Tops', 'shoes', 'tops', 'TOPS', 'tops', 'tops']) expect((await t.as('cosmos-ann').post({ category })).statusCode).toBe(201);
    await t.as('cosmos-bob').post({ category: 'tops' });
    const seen: string[] = [];
    let query = 'pageSize=2&category=tops&sortDir=asc';
    for (;;) {
      const page = await t.as('cosmos-ann').list(query);
      expect(page.statusCode).toBe(200);
      seen.push(...page.json.items.map((item: { id: string; userId: string }) => item.userId));
      if (!page.json.nextContinuationToken) break;
      query = `pageSize=2&category=tops&sortDir=asc&continuationToken=${encodeURIComponent(page.json.nextContinuationToken)}`;
    }
    expect(seen).toEqual(Array(6).fill('cosmos-ann'));
    const token = (await t.as('cosmos-ann').list('pageSize=1')).json.nextContinuationToken as string;
    expect((await t.as('cosmos-ann').list(`pageSize=1&brand=x&continuationToken=${encodeURIComponent(token)}`)).json.code).toBe('invalid_continuation');
  });

  it('counts concurrent wears exactly once per clientEventId on real ETags; a stale If-Match is 412', async () => {
    const t = setup({ store, clock });
    const ann = t.as('cosmos-cy');
    const item = await ann.post({ category: 'outerwear' });
    const id = item.json.id as string;
    const wears = await Promise.all(['a', 'b', 'c', 'a', 'b', 'c'].map((key, i) => ann.wearItem(id, { clientEventId: key, occurredAt: `2026-11-0${1 + (i % 3)}T12:00:00Z` })));
    expect(wears.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const after = await ann.get(id);
    expect(after.json).toMatchObject({ wearCount: 3, lastWornAt: '2026-11-03T12:00:00Z' });
    expect(after.json.wearEvents).toHaveLength(3);
    expect((await ann.history(id)).json.summary).toEqual({ totalInRange: 3, trackedFrom: '2026-11-01T12:00:00Z', legacyUntrackedCount: 0 });
    expect((await ann.put(id, { category: 'stale' }, { 'if-match': item.headers.etag! })).statusCode).toBe(412);
    expect((await ann.put(id, { category: 'fresh' }, { 'if-match': after.headers.etag! })).statusCode).toBe(204);
    expect((await ann.del(id)).statusCode).toBe(204);
    expect((await ann.get(id)).statusCode).toBe(404);
  });
});
