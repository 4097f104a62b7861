/**
 * Proof: a taste job whose profile write keeps conflicting (every replace answers 412) retries
 * the write TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES times per attempt, is retried by the job
 * runtime with backoff (the visibility delays given to the queue), and ends dead-lettered with
 * its reason, in the taste dead-letter container and on the taste dead-letter queue.
 */
import { describe, expect, it } from '@jest/globals';
import type { JobSettings } from '../../../domain/jobs.ts';
import { tasteJob, tasteJobId } from '../../../handlers/wardrobe/taste/jobs.ts';
import type { DeadLetterRecord } from '../../../jobs/dead-letters.ts';
import { conflictingProfiles } from './conflicting-profiles.ts';
import { tasteHarness } from './harness.ts';

// 3 attempts; ceilings 4 s then 8 s; random() = 0.5 in the harness: delays 0.5*4+0.5*1 = 2.5 s -> 3 s, 0.5*8+0.5 = 4.5 s -> 5 s.
const settings: JobSettings = { retry: { maxAttempts: 3, baseBackoffSeconds: 4, maxBackoffSeconds: 60, jitterSeconds: 1 }, dedupeTtlSeconds: 3600, completedTtlSeconds: 600 };

describe('a taste job whose profile write keeps conflicting', () => {
  it('retries with backoff, then is dead-lettered with its reason in the taste container and queue', async () => {
    const counter = { on: true, replaces: 0 }; // while on, every replace of the profile loses its race
    const t = tasteHarness({ settings, profileUpdateMaxRetries: 2, documents: (store) => conflictingProfiles(store, counter) });
    // A profile exists already, so the job must replace it (create is not decorated).
    counter.on = false;
    await t.likeMoods('ann', ['Coastal']);
    await t.drain();
    const first = await t.confidence('ann');
    expect(first).toMatchObject({ styleKeywords: { coastal: 0.5 } });
    counter.on = true;

    const sends: { queue: string; delaySeconds: number }[] = [];
    const send = t.deps.queue.send.bind(t.deps.queue);
    t.deps.queue.send = async (queue, text, options) => {
      sends.push({ queue, delaySeconds: options?.delaySeconds ?? 0 });
      return send(queue, text, options);
    };
    const sessionId = await t.likeMoods('ann', ['Edgy']);
    const jobId = tasteJobId('ann', 'quiz', sessionId);
    for (let round = 0; round < 4; round++) {
      await t.drain();
      t.clock.advance(10_000);
    }

    // 3 attempts x (1 write + 2 retries) = 9 conditional writes, all refused.
    expect(counter.replaces).toBe(9);
    expect(sends).toEqual([
      { queue: tasteJob.queue, delaySeconds: 0 },
      { queue: tasteJob.queue, delaySeconds: 3 },
      { queue: tasteJob.queue, delaySeconds: 5 },
      { queue: 'taste-jobs-deadletter', delaySeconds: 0 },
    ]);
    expect(await t.runtime.client.status(jobId, tasteJob.type)).toMatchObject({ status: 'dead-lettered', attempt: 3 });

    const letter = await t.deps.documents.repository<DeadLetterRecord>({ name: 'taste-job-dead-letters', partitionKey: 'id' }).get(jobId, jobId);
    expect(letter).toMatchObject({ reason: 'max_attempts', attempts: 3, type: 'wardrobe.taste-profile', queue: 'taste-jobs', envelope: { jobId, payload: { userId: 'ann' } } });
    expect(letter!.lastError).toContain('profile_update_conflict');
    expect(letter!.lastError).toContain('3 conditional writes');
    expect(await t.deps.documents.repository({ name: 'dead-letters', partitionKey: 'id' }).query({ limit: 10 })).toMatchObject({ items: [] });
    const [message] = await t.deps.queue.receive('taste-jobs-deadletter', { max: 1, visibilitySeconds: 1 });
    expect(JSON.parse(message!.text)).toMatchObject({ jobId, reason: 'max_attempts', attempts: 3, lastError: expect.stringContaining('profile_update_conflict') });

    // The stored profile is the first one, untouched.
    expect(await t.confidence('ann')).toEqual(first);

    // Operators see it in the dead-letter list, and a replay finds it in the taste container.
    const listed = await t.runtime.deadLetters.list({ limit: 10 });
    expect(listed.items.map((item) => item.id)).toEqual([jobId]);
    expect(await t.runtime.deadLetters.replay(jobId)).toEqual({ jobId });
    expect(await t.runtime.client.status(jobId, tasteJob.type)).toMatchObject({ status: 'queued', attempt: 1 });
    expect((await t.runtime.deadLetters.list({ limit: 10 })).items).toEqual([]);
    // Once the profile stops conflicting, the replayed job adds the session's tastes.
    counter.on = false;
    await t.drain();
    expect(await t.confidence('ann')).toMatchObject({ styleKeywords: { coastal: 0.5, edgy: 0.5 }, appliedSignals: [tasteJobId('ann', 'quiz', 's1'), jobId] });
  });
});
