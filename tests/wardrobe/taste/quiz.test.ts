/** The taste quiz sessions (contract 7.6) through the real HTTP stack on memory ports. */
import { describe, expect, it } from '@jest/globals';
import { PRIMARY_MOODS } from '../../../domain/wardrobe/moods.ts';
import { inferTastes, quizCards, type QuizCard } from '../../../domain/wardrobe/taste-quiz.ts';
import { moodsContainer } from '../../../handlers/wardrobe/moods/store.ts';
import { tasteHarness } from './harness.ts';

const setup = () => tasteHarness();

describe('GET /api/taste/quiz', () => {
  it('answers a session document with one card per primary mood (the upstream answered 500), and the same open session again', async () => {
    const t = setup();
    const first = await t.quiz('ann');
    expect(first.statusCode).toBe(200);
    expect(first.json).toMatchObject({ id: 's1', userId: 'ann', sessionId: 's1', phase: 'mood_cards', isComplete: false, completedAt: null, inferredTastes: null, targetResponses: 12, responses: [] });
    expect(first.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((first.json.cards as QuizCard[]).map((card) => card.primaryMood)).toEqual([...PRIMARY_MOODS]);
    expect((first.json.cards as QuizCard[])[0]).toEqual({ primaryMood: 'Minimalist', moodId: 'minimalist-quiet-neutrals', title: 'Quiet Neutrals', description: expect.any(String), keywords: expect.arrayContaining(['minimal']) });
    expect((await t.quiz('ann')).json.sessionId).toBe('s1');
    expect((await t.quiz('bob')).json).toMatchObject({ sessionId: 's2', userId: 'bob' });
    expect((await t.quiz()).statusCode).toBe(401);
  });

  it('a card shows the most trending seeded mood of its primary mood', async () => {
    const t = setup();
    const seeded = { userId: 'global', primaryMood: 'Edgy', description: 'd', keywords: ['grunge'], itemCount: 1, monthsBack: 3, seededAt: '2026-01-01T00:00:00Z' };
    await t.deps.documents.repository(moodsContainer).create({ ...seeded, id: 'edgy-leather-and-studs', name: 'Leather and Studs', trendScore: 0.5 });
    await t.deps.documents.repository(moodsContainer).create({ ...seeded, id: 'edgy-grunge-revival', name: 'Grunge Revival', trendScore: 2 });
    const cards = (await t.quiz('ann')).json.cards as QuizCard[];
    expect(cards.find((card) => card.primaryMood === 'Edgy')).toMatchObject({ moodId: 'edgy-grunge-revival', title: 'Grunge Revival', keywords: ['grunge'] });
  });
});

describe('POST /api/taste/quiz/{sessionId}/respond and /complete', () => {
  it('records responses, infers the tastes of the liked moods on complete, closes the session, and a new GET starts another', async () => {
    const t = setup();
    const { sessionId } = (await t.quiz('ann')).json as { sessionId: string };
    expect((await t.respond('ann', sessionId, { signal: 'up', cardPrimaryMood: 'Coastal' })).json).toEqual({ sessionId, responsesRecorded: 1, targetResponses: 12 });
    await t.respond('ann', sessionId, { signal: 'up', cardPrimaryMood: 'Edgy' });
    await t.respond('ann', sessionId, { signal: 'up', cardPrimaryMood: 'Coastal' });
    await t.respond('ann', sessionId, { signal: 'down', cardPrimaryMood: 'Sporty' });
    const recorded = await t.respond('ann', sessionId, { signal: 'down', scrapedItemId: 'reddit-0123abcd' });
    expect(recorded.json).toEqual({ sessionId, responsesRecorded: 5, targetResponses: 12 });

    const done = await t.complete('ann', sessionId);
    expect(done.statusCode).toBe(200);
    expect(done.json).toEqual({
      sessionId,
      inferredTastes: { styleKeywords: ['coastal', 'linen', 'stripe', 'breton', 'nautical', 'edgy', 'leather', 'stud', 'moto', 'biker'], brands: [] },
    });
    // Completing again answers the same; responding to a complete session is 409.
    expect((await t.complete('ann', sessionId)).json).toEqual(done.json);
    expect((await t.respond('ann', sessionId, { signal: 'up', cardPrimaryMood: 'Preppy' })).json).toMatchObject({ status: 409, code: 'quiz_complete' });
    const next = (await t.quiz('ann')).json;
    expect(next.sessionId).not.toBe(sessionId);
    expect(next).toMatchObject({ isComplete: false, responses: [] });
  });

  it("another user's session, or an unknown one, is 404 on both routes and is not changed", async () => {
    const t = setup();
    const { sessionId } = (await t.quiz('ann')).json as { sessionId: string };
    for (const [user, id] of [['bob', sessionId], ['ann', 'nope']] as const) {
      expect((await t.respond(user, id, { signal: 'up', cardPrimaryMood: 'Edgy' })).json).toMatchObject({ status: 404, code: 'not_found' });
      expect((await t.complete(user, id)).json).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect((await t.quiz('ann')).json).toMatchObject({ sessionId, isComplete: false, responses: [] });
  });

  it.each([
    ['no signal', { cardPrimaryMood: 'Edgy' }],
    ['an unknown signal', { signal: 'sideways' }],
    ['an unknown primary mood', { signal: 'up', cardPrimaryMood: 'Goth' }],
    ['an empty scraped item id', { signal: 'up', scrapedItemId: '' }],
  ])('%s is 400 problem+json, and nothing is recorded', async (_name, body) => {
    const t = setup();
    const { sessionId } = (await t.quiz('ann')).json as { sessionId: string };
    const reply = await t.respond('ann', sessionId, body);
    expect(reply).toMatchObject({ statusCode: 400, json: { code: 'validation_failed' } });
    expect((await t.quiz('ann')).json.responses).toEqual([]);
  });
});

describe('inferTastes', () => {
  it('keeps the moods liked more than disliked, strongest first, ties in card order, and caps the keywords', () => {
    const cards = quizCards([]);
    const at = '2026-01-01T00:00:00Z';
    const tastes = inferTastes(cards, [
      { signal: 'up', cardPrimaryMood: 'Preppy', respondedAt: at },
      { signal: 'up', cardPrimaryMood: 'Classic', respondedAt: at },
      { signal: 'down', cardPrimaryMood: 'Classic', respondedAt: at },
      { signal: 'up', cardPrimaryMood: 'Romantic', respondedAt: at },
    ]);
    expect(tastes.styleKeywords.slice(0, 2)).toEqual(['romantic', 'floral']);
    expect(tastes.styleKeywords).toContain('preppy');
    expect(tastes.styleKeywords).not.toContain('classic');
    const all = inferTastes(cards, cards.map((card) => ({ signal: 'up' as const, cardPrimaryMood: card.primaryMood, respondedAt: at })));
    expect(all.styleKeywords).toHaveLength(20);
    expect(inferTastes(cards, [])).toEqual({ styleKeywords: [], brands: [] });
  });
});
