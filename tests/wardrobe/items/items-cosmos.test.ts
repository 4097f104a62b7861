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
import { comparableInsights, datasetWears, EXPECTED_VAULT, WARDROBE_DATASET } from '../../support/wardrobe-dataset.ts';
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
  it('pages by name with continuation tokens, filters, and never mixes users', async () => {
    const t = setup({ store, clock });
    for (const name of ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo', 'Foxtrot', 'Golf']) await t.as('cosmos-ann').createItem({ name, category: name === 'Golf' ? 'shoes' : 'tops' });
    await t.as('cosmos-bob').createItem({ name: 'Bob', category: 'tops' });
    const names: string[] = [];
    let query = 'limit=3&sort=name&category=tops';
    for (;;) {
      const page = await t.as('cosmos-ann').listItems(query);
      expect(page.statusCode).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(3);
      names.push(...page.json.items.map((item: { name: string }) => item.name));
      if (!page.json.continuation) break;
      query = `limit=3&sort=name&category=tops&continuation=${encodeURIComponent(page.json.continuation)}`;
    }
    expect(names).toEqual(['Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'alpha']);
    const forged = await t.as('cosmos-ann').listItems(`limit=3&sort=-name&continuation=${encodeURIComponent((await t.as('cosmos-ann').listItems('limit=1&sort=name')).json.continuation)}`);
    expect(forged.json.code).toBe('invalid_continuation');
  });

  it('retries on 412: concurrent patches and wears all land, exactly; a stale If-Match is 412', async () => {
    const t = setup({ store, clock });
    const ann = t.as('cosmos-cy');
    const item = (await ann.createItem({ name: 'Coat', category: 'outerwear' })).json;
    await t.seedImage('cosmos-cy', 'img-1');
    const patches = await Promise.all([ann.patchItem(item.id, { brand: 'Acme' }), ann.patchItem(item.id, { tags: ['warm'] }), ann.patchItem(item.id, { imageId: 'img-1' })]);
    expect(patches.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const wears = await Promise.all(['a', 'b', 'c', 'a', 'b', 'c'].map((wearId, i) => ann.wear(item.id, { wearId, wornAt: `2026-11-0${1 + (i % 3)}T12:00:00Z` })));
    expect(wears.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(wears[3]!.json).toEqual(wears[0]!.json);
    const after = await ann.getItem(item.id);
    expect(after.json).toMatchObject({ brand: 'Acme', tags: ['warm'], imageId: 'img-1', wearCount: 3, lastWornAt: '2026-11-03T12:00:00.000Z' });
    expect((await ann.patchItem(item.id, { name: 'Stale' }, { 'if-match': item.etag })).statusCode).toBe(412);
    expect((await ann.patchItem(item.id, { name: 'Fresh' }, { 'if-match': after.headers.etag! })).json.name).toBe('Fresh');
    expect((await ann.deleteItem(item.id)).statusCode).toBe(204);
    expect((await ann.getItem(item.id)).statusCode).toBe(404);
  });

  it('gives the dataset its exact insights', async () => {
    const t = setup({ store, clock });
    const ids = new Map<string, string>();
    for (const item of WARDROBE_DATASET) ids.set(item.key, (await t.as('cosmos-dee').createItem(item.body)).json.id);
    for (const wear of datasetWears(clock.now())) await t.as('cosmos-dee').wear(ids.get(wear.key)!, { wearId: wear.wearId, wornAt: wear.wornAt });
    expect(comparableInsights((await t.as('cosmos-dee').insights()).json)).toEqual(EXPECTED_VAULT);
  });
});
