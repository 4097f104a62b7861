/**
 * The wardrobe's taste container: the quiz sessions. The tastes themselves live in the one user
 * profile (`../profile/store.ts`, its `styleConfidenceProfile`); the taste job's records and dead
 * letters in the containers its settings name (COSMOS_DB_TASTE_*), which the job runtime declares.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { QuizSession } from '../../../domain/wardrobe/taste-quiz.ts';

/** The quiz sessions (contract 7.6): id = sessionId, partitioned by the owner, so another user's id is 404. */
export const quizSessionsContainer: ContainerSpec = { name: 'taste-quiz-sessions', partitionKey: 'userId' };
export type QuizSessionDoc = QuizSession & Document;

export const tasteContainers: readonly ContainerSpec[] = [quizSessionsContainer];
