/**
 * The price refresh: the daily timer (once per slot) and the admin route fan out
 * `wardrobe.scraper-refresh` jobs, which the real job worker runs from a memory queue against
 * the local shop, at most SCRAPER_MAX_CONCURRENCY checks at once; failures are retried and
 * dead-lettered, never dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { refreshJob } from '../../../handlers/wardrobe/scraper/jobs.ts';
import type { DeadLetterRecord } from '../../../jobs/dead-letters.ts';
import type { PageFetcher } from '../../../domain/wardrobe/page-fetch.ts';
import { html, productPage, scraperHarness, startShop, status, type Shop } from './support.ts';

let shop: Shop;
const priced = (name: string, price: number | string, currency = 'EUR') => html(productPage({ name, offers: { price, priceCurrency: currency } }));

beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop.close());

/** Imports `path` (priced as given) for `user`; answers the item id. */
async function imported(t: ReturnType<typeof scraperHarness>, user: string, path: string, name: string, price: number): Promise<string> {
  shop.pages.set(path, priced(name, price));
  const reply = await t.importUrl(user, shop.url(path));
  expect(reply.statusCode).toBe(201);
  return reply.json.id as string;
}

const DAY = 86_400_000;

describe('the price refresh', () => {
  it('the daily timer fans out once per slot; a changed price is written with a history entry, an unchanged one only gets checkedAt', async () => {
    const t = scraperHarness();
    const coat = await imported(t, 'ann', '/r1/coat', 'Wool Coat', 300);
    const tee = await imported(t, 'ann', '/r1/tee', 'Plain Tee', 15);
    const boots = await imported(t, 'bob', '/r1/boots', 'Hiking Boots', 180);
    const importedAt = t.clock.now().toISOString();
    shop.pages.set('/r1/coat', priced('Wool Coat', '249.00'));
    shop.pages.set('/r1/boots', priced('Hiking Boots', 200, 'USD'));

    t.clock.advance(DAY);
    await t.fire('2026-11-23T04:00:02Z');
    await t.fire('2026-11-23T04:00:09Z'); // the same slot again: nothing more
    expect(await t.deps.queue.count(refreshJob.queue)).toBe(1);
    expect(await t.drain()).toBe(1);

    const checkedAt = t.clock.now().toISOString();
    expect(await t.repo.items.get(coat, 'ann')).toMatchObject({ price: 249, currency: 'EUR', updatedAt: checkedAt, source: { importedAt, checkedAt } });
    expect(await t.repo.items.get(tee, 'ann')).toMatchObject({ price: 15, currency: 'EUR', updatedAt: importedAt, source: { importedAt, checkedAt } });
    expect(await t.repo.items.get(boots, 'bob')).toMatchObject({ price: 200, currency: 'USD', source: { checkedAt } });

    const history = (await t.repo.history.query({ limit: 10, orderBy: { field: 'id', direction: 'asc' } })).items.map(({ etag: _etag, ...entry }) => entry);
    expect(history).toEqual([
      { id: `${coat}:20261123040000`, userId: 'ann', itemId: coat, checkedAt, previous: { price: 300, currency: 'EUR' }, price: 249, currency: 'EUR' },
      { id: `${boots}:20261123040000`, userId: 'bob', itemId: boots, checkedAt, previous: { price: 180, currency: 'EUR' }, price: 200, currency: 'USD' },
    ].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('a page that no longer states a price only records the check; a deleted item is dropped from the sources', async () => {
    const t = scraperHarness();
    const shirt = await imported(t, 'ann', '/r2/shirt', 'Linen Shirt', 60);
    const gone = await imported(t, 'ann', '/r2/gone', 'Old Scarf', 20);
    shop.pages.set('/r2/shirt', html(productPage({ name: 'Linen Shirt' })));
    await t.repo.items.delete(gone, 'ann');
    t.clock.advance(DAY);
    expect((await t.adminRefresh('ops')).json).toMatchObject({ items: 2 });
    await t.drain();
    expect(await t.repo.items.get(shirt, 'ann')).toMatchObject({ price: 60, currency: 'EUR', source: { checkedAt: t.clock.now().toISOString() } });
    expect(await t.repo.sources.get(gone, 'ann')).toBeUndefined();
    expect(await t.repo.sources.get(shirt, 'ann')).toBeDefined();
    expect((await t.repo.history.query({ limit: 10 })).items).toEqual([]);
  });

  it("writes against the item as it is when written (ETag-guarded): a user's edit during the check is kept", async () => {
    const during: { edit?: () => Promise<void> } = {};
    const t = scraperHarness({
      fetcher: (real): PageFetcher => ({
        fetchPage: async (url, signal) => {
          const page = await real.fetchPage(url, signal);
          await during.edit?.();
          return page;
        },
      }),
    });
    const jacket = await imported(t, 'ann', '/r3/jacket', 'Rain Jacket', 120);
    shop.pages.set('/r3/jacket', priced('Rain Jacket', 99));
    during.edit = async () => {
      const current = (await t.repo.items.get(jacket, 'ann'))!;
      await t.repo.items.replace({ ...current, name: 'My rain jacket', status: 'active' }, current.etag);
    };
    await t.adminRefresh('ops', 'userId=ann');
    await t.drain();
    expect(await t.repo.items.get(jacket, 'ann')).toMatchObject({ name: 'My rain jacket', status: 'active', price: 99 });
  });

  it('checks at most SCRAPER_MAX_CONCURRENCY items at once, a page of 25 items per job', async () => {
    const flight = { now: 0, max: 0, checks: 0 };
    const t = scraperHarness({
      maxConcurrency: 3,
      fetcher: (real): PageFetcher => ({
        fetchPage: async (url, signal) => {
          flight.max = Math.max(flight.max, ++flight.now);
          try {
            await new Promise((resolve) => setTimeout(resolve, 2));
            return await real.fetchPage(url, signal);
          } finally {
            flight.now--;
            flight.checks++;
          }
        },
      }),
    });
    for (let n = 0; n < 30; n++) await imported(t, `user-${n % 4}`, `/r4/${n}`, `Sock ${n}`, 5);
    flight.checks = 0;
    flight.max = 0;
    const started = await t.adminRefresh('ops');
    expect(started).toMatchObject({ statusCode: 202, json: { runId: 'admin-run-1', items: 30, jobs: [expect.any(String), expect.any(String)] } });
    await t.drain();
    expect([flight.checks, flight.max]).toEqual([30, 3]);
  });

  it('a failing item is split off, retried and dead-lettered (transient) or dead-lettered at once (permanent); the others are checked', async () => {
    const t = scraperHarness();
    const ok = await imported(t, 'ann', '/r5/ok', 'Denim Jacket', 90);
    const down = await imported(t, 'ann', '/r5/down', 'Canvas Tote', 40);
    const removed = await imported(t, 'ann', '/r5/removed', 'Leather Belt', 35);
    shop.pages.set('/r5/ok', priced('Denim Jacket', 85));
    shop.pages.set('/r5/down', status(503));
    shop.pages.set('/r5/removed', status(410));
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await t.adminRefresh('ops', '', { traceparent });
    for (let round = 0; round < 5; round++) {
      await t.drain();
      t.clock.advance(120_000);
    }
    expect(await t.repo.items.get(ok, 'ann')).toMatchObject({ price: 85 });
    const letters = (await t.runtime.deadLetters.list({ limit: 10, type: refreshJob.type })).items as DeadLetterRecord[];
    const byItem = new Map(letters.map((letter) => [(letter.envelope?.payload as { items: { itemId: string }[] }).items[0]!.itemId, letter]));
    expect([...byItem.keys()].sort()).toEqual([down, removed].sort());
    expect(byItem.get(down)).toMatchObject({ reason: 'max_attempts', attempts: 3 });
    expect(byItem.get(down)!.lastError).toContain('fetch_failed: The site answered 503.');
    expect(byItem.get(removed)).toMatchObject({ reason: 'permanent_failure', attempts: 1 });
    expect(byItem.get(removed)!.lastError).toContain('The site answered 410.');
    // The split-off jobs keep the admin request's trace.
    expect(letters.map((letter) => letter.envelope?.traceparent)).toEqual([traceparent, traceparent]);
    // The failed items keep their imported price and their import's check.
    expect(await t.repo.items.get(down, 'ann')).toMatchObject({ price: 40 });
  });

  it('the admin route is admin-only and takes only userId', async () => {
    const t = scraperHarness();
    expect((await t.adminRefresh(undefined)).statusCode).toBe(401);
    expect((await t.adminRefresh('ann')).statusCode).toBe(403);
    expect((await t.adminRefresh('ops', 'other=1')).statusCode).toBe(400);
    expect(await t.adminRefresh('ops', 'userId=nobody')).toMatchObject({ statusCode: 202, json: { runId: 'admin-run-1', items: 0, jobs: [] } });
  });
});
