/** The job-backed taste routes (answers, job, profile) through the full HTTP stack and the real job worker, on memory ports. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { replaceProfile, stylesOf } from '../../../domain/wardrobe/profile.ts';
import { readProfile, replaceStoredProfile } from '../../../handlers/wardrobe/profile/store.ts';
import { tasteJob } from '../../../handlers/wardrobe/taste/jobs.ts';
import { call, MINIMALIST, tasteHarness } from './harness.ts';

const RUNS = Math.max(200, Math.ceil(Number(process.env.FUZZ_RUNS ?? 1000) / 5));

describe('the quiz answers, the job and the profile', () => {
  it('202 with a job id; the job completes and the profile is exact', async () => {
    const t = tasteHarness();
    expect((await t.profile('ann')).statusCode).toBe(404);
    const submitted = await t.submit('ann', MINIMALIST);
    expect(submitted.statusCode).toBe(202);
    const jobId = submitted.json.jobId as string;
    expect(await t.jobStatus('ann', jobId)).toMatchObject({ statusCode: 200, json: { jobId, status: 'queued', attempt: 1 } });
    expect(await t.drain()).toBe(1);
    expect(await t.jobStatus('ann', jobId)).toMatchObject({ statusCode: 200, json: { status: 'completed', completedAt: expect.any(String) } });
    const profile = await t.profile('ann');
    expect(profile.statusCode).toBe(200);
    expect(profile.json).toEqual({
      quizVersion: 1,
      dimensions: {
        style: { classic: 0.1111, minimal: 0.7778, streetwear: 0.1111, bohemian: 0, sporty: 0 },
        colour: { neutral: 1, earth: 0, pastel: 0, bold: 0, monochrome: 0 },
        fit: { slim: 0, regular: 0, relaxed: 1 },
        formality: { casual: 0.25, 'smart-casual': 0.75, formal: 0 },
        pattern: { solid: 1, stripes: 0, florals: 0, graphic: 0 },
      },
      top: { style: 'minimal', colour: 'neutral', fit: 'relaxed', formality: 'smart-casual', pattern: 'solid' },
      preferences: ['colour:neutral', 'fit:relaxed', 'pattern:solid', 'style:minimal', 'formality:smart-casual'],
      answered: 6,
      answers: [...MINIMALIST].sort((a, b) => a.questionId.localeCompare(b.questionId)),
      submittedAt: '2026-11-22T10:00:00.000Z',
      revision: 1,
      updatedAt: '2026-11-22T10:00:00.000Z',
    });
    // The job record lives in the taste job container, not the shared one.
    expect(await t.deps.documents.repository({ name: 'taste-jobs', partitionKey: 'id' }).get(jobId, jobId)).toMatchObject({ status: 'completed' });
    expect(await t.deps.documents.repository({ name: 'jobs', partitionKey: 'id' }).get(jobId, jobId)).toBeUndefined();
  });

  it("writes the style scores into the user's one profile as styleConfidenceProfile, keeping what the user edits", async () => {
    const t = tasteHarness();
    await replaceStoredProfile(t.deps.documents, 'ann', (stored) => replaceProfile(stored, { currencyCode: 'EUR', stylePreferences: ['classic'] }, 'ann'), t.clock.now());
    await t.submit('ann', MINIMALIST);
    await t.drain();
    const profile = await readProfile(t.deps.documents, 'ann');
    expect(profile).toMatchObject({ currencyCode: 'EUR', stylePreferences: ['classic'], styleConfidenceProfile: { classic: 0.1111, minimal: 0.7778, streetwear: 0.1111, bohemian: 0, sporty: 0 } });
    // What the digest considers: the chosen style, then the confidently inferred one.
    expect(stylesOf(profile)).toEqual(['classic', 'minimal']);
    // Another user's profile is untouched.
    expect((await readProfile(t.deps.documents, 'bob')).styleConfidenceProfile).toBeUndefined();
  });

  it("the job message carries the submitting request's traceparent", async () => {
    const t = tasteHarness();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await t.submit('ann', MINIMALIST, { traceparent });
    const [message] = await t.deps.queue.receive(tasteJob.queue, { max: 1, visibilitySeconds: 1 });
    expect(JSON.parse(message!.text)).toMatchObject({ type: tasteJob.type, traceparent });
  });

  it('a duplicate submission is the same job and runs once; new answers after it are a new job', async () => {
    const t = tasteHarness();
    const first = await t.submit('ann', MINIMALIST);
    const again = await t.submit('ann', [...MINIMALIST].reverse());
    expect(again.json.jobId).toBe(first.json.jobId);
    expect(await t.deps.queue.count(tasteJob.queue)).toBe(1);
    expect(await t.drain()).toBe(1);
    // The profile changed (revision 1): the same answers now are a new job, and so are others.
    const later = await t.submit('ann', MINIMALIST);
    expect(later.json.jobId).not.toBe(first.json.jobId);
    await t.drain();
    expect((await t.profile('ann')).json.revision).toBe(2);
  });

  it("another user's job id answers 404, as does an unknown one, and B has no profile", async () => {
    const t = tasteHarness();
    const jobId = (await t.submit('ann', MINIMALIST)).json.jobId as string;
    await t.drain();
    expect(await t.jobStatus('bob', jobId)).toMatchObject({ statusCode: 404, json: { code: 'not_found' } });
    expect((await t.jobStatus('ann', `${jobId.slice(0, -1)}0`)).statusCode).toBe(404);
    expect((await t.jobStatus('ann', 'a/b')).statusCode).toBe(404);
    expect((await t.profile('bob')).statusCode).toBe(404);
  });

  it('unknown question or option ids are a 400 naming them, and nothing is enqueued', async () => {
    const t = tasteHarness();
    const reply = await t.submit('ann', [{ questionId: 'style-weekend', optionId: 'tuxedo' }, { questionId: 'star-sign', optionId: 'leo' }]);
    expect(reply.statusCode).toBe(400);
    expect(reply.json).toMatchObject({ code: 'invalid_answers' });
    expect(reply.json.detail).toContain('"tuxedo"');
    expect(reply.json.detail).toContain('"star-sign"');
    expect(reply.json.errors).toEqual([
      { pointer: '/body/answers/0/optionId', detail: 'unknown option "tuxedo" for question "style-weekend"' },
      { pointer: '/body/answers/1/questionId', detail: 'unknown question "star-sign"' },
    ]);
    expect(await t.deps.queue.count(tasteJob.queue)).toBe(0);
  });

  it('fuzz: any body gets no 5xx, and a refused one enqueues nothing', async () => {
    const t = tasteHarness();
    const ids = [...MINIMALIST.flatMap((answer) => [answer.questionId, answer.optionId]), 'nope', ''];
    const answer = fc.oneof(
      fc.record({ questionId: fc.constantFrom(...ids), optionId: fc.constantFrom(...ids) }),
      fc.record({ questionId: fc.string(), optionId: fc.string(), extra: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const body = fc.oneof(fc.record({ answers: fc.array(answer, { maxLength: 8 }) }), fc.record({ answers: fc.jsonValue({ maxDepth: 2 }), other: fc.string() }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 3 }));
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = await t.deps.queue.count(tasteJob.queue);
        const reply = await call(t.http.answers, { method: 'POST', path: '/api/taste/quiz/answers', user: 'fuzz', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
        expect(reply.statusCode).toBeLessThan(500);
        const after = await t.deps.queue.count(tasteJob.queue);
        if (reply.statusCode !== 202) expect(after).toBe(before);
        else expect(after - before).toBeLessThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  });
});
