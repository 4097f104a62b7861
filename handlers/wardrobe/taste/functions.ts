/** The wardrobe's taste quiz routes. The taste job's worker functions are derived from the job list. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { completeResponse, quizSession, respondRequest, respondResponse } from './schemas.ts';

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
    summary: "Completes the session and answers the inferred tastes; a taste job adds them to the profile's styleConfidenceProfile. Completing it again answers the same and enqueues nothing new.",
    responses: { 200: { description: 'The inferred tastes', schema: completeResponse }, 404: problem, ...user },
  },
  handler: 'handlers/wardrobe/taste/quiz.routes#complete',
});

export const tasteFunctions: readonly FunctionDef[] = [getQuiz, respondToQuiz, completeQuiz];
