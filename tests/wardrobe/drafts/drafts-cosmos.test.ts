/**
 * Drafts on the Cosmos DB store (embedded emulator, real SDK): the list's filter and order on
 * `draftCreatedAt` (finalised items left out), its continuation tokens, accept and retry on real
 * ETags, and the stuck timer's cross-partition query.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import { runsContainer } from '../../../jobs/containers.ts';
import { DRAFT_ERRORS } from '../../../handlers/wardrobe/drafts/service.ts';
import { itemsContainers } from '../../../handlers/wardrobe/items/store.ts';
import { draftsHarness, png } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
}, 300_000);

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('drafts on Cosmos DB', () => {
  it('lists drafts newest first in pages, leaves accepted items out, and the timer fails stuck drafts across users', async () => {
    // The store reads the harness's clock (for expiry), made below: one clock for both.
    store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `drafts-${randomUUID()}` }, { now: () => t.clock.now() });
    await store.ensure([...itemsContainers, runsContainer]);
    const t = draftsHarness({ documents: store });
    const red = await png(20, 20, { r: 200, g: 30, b: 40 });

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await t.uploadImage('cosmos-ann', red)).json!.id as string);
      t.clock.advance(1_000);
    }
    await t.drain();
    expect((await t.accept('cosmos-ann', ids[0]!)).statusCode).toBe(200);
    const late = (await t.uploadImage('cosmos-ann', red)).json!.id as string;
    const bobs = (await t.uploadImage('cosmos-bob', red)).json!.id as string;

    const seen: string[] = [];
    let query = 'pageSize=2';
    for (;;) {
      const page = await t.list('cosmos-ann', query);
      expect(page.statusCode).toBe(200);
      seen.push(...(page.json!.items as { id: string }[]).map((item) => item.id));
      const next = page.json!.nextContinuationToken as string | undefined;
      if (!next) break;
      query = `pageSize=2&continuationToken=${encodeURIComponent(next)}`;
    }
    // The accepted one is an item now; Bob's draft is Bob's.
    expect(seen).toEqual([late, ids[2], ids[1]]);

    t.clock.advance(121 * 60_000);
    await t.fireTimer();
    expect(await t.stored('cosmos-ann', late)).toMatchObject({ draftStatus: 'Failed', draftError: DRAFT_ERRORS.stuck });
    expect(await t.stored('cosmos-bob', bobs)).toMatchObject({ draftStatus: 'Failed', draftError: DRAFT_ERRORS.stuck });
    expect((await t.stored('cosmos-ann', ids[1]!))?.draftStatus).toBe('Ready');
    expect((await t.stored('cosmos-ann', ids[0]!))?.draftStatus).toBeUndefined();

    const retried = await t.retry('cosmos-bob', bobs);
    expect([retried.statusCode, retried.json?.draftStatus]).toEqual([202, 'Processing']);
    expect((await t.retry('cosmos-ann', bobs)).statusCode).toBe(404);
    await t.drain();
    expect((await t.stored('cosmos-bob', bobs))?.draftStatus).toBe('Ready');
  });
});
