/**
 * The digest through the composition root: `bind` builds the weekly timer, the routes and the
 * job from their table entries on memory ports, WEEKLY_DIGEST_MAX_CONCURRENCY reaches the job as
 * `deps.settings.digest`, and its summaries come from the `model` port.
 */
import { describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import type { LanguageModel, StructuredRequest } from '../../../domain/ai.ts';
import { forbidden, unauthorized } from '../../../domain/errors.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { digestJob } from '../../../handlers/wardrobe/digest/jobs.ts';
import { itemsContainer, type WardrobeItemDoc } from '../../../handlers/wardrobe/items/store.ts';
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

/** A model that takes a turn before answering, counting the summaries in flight. */
function slowModel(flight: { now: number; max: number; requests: StructuredRequest<unknown>[] }): LanguageModel {
  return {
    provider: 'openai',
    model: 'fake-model',
    structured: async <T>(request: StructuredRequest<T>) => {
      flight.requests.push(request as StructuredRequest<unknown>);
      flight.max = Math.max(flight.max, ++flight.now);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        return { value: { summary: 'A fine week.' } as T, model: 'fake-model', usage: { inputTokens: 1, outputTokens: 1 }, offline: false };
      } finally {
        flight.now--;
      }
    },
    stream: () => {
      throw new Error('not used');
    },
  };
}

const firing = (time: string) =>
  ({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } }) as ScheduledEvent;

describe('the digest through the composition root', () => {
  it('the bound timer fans out once per slot, the bound worker builds with the model port at WEEKLY_DIGEST_MAX_CONCURRENCY, the bound routes answer', async () => {
    const flight = { now: 0, max: 0, requests: [] as StructuredRequest<unknown>[] };
    const t = testApp({ services: [wardrobe], env: { WEEKLY_DIGEST_MAX_CONCURRENCY: '2' }, ports: { platform, model: slowModel(flight) } });
    const items = t.ports.documents.repository<WardrobeItemDoc>(itemsContainer);
    for (const owner of ['ann', 'bob', 'cat', 'dan']) await items.create(item(owner, `${owner}-1`) as WardrobeItemDoc);

    const weekly = await t.handler<TimerLambda>('wardrobe-digest-weekly');
    await weekly(firing('2026-11-23T06:00:03Z'), lambdaContext());
    await weekly(firing('2026-11-23T06:00:09Z'), lambdaContext()); // the same slot again: nothing more
    expect(await t.ports.queue.count(digestJob.queue)).toBe(1);

    const worker = await t.handler<QueueLambda>(`jobs-${digestJob.queue}`);
    const drain = () => pump(t.ports.queue, digestJob.queue, async (event) => (await worker(event, context())) ?? { batchItemFailures: [] });
    expect(await drain()).toBe(1);
    expect(flight.requests).toHaveLength(4);
    expect(flight.max).toBe(2);

    const latest = await t.handler<HttpLambda>('wardrobe-digest-latest');
    expect(await call(latest, { method: 'GET', path: '/api/digest/latest', user: 'ann' })).toMatchObject({
      statusCode: 200,
      json: { week: '2026-W48', itemCount: 1, summary: { text: 'A fine week.', model: 'fake-model', offline: false } },
    });
    const history = await t.handler<HttpLambda>('wardrobe-digest-history');
    expect((await call(history, { method: 'GET', path: '/api/digest', user: 'bob' })).json.items).toHaveLength(1);

    const run = await t.handler<HttpLambda>('admin-digest-run');
    expect((await call(run, { method: 'POST', path: '/api/admin/digest/run', user: 'ann' })).statusCode).toBe(403);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(await call(run, { method: 'POST', path: '/api/admin/digest/run', user: 'ops', query: 'userId=ann', headers: { traceparent } })).toMatchObject({
      statusCode: 202,
      json: { users: 1, jobs: [expect.stringMatching(/^digest-admin-/)] },
    });
    await drain();
    expect(flight.requests.at(-1)).toMatchObject({ task: 'wardrobe.digest-summary', traceparent, userId: 'ann' });
  });
});
