/** The wardrobe's taste routes. The job's worker functions are derived from the job list. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { answersRequest, jobAccepted, quizResponse, tasteJobStatus, tasteProfile } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const user = { 401: problem, 429: problem };

export const getQuiz = defineFunction({
  name: 'wardrobe-taste-quiz',
  trigger: {
    kind: 'http', method: 'GET', route: 'taste/quiz', auth: 'user',
    summary: 'The taste quiz: a fixed, versioned bank of questions and options.',
    responses: { 200: { description: 'The questions', schema: quizResponse }, ...user },
  },
  handler: 'handlers/wardrobe/taste/taste.routes#quiz',
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

export const tasteFunctions: readonly FunctionDef[] = [getQuiz, submitAnswers, getTasteJob, getTasteProfile];
