/**
 * The one taste flow: a completed quiz session and a discover up-vote each enqueue the taste
 * job (one per session, one per user and item), and the real job, run by the real worker on
 * memory ports, adds the signal to the user's one profile (`styleConfidenceProfile`).
 */
import { describe, expect, it } from '@jest/globals';
import { isoSeconds } from '../../../domain/time.ts';
import { readProfile, replaceStoredProfile } from '../../../handlers/wardrobe/profile/store.ts';
import { scrapedItemId } from '../../../handlers/wardrobe/scraper/store.ts';
import { tasteJob, tasteJobId } from '../../../handlers/wardrobe/taste/jobs.ts';
import { discoverHarness } from '../scraper/support.ts';
import { tasteHarness } from './harness.ts';

describe('completing a quiz session', () => {
  it("enqueues one taste job per session, which adds the liked moods' keywords to the profile, keeping what the user edits", async () => {
    const t = tasteHarness();
    await replaceStoredProfile(t.deps.documents, 'ann', () => ({ id: 'ann', currencyCode: 'EUR', preferredSizeSystem: 'EU', stylePreferences: ['boho'], favoriteBrands: [], preferredColours: [], recommendationOptIn: true }), t.clock.now());
    const sessionId = await t.likeMoods('ann', ['Coastal']);
    // A repeated complete answers the same and is the same job: one message, one job.
    expect((await t.complete('ann', sessionId)).statusCode).toBe(200);
    expect(await t.deps.queue.count(tasteJob.queue)).toBe(1);
    const jobId = tasteJobId('ann', 'quiz', sessionId);
    expect(await t.runtime.client.status(jobId, tasteJob.type)).toMatchObject({ status: 'queued' });
    expect(await t.drain()).toBe(1);
    expect(await t.runtime.client.status(jobId, tasteJob.type)).toMatchObject({ status: 'completed' });

    const profile = await readProfile(t.deps.documents, 'ann');
    expect(profile).toMatchObject({ currencyCode: 'EUR', stylePreferences: ['boho'] });
    expect(profile.styleConfidenceProfile).toEqual({
      styleKeywords: { breton: 0.5, coastal: 0.5, linen: 0.5, nautical: 0.5, stripe: 0.5 },
      brands: {},
      appliedSignals: [jobId],
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });

    // A second session liking Coastal again grows its confidence towards 1, not past it.
    await t.likeMoods('ann', ['Coastal', 'Edgy']);
    await t.drain();
    const after = (await readProfile(t.deps.documents, 'ann')).styleConfidenceProfile as { styleKeywords: Record<string, number> };
    expect(after.styleKeywords).toMatchObject({ coastal: 0.75, edgy: 0.5 });
    // Bob's profile is his own.
    expect((await readProfile(t.deps.documents, 'bob')).styleConfidenceProfile).toBeUndefined();
  });

  it('enqueues nothing when no mood was liked, and the profile is not written', async () => {
    const t = tasteHarness();
    const { sessionId } = (await t.quiz('ann')).json as { sessionId: string };
    await t.respond('ann', sessionId, { signal: 'down', cardPrimaryMood: 'Edgy' });
    expect((await t.complete('ann', sessionId)).json).toEqual({ sessionId, inferredTastes: { styleKeywords: [], brands: [] } });
    expect(await t.deps.queue.count(tasteJob.queue)).toBe(0);
    expect(await t.deps.documents.repository({ name: 'wardrobe-profiles', partitionKey: 'userId' }).get('ann', 'ann')).toBeUndefined();
  });

  it('a redelivered job (the same id run again) changes nothing', async () => {
    const t = tasteHarness();
    const sessionId = await t.likeMoods('ann', ['Edgy']);
    await t.drain();
    const once = await t.confidence('ann');
    const jobId = tasteJobId('ann', 'quiz', sessionId);
    // Run the job's body again with the same id, as a delivery after a lost acknowledgement would.
    const [record] = (await t.deps.documents.repository<{ id: string; payload?: unknown }>({ name: tasteJob.jobsContainer!, partitionKey: 'id' }).query({ limit: 10 })).items;
    expect(record?.id).toBe(jobId);
    await t.spec.run!({ userId: 'ann', source: 'quiz', sourceId: sessionId, styleKeywords: ['edgy', 'extra'], brands: [], submittedAt: isoSeconds(t.clock.now()) }, { jobId, attempt: 2, log: { info: () => undefined } } as never);
    expect(await t.confidence('ann')).toEqual(once);
  });
});

describe('an up-vote in the discover feed', () => {
  it("adds the item's tags and brand as a weak signal through the same job, once per user and item; a down-vote adds nothing", async () => {
    const h = discoverHarness();
    const id = scrapedItemId('brand_site', 'linen-shirt');
    const other = scrapedItemId('reddit', 'moto-jacket');
    const item = (itemId: string, brand: string | null, tags: string[]) => ({
      id: itemId, userId: 'global' as const, sourceId: 'brand-acme', sourceType: 'brand_site' as const, title: 'x', description: null, imageUrl: null, productUrl: null, buyLinks: [],
      price: null, brand, tags, galleryImages: [], commentText: null, redditScore: null, scoreSignal: 0, scrapedAt: isoSeconds(h.clock.now()), sourceCreatedAt: null, imageExpired: false,
    });
    await h.repo.items.create(item(id, 'Acme', ['linen', 'shirts']) as never);
    await h.repo.items.create(item(other, null, ['moto']) as never);
    // Stored tags outside the payload's bounds are left out rather than failing the vote.
    const odd = scrapedItemId('reddit', 'odd-tags');
    await h.repo.items.create(item(odd, ' ', ['x'.repeat(300), ' ']) as never);
    expect((await h.api.feedback('bob', odd, { signal: 'up' })).statusCode).toBe(200);
    expect(await h.deps.queue.count(tasteJob.queue)).toBe(0);

    expect((await h.api.feedback('ann', id, { signal: 'up' })).json).toEqual({ itemId: id, signal: 'up', scoreSignal: 1 });
    // Voting up again, or down and up again, is the same job.
    await h.api.feedback('ann', id, { signal: 'up' });
    expect(await h.deps.queue.count(tasteJob.queue)).toBe(1);
    expect(await h.drainTaste()).toBe(1);
    await h.api.feedback('ann', id, { signal: 'down' });
    await h.api.feedback('ann', id, { signal: 'up' });
    await h.drainTaste();
    // A down-vote enqueues nothing.
    await h.api.feedback('ann', other, { signal: 'down' });
    expect(await h.deps.queue.count(tasteJob.queue)).toBe(0);

    expect((await readProfile(h.deps.documents, 'ann')).styleConfidenceProfile).toEqual({
      styleKeywords: { linen: 0.1, shirts: 0.1 },
      brands: { acme: 0.1 },
      appliedSignals: [tasteJobId('ann', 'feedback', id)],
      updatedAt: expect.any(String),
    });
    expect(await h.runtime.client.status(tasteJobId('ann', 'feedback', id), tasteJob.type)).toMatchObject({ status: 'completed' });
  });
});
