/**
 * The digest and vault insights routes on the Cosmos DB store (embedded emulator, real SDK): the
 * newest digest by generatedAt, feedback upserts overwriting per suggestion, votes ordered by
 * index, and the insights over stored items with their ETag.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import { digestContainers } from '../../../handlers/wardrobe/digest/store.ts';
import { itemsContainers } from '../../../handlers/wardrobe/items/store.ts';
import { profileContainers, readProfile } from '../../../handlers/wardrobe/profile/store.ts';
import { testClock } from '../../support/jobs.ts';
import { EXPECTED_VAULT, NOW, VAULT_DRAFT, VAULT_ITEMS } from '../insights/dataset.ts';
import { ANN_ITEMS, MONDAY } from './items.ts';
import { expectedEtag, routesHarness } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const clock = testClock(MONDAY.getTime());

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `digest-${randomUUID()}` }, clock);
  await store.ensure([...itemsContainers, ...digestContainers, ...profileContainers]);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('the digest and vault insights on Cosmos DB', () => {
  it('builds, skips, rebuilds and answers the newest digest; votes overwrite per suggestion', async () => {
    const t = routesHarness({ store, clock });
    const ann = t.as('cosmos-ann');
    await t.seed(ANN_ITEMS.map((entry) => ({ ...entry, userId: 'cosmos-ann' })));
    const first = (await ann.run()).json.digest;
    expect(first).toMatchObject({ id: 'cosmos-ann-43e35ac265e5bdd9', totalItems: 5, suggestions: { length: 4 } });
    clock.advance(60_000);
    expect((await ann.run()).json).toEqual({ status: 'skipped', reason: 'wardrobe_unchanged' });
    await t.seed([{ ...ANN_ITEMS[0]!, userId: 'cosmos-ann', wearCount: 5 }]);
    expect((await ann.run()).json.digest.id).toBe('cosmos-ann-38efeacc7d1ef918');
    expect((await readProfile(store, 'cosmos-ann')).wardrobeHashAtLastDigest).toBe('38efeacc7d1ef918');
    const latest = await ann.latest();
    expect(latest.json.digest).toMatchObject({ id: 'cosmos-ann-38efeacc7d1ef918', generatedAt: '2026-11-23T06:01:00Z' });
    // No Cosmos system fields reach the client.
    expect(Object.keys(latest.json.digest).sort()).toEqual(['generatedAt', 'id', 'itemsWithWearHistory', 'stylesConsidered', 'suggestions', 'totalItems', 'userId', 'wardrobeHash']);
    expect(latest.headers.etag).toBe(expectedEtag(latest.json));
    expect((await ann.latest({ 'if-none-match': latest.headers.etag! })).statusCode).toBe(304);

    const digestId = latest.json.digest.id as string;
    for (const vote of [{ suggestionIndex: 3, signal: 'up' }, { suggestionIndex: 1, signal: 'up' }, { suggestionIndex: 3, signal: 'down' }]) {
      expect((await ann.vote({ digestId, suggestionDescription: 'x', ...vote })).json).toEqual({ status: 'ok' });
    }
    expect((await ann.feedback(`digestId=${digestId}`)).json).toEqual({ feedback: [{ suggestionIndex: 1, signal: 'up' }, { suggestionIndex: 3, signal: 'down' }] });
    expect((await t.as('cosmos-bob').vote({ digestId, suggestionIndex: 0, signal: 'up' })).statusCode).toBe(404);
  });

  it('answers the exact vault insights over the stored items', async () => {
    const t = routesHarness({ store, clock });
    clock.set(NOW.getTime());
    await t.seed([...VAULT_ITEMS('cosmos-dee'), VAULT_DRAFT('cosmos-dee')]);
    const reply = await t.as('cosmos-dee').insights();
    expect(reply.json).toEqual(EXPECTED_VAULT);
    expect(reply.headers.etag).toBe(expectedEtag(EXPECTED_VAULT));
  });
});
