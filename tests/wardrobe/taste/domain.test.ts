/** Taste scoring is pure: exact shares, tops and preferences for known answers; refusals name every bad id. */
import { describe, expect, it } from '@jest/globals';
import { canonicalAnswers, checkAnswers, QUIZ, QUIZ_VERSION, quizView, scoreTaste } from '../../../domain/wardrobe/taste.ts';
import { loadTasteSettings } from '../../../handlers/wardrobe/taste/settings.ts';
import { MINIMALIST } from './answers.ts';

describe('the taste quiz', () => {
  it('shows questions and options without their weights, versioned', () => {
    const view = quizView();
    expect(view.version).toBe(QUIZ_VERSION);
    expect(view.questions.map((question) => question.id)).toEqual(['style-weekend', 'colour-palette', 'fit-preference', 'formality-workday', 'pattern-choice', 'shoes-everyday']);
    expect(JSON.stringify(view)).not.toContain('weights');
    expect(view.questions[0]!.options[0]).toEqual({ id: 'chinos-oxford', label: 'Chinos and an oxford shirt' });
  });

  it('has unique question ids and unique option ids per question', () => {
    expect(new Set(QUIZ.map((question) => question.id)).size).toBe(QUIZ.length);
    for (const question of QUIZ) expect(new Set(question.options.map((option) => option.id)).size).toBe(question.options.length);
  });
});

describe('checkAnswers', () => {
  it('accepts known answers', () => {
    expect(() => checkAnswers(MINIMALIST)).not.toThrow();
  });

  it('refuses with 400 naming every unknown question, unknown option and repeated question', () => {
    let error: unknown;
    try {
      checkAnswers([
        { questionId: 'nope', optionId: 'x' },
        { questionId: 'fit-preference', optionId: 'baggy' },
        { questionId: 'colour-palette', optionId: 'neutrals' },
        { questionId: 'colour-palette', optionId: 'pastels' },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ status: 400, code: 'invalid_answers' });
    const { message, errors } = error as { message: string; errors: { pointer: string; detail: string }[] };
    expect(errors).toEqual([
      { pointer: '/body/answers/0/questionId', detail: 'unknown question "nope"' },
      { pointer: '/body/answers/1/optionId', detail: 'unknown option "baggy" for question "fit-preference"' },
      { pointer: '/body/answers/3/questionId', detail: 'question "colour-palette" is answered more than once' },
    ]);
    expect(message).toContain('"nope"');
    expect(message).toContain('"baggy"');
  });
});

describe('scoreTaste', () => {
  it('normalises each dimension to shares of its weight, with exact numbers', () => {
    const scores = scoreTaste(MINIMALIST);
    // style: minimal 3+1+1+2 = 7, streetwear 1, classic 1 (of 9); formality: smart-casual 3, casual 1 (of 4).
    expect(scores.dimensions).toEqual({
      style: { classic: 0.1111, minimal: 0.7778, streetwear: 0.1111, bohemian: 0, sporty: 0 },
      colour: { neutral: 1, earth: 0, pastel: 0, bold: 0, monochrome: 0 },
      fit: { slim: 0, regular: 0, relaxed: 1 },
      formality: { casual: 0.25, 'smart-casual': 0.75, formal: 0 },
      pattern: { solid: 1, stripes: 0, florals: 0, graphic: 0 },
    });
    expect(scores.top).toEqual({ style: 'minimal', colour: 'neutral', fit: 'relaxed', formality: 'smart-casual', pattern: 'solid' });
    expect(scores.preferences).toEqual(['colour:neutral', 'fit:relaxed', 'pattern:solid', 'style:minimal', 'formality:smart-casual']);
    expect(scores).toMatchObject({ quizVersion: 1, answered: 6 });
  });

  it('leaves untouched dimensions at zero with no top, and breaks ties in bank order', () => {
    const scores = scoreTaste([{ questionId: 'shoes-everyday', optionId: 'boots' }]);
    // boots: style bohemian 1, classic 1 (a tie: classic comes first in the bank); colour earth 1.
    expect(scores.dimensions.style).toEqual({ classic: 0.5, minimal: 0, streetwear: 0, bohemian: 0.5, sporty: 0 });
    expect(scores.top).toEqual({ style: 'classic', colour: 'earth' });
    expect(scores.dimensions.fit).toEqual({ slim: 0, regular: 0, relaxed: 0 });
    expect(scores.preferences).toEqual(['colour:earth', 'style:classic', 'style:bohemian']);
  });

  it('does not depend on the order of the answers', () => {
    expect(scoreTaste([...MINIMALIST].reverse())).toEqual(scoreTaste(MINIMALIST));
    expect(canonicalAnswers([...MINIMALIST].reverse())).toEqual(canonicalAnswers(MINIMALIST));
  });
});

describe('taste settings', () => {
  it('defaults: queue taste-jobs, its -deadletter queue, own containers, 5 profile write retries', () => {
    expect(loadTasteSettings({})).toEqual({
      queue: 'taste-jobs',
      deadLetterQueue: 'taste-jobs-deadletter',
      jobsContainer: 'taste-jobs',
      deadLetterContainer: 'taste-job-dead-letters',
      profileUpdateMaxRetries: 5,
    });
  });

  it('reads the seed names, and refuses bad values naming the variable', () => {
    expect(
      loadTasteSettings({ TASTE_JOB_QUEUE_NAME: 'quiz', TASTE_JOB_DEAD_LETTER_QUEUE_NAME: 'quiz-dlq', COSMOS_DB_TASTE_JOBS_CONTAINER: 'tj', COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER: 'tdl', TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES: '0' }),
    ).toEqual({ queue: 'quiz', deadLetterQueue: 'quiz-dlq', jobsContainer: 'tj', deadLetterContainer: 'tdl', profileUpdateMaxRetries: 0 });
    expect(loadTasteSettings({ TASTE_JOB_QUEUE_NAME: 'quiz' }).deadLetterQueue).toBe('quiz-deadletter');
    expect(() => loadTasteSettings({ TASTE_JOB_QUEUE_NAME: 'Taste_Jobs' })).toThrow('TASTE_JOB_QUEUE_NAME');
    expect(() => loadTasteSettings({ COSMOS_DB_TASTE_JOBS_CONTAINER: 'a/b' })).toThrow('COSMOS_DB_TASTE_JOBS_CONTAINER');
    expect(() => loadTasteSettings({ TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES: '-1' })).toThrow('TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES');
  });
});
