/** The wardrobe's taste routes. The job's worker functions are derived from the job list. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { answersRequest, completeResponse, jobAccepted, quizSession, respondRequest, respondResponse, tasteJobStatus, tasteProfile } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const user = { 401: problem, 429: problem };

export const getQuiz = defineFunction({
  name: 'wardrobe-taste-quiz',
  trigger: {
    kind: 'http', method: 'GET', route: 'taste/quiz', auth: 'user',
    summary: "The caller's open taste quiz session (a new one when none is open): one mood card per primary mood, the responses so far.",
    responses: { 200: { description: 'The session', schema: quizSession }, ...user },
  },
  handler: 'handlers/wardrobe/taste/quiz.routes#getQuiz',
});

export const respondToQuiz = defineFunction({
  name: 'wardrobe-taste-quiz-respond',
  trigger: {
    kind: 'http', method: 'POST', route: 'taste/quiz/{sessionId}/respond', auth: 'user',
    summary: 'Records an up or down on a card (cardPrimaryMood) or a scraped item (scrapedItemId).',
    request: { body: respondRequest },
    responses: {
      200: { description: 'Recorded', schema: respondResponse },
      400: problem,
      404: { description: "`not_found`: no such session for this user (another user's is not found either)" },
      409: { description: '`quiz_complete` or `too_many_responses`' },
      ...user,
    },
  },
  handler: 'handlers/wardrobe/taste/quiz.routes#respond',
});

export const completeQuiz = defineFunction({
  name: 'wardrobe-taste-quiz-complete',
  trigger: {
    kind: 'http', method: 'POST', route: 'taste/quiz/{sessionId}/complete', auth: 'user',
    summary: 'Completes the session and answers the inferred tastes; completing it again answers the same.',
    responses: { 200: { description: 'The inferred tastes', schema: completeResponse }, 404: problem, ...user },
  },
  handler: 'handlers/wardrobe/taste/quiz.routes#complete',
});

export const submitAnswers = defineFunction({
  name: 'wardrobe-taste-answers',
  trigger: {
    kind: 'http', method: 'POST', route: 'taste/quiz/answers', auth: 'user',
    summary: 'Submits quiz answers; a job computes the taste profile. The same answers again are the same job.',
    request: { body: answersRequest },
    responses: { 202: { description: 'The job that computes the profile', schema: jobAccepted }, 400: problem, 413: problem, 415: problem, ...user },
  },
  handler: 'handlers/wardrobe/taste/taste.routes#answers',
});

export const getTasteJob = defineFunction({
  name: 'wardrobe-taste-job',
  trigger: {
    kind: 'http', method: 'GET', route: 'taste/jobs/{jobId}', auth: 'user',
    summary: "A taste job's status: queued, running, completed or dead-lettered (404 for another user's job).",
    responses: { 200: { description: 'The status', schema: tasteJobStatus }, 404: problem, ...user },
  },
  handler: 'handlers/wardrobe/taste/taste.routes#job',
});

export const getTasteProfile = defineFunction({
  name: 'wardrobe-taste-profile',
  trigger: {
    kind: 'http', method: 'GET', route: 'taste/profile', auth: 'user',
    summary: "The caller's taste profile (404 until a quiz job has completed).",
    responses: { 200: { description: 'The profile', schema: tasteProfile }, 404: problem, ...user },
  },
  handler: 'handlers/wardrobe/taste/taste.routes#profile',
});

export const tasteFunctions: readonly FunctionDef[] = [getQuiz, respondToQuiz, completeQuiz, submitAnswers, getTasteJob, getTasteProfile];
