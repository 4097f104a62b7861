/**
 * The digest through the composition root: `bind` builds the weekly timer, the routes and the
 * job from their table entries on memory ports, and the bound routes answer.
 */
import { describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import { forbidden, unauthorized } from '../../../domain/errors.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { digestJob } from '../../../handlers/wardrobe/digest/jobs.ts';
import type { StoredItemDoc } from '../../../handlers/wardrobe/insights/store.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import type { HttpLambda, QueueLambda, TimerLambda } from '../../../kernel/functions.ts';
import { testApp } from '../../support/app.ts';
import { context, pump } from '../../support/jobs.ts';
import { lambdaContext, testPlatform } from '../../support/platform.ts';
import { call } from '../scraper/support.ts';
import { item } from './items.ts';

const platform = testPlatform({
  authenticate: async (event, accepted) => {
    const userId = event.headers['x-test-user'];
    if (!userId) throw unauthorized();
    const isAdmin = userId === 'ops';
    if (!isAdmin && !accepted.includes('user')) throw forbidden();
    return { userId, qualifiedId: `portico|${userId}`, issuer: 'portico', via: 'token', roles: [], isAdmin };
  },
});

const firing = (time: string) =>
  ({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } }) as ScheduledEvent;

describe('the digest through the composition root', () => {
  it('the bound timer fans out once per slot, the bound worker builds, the bound routes answer', async () => {
    const t = testApp({ services: [wardrobe], env: { WEEKLY_DIGEST_MAX_CONCURRENCY: '2' }, ports: { platform } });
    const items = t.ports.documents.repository<StoredItemDoc>(itemsContainer);
    for (const owner of ['ann', 'bob', 'cat', 'dan']) await items.create(item(owner, `${owner}-1`) as StoredItemDoc);

    const weekly = await t.handler<TimerLambda>('wardrobe-digest-weekly');
    await weekly(firing('2026-11-23T06:00:03Z'), lambdaContext());
    await weekly(firing('2026-11-23T06:00:09Z'), lambdaContext()); // the same slot again: nothing more
    expect(await t.ports.queue.count(digestJob.queue)).toBe(1);

    const worker = await t.handler<QueueLambda>(`jobs-${digestJob.queue}`);
    const drain = () => pump(t.ports.queue, digestJob.queue, async (event) => (await worker(event, context())) ?? { batchItemFailures: [] });
    expect(await drain()).toBe(1);

    const latest = await t.handler<HttpLambda>('wardrobe-digest-latest');
    const annsLatest = await call(latest, { method: 'GET', path: '/api/digest/latest', user: 'ann' });
    expect(annsLatest).toMatchObject({ statusCode: 200, json: { digest: { userId: 'ann', totalItems: 1 } }, headers: { etag: expect.stringMatching(/^"[0-9a-f]{64}"$/) } });
    const history = await t.handler<HttpLambda>('wardrobe-digest-history');
    expect((await call(history, { method: 'GET', path: '/api/digest', user: 'bob' })).json.items).toHaveLength(1);

    // The caller's own run: nothing changed since the weekly one.
    const runOwn = await t.handler<HttpLambda>('wardrobe-digest-run');
    expect((await call(runOwn, { method: 'POST', path: '/api/digest/run', user: 'ann' })).json).toEqual({ status: 'skipped', reason: 'wardrobe_unchanged' });
    const vote = await t.handler<HttpLambda>('wardrobe-digest-feedback-send');
    const digestId = annsLatest.json.digest.id as string;
    expect((await call(vote, { method: 'POST', path: '/api/digest/feedback', user: 'ann', body: JSON.stringify({ digestId, suggestionIndex: 0, signal: 'up' }) })).json).toEqual({ status: 'ok' });
    const votes = await t.handler<HttpLambda>('wardrobe-digest-feedback-list');
    expect((await call(votes, { method: 'GET', path: '/api/digest/feedback', user: 'ann', query: `digestId=${digestId}` })).json).toEqual({ feedback: [{ suggestionIndex: 0, signal: 'up' }] });

    const run = await t.handler<HttpLambda>('admin-digest-run');
    expect((await call(run, { method: 'POST', path: '/api/admin/digest/run', user: 'ann' })).statusCode).toBe(403);
    expect(await call(run, { method: 'POST', path: '/api/admin/digest/run', user: 'ops', query: 'userId=ann' })).toMatchObject({
      statusCode: 202,
      json: { users: 1, jobs: [expect.stringMatching(/^digest-admin-/)] },
    });

    const insights = await t.handler<HttpLambda>('insights-vault');
    expect((await call(insights, { method: 'GET', path: '/api/insights/vault', user: 'ann' })).json).toMatchObject({ insufficientData: false, cpwIntel: [{ itemId: 'ann-1', badge: 'unworn' }] });
  });
});
