/**
 * The wardrobe's taste containers. The taste job's records and dead letters live in the
 * containers its settings name (COSMOS_DB_TASTE_*); the job runtime declares those.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { TasteAnswer, TasteScores } from '../../../domain/wardrobe/taste.ts';
import type { QuizSession } from '../../../domain/wardrobe/taste-quiz.ts';

/** One profile per user: id `profile`, partitioned by the owner. */
export const profilesContainer: ContainerSpec = { name: 'taste-profiles', partitionKey: 'userId' };
export const PROFILE_ID = 'profile';

export type TasteProfileDoc = Document &
  TasteScores & {
    userId: string;
    answers: TasteAnswer[];
    /** When the answers were submitted: an older submission never overwrites a newer one. */
    submittedAt: string;
    /** The job that wrote it. */
    jobId: string;
    /** Counts writes; part of the next submission's job id, so a resubmission after a change is a new job. */
    revision: number;
    updatedAt: string;
  };

/** The quiz sessions (contract 7.6): id = sessionId, partitioned by the owner, so another user's id is 404. */
export const quizSessionsContainer: ContainerSpec = { name: 'taste-quiz-sessions', partitionKey: 'userId' };
export type QuizSessionDoc = QuizSession & Document;

export const tasteContainers: readonly ContainerSpec[] = [profilesContainer, quizSessionsContainer];
