/**
 * The scraper through the composition root: `bind` builds the import and refresh routes, the
 * daily timer and the refresh job from their table entries on memory ports, and the page fetcher
 * port is built with the SCRAPER_* settings (`deps.pageFetcher(deps.settings.scraper.fetch)`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { itemsContainer, type WardrobeItemDoc } from '../../../handlers/wardrobe/items/store.ts';
import { refreshJob } from '../../../handlers/wardrobe/scraper/jobs.ts';
import type { HttpLambda, QueueLambda, TimerLambda } from '../../../kernel/functions.ts';
import type { Env } from '../../../kernel/env.ts';
import { testApp } from '../../support/app.ts';
import { context, pump } from '../../support/jobs.ts';
import { lambdaContext } from '../../support/platform.ts';
import { call, html, platform, productPage, startShop, type Shop } from './support.ts';

let shop: Shop;
const priced = (name: string, price: number) => html(productPage({ name, offers: { price, priceCurrency: 'EUR' } }));

beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop.close());

function scraperApp(env: Env) {
  const t = testApp({ services: [wardrobe], env, ports: { platform } });
  const importUrl = async (user: string, url: string) =>
    call(await t.handler<HttpLambda>('wardrobe-scraper-import'), { method: 'POST', path: '/api/scraper/import', user, body: JSON.stringify({ url }) });
  return { ...t, importUrl };
}

const firing = (time: string) =>
  ({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } }) as ScheduledEvent;

describe('the scraper through the composition root', () => {
  it('the page fetcher port keeps the default policy: without SCRAPER_ALLOW_LOOPBACK the local shop is refused', async () => {
    shop.pages.set('/app/refused', priced('Wool Scarf', 30));
    const reply = await scraperApp({}).importUrl('ann', shop.url('/app/refused'));
    expect(reply).toMatchObject({ statusCode: 400, json: { code: 'url_not_allowed' } });
    expect(shop.requests).not.toContain('/app/refused');
  });

  it('imports through the bound route; the bound timer and the bound worker refresh the price; the bound admin route starts a run', async () => {
    const t = scraperApp({ SCRAPER_ALLOW_LOOPBACK: 'true' });
    shop.pages.set('/app/coat', priced('Wool Coat', 300));
    const imported = await t.importUrl('ann', shop.url('/app/coat'));
    expect(imported).toMatchObject({ statusCode: 201, json: { name: 'Wool Coat', price: 300 } });
    const id = imported.json.id as string;

    shop.pages.set('/app/coat', priced('Wool Coat', 249));
    const daily = await t.handler<TimerLambda>('wardrobe-scraper-refresh-daily');
    await daily(firing('2026-11-23T04:00:02Z'), lambdaContext());
    await daily(firing('2026-11-23T04:00:09Z'), lambdaContext()); // the same slot again: nothing more
    expect(await t.ports.queue.count(refreshJob.queue)).toBe(1);
    const worker = await t.handler<QueueLambda>(`jobs-${refreshJob.queue}`);
    const drain = () => pump(t.ports.queue, refreshJob.queue, async (event) => (await worker(event, context())) ?? { batchItemFailures: [] });
    expect(await drain()).toBe(1);
    expect(await t.ports.documents.repository<WardrobeItemDoc>(itemsContainer).get(id, 'ann')).toMatchObject({ price: 249 });

    const refresh = await t.handler<HttpLambda>('admin-scraper-refresh');
    expect((await call(refresh, { method: 'POST', path: '/api/admin/scraper/refresh', user: 'ann' })).statusCode).toBe(403);
    expect(await call(refresh, { method: 'POST', path: '/api/admin/scraper/refresh', user: 'ops', query: 'userId=ann' })).toMatchObject({ statusCode: 202, json: { items: 1, jobs: [expect.any(String)] } });
  });
});
