/**
 * The discover feed through the composition root: `bind` builds the routes, the daily timer and
 * the run job from their table entries on memory ports, the fetcher port with the SCRAPER_*
 * settings (`deps.safeHttp(deps.settings.scraper.fetch)`), and the admin routes are the platform's
 * `admin` auth class (ADMIN_USER_IDS in a deployment; the test platform's `ops` here), not a list of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { runJob } from '../../../handlers/wardrobe/scraper/jobs.ts';
import type { HttpLambda, QueueLambda, TimerLambda } from '../../../kernel/functions.ts';
import type { Env } from '../../../kernel/env.ts';
import { testApp } from '../../support/app.ts';
import { context, pump } from '../../support/jobs.ts';
import { lambdaContext } from '../../support/platform.ts';
import { call, html, platform, productPage, startShop, type Shop } from './support.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
  shop.pages.set('/app/', html('<a href="/app/coat">Coat</a>'));
  shop.pages.set('/app/coat', html(productPage({ name: 'Wool Coat', offers: { price: 300, priceCurrency: 'EUR' } })));
});
afterAll(() => shop.close());

function discoverApp(env: Env) {
  const t = testApp({ services: [wardrobe], env, ports: { platform } });
  const route = async (name: string, init: Parameters<typeof call>[1]) => call(await t.handler<HttpLambda>(name), init);
  return { ...t, route };
}

const firing = (time: string) =>
  ({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } }) as ScheduledEvent;

describe('the discover feed through the composition root', () => {
  it('keeps the default address policy: without SCRAPER_ALLOW_LOOPBACK the local shop is refused', async () => {
    const reply = await discoverApp({}).route('wardrobe-scraper-suggest-source', { method: 'POST', path: '/api/scraper/sources', user: 'ann', body: JSON.stringify({ name: 'Local', url: shop.url('/app/') }) });
    expect(reply).toMatchObject({ statusCode: 400, json: { code: 'url_not_allowed' } });
  });

  it('suggests through the bound route, reads through the bound worker and timer, lists the configured Reddit sources, and keeps run and unban for admins', async () => {
    const t = discoverApp({ SCRAPER_ALLOW_LOOPBACK: 'true', SCRAPER_REDDIT_SUBREDDITS: 'streetwear,femalefashionadvice' });
    const suggested = await t.route('wardrobe-scraper-suggest-source', { method: 'POST', path: '/api/scraper/sources', user: 'ann', body: JSON.stringify({ name: 'App Shop', url: shop.url('/app/') }) });
    expect(suggested).toMatchObject({ statusCode: 201, json: { sourceId: 'brand-app-shop' } });
    const worker = await t.handler<QueueLambda>(`jobs-${runJob.queue}`);
    const drain = () => pump(t.ports.queue, runJob.queue, async (event) => (await worker(event, context())) ?? { batchItemFailures: [] });
    expect(await drain()).toBe(1);
    const feed = await t.route('wardrobe-scraper-items', { method: 'GET', path: '/api/scraper/items', user: 'bob' });
    expect(feed.json.items.map((item: { title: string }) => item.title)).toEqual(['Wool Coat']);

    const daily = await t.handler<TimerLambda>('wardrobe-scraper-run-daily');
    await daily(firing('2026-11-23T04:00:02Z'), lambdaContext());
    expect(await drain()).toBe(1);

    const sources = await t.route('wardrobe-scraper-sources', { method: 'GET', path: '/api/scraper/sources', user: 'bob' });
    expect(sources.json.sources.map((source: { id: string }) => source.id)).toEqual(['brand-app-shop', 'reddit-femalefashionadvice', 'reddit-streetwear']);

    const run = { method: 'POST', path: '/api/scraper/run/brand-app-shop', params: { sourceId: 'brand-app-shop' } };
    expect((await t.route('admin-scraper-run', { ...run, user: 'ann' })).statusCode).toBe(403);
    expect(await t.route('admin-scraper-run', { ...run, user: 'ops' })).toMatchObject({ statusCode: 200, json: { sourceId: 'brand-app-shop', newItems: 0 } });
    const unban = { method: 'POST', path: '/api/admin/unban/ann', params: { targetUserId: 'ann' } };
    expect((await t.route('admin-scraper-unban', { ...unban, user: 'bob' })).statusCode).toBe(403);
    expect(await t.route('admin-scraper-unban', { ...unban, user: 'ops' })).toMatchObject({ statusCode: 404, json: { code: 'not_found' } });
  });

  it('a bad SCRAPER_REDDIT_SUBREDDITS stops start-up naming the variable', async () => {
    const t = discoverApp({ SCRAPER_REDDIT_SUBREDDITS: 'streetwear,r/bad name' });
    await expect(t.handler('wardrobe-scraper-sources')).rejects.toThrow(/SCRAPER_REDDIT_SUBREDDITS/);
  });
});
