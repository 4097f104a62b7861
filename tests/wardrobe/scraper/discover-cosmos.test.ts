/**
 * The discover feed on the Cosmos DB store (embedded emulator, real SDK, real ETags): the
 * keyset paging (a range filter on one field, ORDER BY another, in the `global` partition)
 * to the last page with filters, votes from many users at once (each lands once, through the
 * ETag retry), two users racing for one lease (exactly one wins), and the daily timer finding
 * the subscribed brand sites across every user's partition.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import { sortKeys } from '../../../domain/wardrobe/discover.ts';
import { isoSeconds } from '../../../domain/time.ts';
import { scrapedItemId, scraperContainers, type ScrapedItemDoc } from '../../../handlers/wardrobe/scraper/store.ts';
import { runsContainer } from '../../../jobs/containers.ts';
import { testClock } from '../../support/jobs.ts';
import { discoverHarness, type Reply } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const clock = testClock(Date.parse('2026-11-22T10:00:00Z'));

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `discover-${randomUUID()}` }, clock);
  // The timer's slot claims live in the platform's runs container.
  await store.ensure([...scraperContainers, runsContainer]);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('the discover feed on Cosmos DB', () => {
  it('pages the filtered feed by score and by recency to the last page; many users vote on one item at once; one of two racing users gets the lease', async () => {
    const h = discoverHarness({ documents: store });
    const now = h.clock.now().getTime();
    const docs: ScrapedItemDoc[] = Array.from({ length: 24 }, (_, index) => {
      const id = scrapedItemId('brand_site', `cosmos-${index}`);
      const scoreSignal = (index % 4) - 1;
      const scrapedAt = isoSeconds(now - (index % 3) * 30 * 3_600_000 - index * 1000);
      return {
        id, userId: 'global', sourceId: index % 2 ? 'brand-a' : 'brand-b', sourceType: 'brand_site', title: `Item ${index}`, description: null, imageUrl: null,
        productUrl: null, buyLinks: [], price: null, brand: null, tags: index % 3 === 1 ? ['shoes'] : ['tops'], galleryImages: [], commentText: null, redditScore: null,
        scoreSignal, scrapedAt, sourceCreatedAt: null, imageExpired: false, embedding: [0.5, 0.25], ...sortKeys({ id, scoreSignal, scrapedAt }),
      };
    });
    for (const doc of docs) await h.repo.items.create(doc);

    async function pages(query: string): Promise<string[]> {
      const ids: string[] = [];
      let token: string | null = null;
      do {
        const reply: Reply = await h.api.items('ann', `${query}&pageSize=4${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
        expect(reply.statusCode).toBe(200);
        for (const item of reply.json.items as Record<string, unknown>[]) {
          expect(item).not.toHaveProperty('embedding');
          ids.push(item.id as string);
        }
        token = reply.json.nextContinuationToken as string | null;
      } while (token !== null);
      return ids;
    }
    const since = isoSeconds(now - 7 * 86_400_000);
    const byScore = (a: ScrapedItemDoc, b: ScrapedItemDoc) => b.scoreSignal - a.scoreSignal || b.scrapedAt.localeCompare(a.scrapedAt) || b.id.localeCompare(a.id);
    expect(await pages('sortBy=score&tags=tops&timeRange=7d')).toEqual(docs.filter((doc) => doc.tags.includes('tops') && doc.scrapedAt >= since).sort(byScore).map((doc) => doc.id));
    expect(await pages('sortBy=recent&sourceIds=brand-a')).toEqual(
      docs.filter((doc) => doc.sourceId === 'brand-a').sort((a, b) => b.scrapedAt.localeCompare(a.scrapedAt) || b.id.localeCompare(a.id)).map((doc) => doc.id),
    );

    const target = docs[5]!;
    const voters = Array.from({ length: 6 }, (_, index) => `voter-${index}`);
    const votes = await Promise.all(voters.map((user) => h.api.feedback(user, target.id, { signal: 'up' })));
    expect(votes.map((vote) => vote.statusCode)).toEqual(voters.map(() => 200));
    expect((await h.repo.items.get(target.id, 'global'))?.scoreSignal).toBe(target.scoreSignal + 6);
    expect((await h.api.items('ann', 'pageSize=1')).json.items[0].id).toBe(target.id);

    await h.api.sources('ann');
    const racing = await Promise.all([h.api.lease('ann', 'reddit-streetwear'), h.api.lease('bob', 'reddit-streetwear')]);
    expect(racing.map((reply) => reply.statusCode).sort()).toEqual([200, 409]);

    // The daily timer finds the subscribed brand sites across every user's partition (a cross-partition query).
    for (const id of ['brand-one', 'brand-two', 'brand-unwatched']) {
      await h.repo.sources.create({
        id, userId: 'global', name: id, sourceType: 'brand_site', isGlobal: false, isActive: true, config: { listingUrls: ['https://shop.example/'] },
        lastScrapedAt: null, leaseExpiresAt: null, leaseHolder: null, createdAt: isoSeconds(now),
      });
    }
    for (const [user, id] of [['ann', 'brand-one'], ['bob', 'brand-one'], ['bob', 'brand-two'], ['cy', 'reddit-streetwear']] as const) {
      expect((await h.api.subscribe(user, id)).statusCode).toBe(201);
    }
    const queued = await h.deps.queue.count('scraper-jobs');
    await h.fire('2026-11-23T04:00:02Z');
    expect((await h.deps.queue.count('scraper-jobs')) - queued).toBe(2);
  }, 240_000);
});
