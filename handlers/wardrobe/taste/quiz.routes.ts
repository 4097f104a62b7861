/**
 * The taste quiz sessions (contract section 7.6; the upstream's GET always answered 500): a
 * session of one mood card per primary mood (the most trending seeded mood, else the built-in
 * catalogue's), the user's up/down responses, and the tastes inferred on completion, which the
 * taste job adds to the user's profile.
 */
import { AppError, notFound } from '../../../domain/errors.ts';
import { readModifyWrite } from '../../../domain/documents.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { PrimaryMood } from '../../../domain/wardrobe/moods.ts';
import { inferTastes, QUIZ_MAX_RESPONSES, QUIZ_TARGET_RESPONSES, quizCards, type QuizSession, type QuizSignal } from '../../../domain/wardrobe/taste-quiz.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { enqueueTasteSignal } from './jobs.ts';
import { MOODS_PARTITION, moodsContainer, type MoodDoc } from '../moods/store.ts';
import { quizSessionsContainer, type QuizSessionDoc } from './store.ts';

export interface QuizDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
}

export interface CompleteDeps extends Omit<QuizDeps, 'ids'> {
  jobs: Pick<JobClient, 'enqueue'>;
}

export interface RespondBody {
  signal: QuizSignal;
  cardPrimaryMood?: PrimaryMood;
  scrapedItemId?: string;
}

const sessionView = ({ etag: _etag, expiresAt: _expiresAt, ...session }: QuizSessionDoc & { etag?: string }): QuizSession => session;
const sessionIdOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.sessionId ?? '';
const missing = (id: string) => notFound(`No taste quiz session ${id}.`);

/** GET /api/taste/quiz: the caller's open session, or a new one. */
export const getQuiz = (deps: QuizDeps): PorticoHttpHandler => {
  const sessions = deps.documents.repository<QuizSessionDoc>(quizSessionsContainer);
  const moods = deps.documents.repository<MoodDoc>(moodsContainer);
  return async (_event, context) => {
    const userId = ownerOf(context);
    const open = await sessions.query({ partitionKey: userId, filters: [{ field: 'isComplete', op: '=', value: false }], orderBy: { field: 'createdAt', direction: 'desc' }, limit: 1 });
    if (open.items[0]) return json(200, sessionView(open.items[0]));
    const seeded = await moods.query({ partitionKey: MOODS_PARTITION, limit: 1000 });
    const id = deps.ids.next();
    const session: QuizSessionDoc = {
      id, userId, sessionId: id, phase: 'mood_cards', isComplete: false, createdAt: isoSeconds(deps.clock.now()), completedAt: null,
      inferredTastes: null, cards: quizCards(seeded.items), targetResponses: QUIZ_TARGET_RESPONSES, responses: [],
    };
    return json(200, sessionView(await sessions.create(session)));
  };
};

/** POST /api/taste/quiz/{sessionId}/respond: records one up/down; 404 for a session the caller does not have, 409 once complete. */
export const respond = (deps: QuizDeps): PorticoHttpHandler<RespondBody> => {
  const sessions = deps.documents.repository<QuizSessionDoc>(quizSessionsContainer);
  return async (event, context) => {
    const userId = ownerOf(context);
    const sessionId = sessionIdOf(event);
    const { signal, cardPrimaryMood, scrapedItemId } = event.json;
    const stored = await readModifyWrite(sessions, sessionId, userId, (current) => {
      if (!current) throw missing(sessionId);
      if (current.isComplete) throw new AppError(409, 'quiz_complete', 'This taste quiz session is complete; start a new one.');
      if (current.responses.length >= QUIZ_MAX_RESPONSES) throw new AppError(409, 'too_many_responses', `A session takes at most ${QUIZ_MAX_RESPONSES} responses.`);
      const response = { signal, ...(cardPrimaryMood ? { cardPrimaryMood } : {}), ...(scrapedItemId ? { scrapedItemId } : {}), respondedAt: isoSeconds(deps.clock.now()) };
      return { ...current, responses: [...current.responses, response] };
    });
    return json(200, { sessionId, responsesRecorded: stored!.responses.length, targetResponses: stored!.targetResponses });
  };
};

/**
 * POST /api/taste/quiz/{sessionId}/complete: infers the tastes, closes the session and enqueues
 * the taste job (one per session: completing again answers the same and enqueues the same job,
 * which also covers a crash between the close and the enqueue).
 */
export const complete = (deps: CompleteDeps): PorticoHttpHandler => {
  const sessions = deps.documents.repository<QuizSessionDoc>(quizSessionsContainer);
  return async (event, context) => {
    const userId = ownerOf(context);
    const sessionId = sessionIdOf(event);
    const stored = await readModifyWrite(sessions, sessionId, userId, (current) => {
      if (!current) throw missing(sessionId);
      if (current.isComplete) return undefined;
      return { ...current, phase: 'complete' as const, isComplete: true, completedAt: isoSeconds(deps.clock.now()), inferredTastes: inferTastes(current.cards, current.responses) };
    });
    const tastes = stored!.inferredTastes ?? { styleKeywords: [], brands: [] };
    await enqueueTasteSignal(deps, { userId, source: 'quiz', sourceId: sessionId, ...tastes }, context);
    return json(200, { sessionId, inferredTastes: stored!.inferredTastes });
  };
};
