/**
 * The taste job: scores the answers (pure domain) and writes the profile with a conditional
 * read-modify-write. A 412 re-reads and retries, up to TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES;
 * past that the attempt fails with the reason, and the job runtime retries it with backoff
 * and finally dead-letters it (TASTE_JOB_* settings). The style scores then go to the user's one
 * profile as its `styleConfidenceProfile`, where the digest reads the inferred styles.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { scoreTaste } from '../../../domain/wardrobe/taste.ts';
import type { JobRun } from '../../../kernel/jobs.ts';
import { PROFILE_ID, profilesContainer, type TasteProfileDoc } from './store.ts';
import { updateServerFields } from '../profile/store.ts';
import type { TasteJobPayload } from './schemas.ts';
import type { TasteSettings } from './settings.ts';

/** Retryable: another writer may be done next time. */
export class ProfileConflictError extends Error {
  constructor(writes: number) {
    super(`profile_update_conflict: the taste profile changed under every one of ${writes} conditional writes (412 each time; TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES=${writes - 1}).`);
    this.name = 'ProfileConflictError';
  }
}

export interface TasteJobDeps {
  documents: DocumentStore;
  clock: Clock;
  settings: { taste: Pick<TasteSettings, 'profileUpdateMaxRetries'> };
}

export function createRun(deps: TasteJobDeps): JobRun<TasteJobPayload> {
  const profiles = deps.documents.repository<TasteProfileDoc>(profilesContainer);
  const writes = deps.settings.taste.profileUpdateMaxRetries + 1;
  return async (payload, context) => {
    const scores = scoreTaste(payload.answers);
    let stored: TasteProfileDoc | undefined;
    try {
      stored = await readModifyWrite(
        profiles,
        PROFILE_ID,
        payload.userId,
        (current) => {
          // Already written by an earlier delivery of this job, or newer answers are stored: leave it.
          if (current && (current.jobId === context.jobId || current.submittedAt > payload.submittedAt)) return undefined;
          return {
            id: PROFILE_ID,
            userId: payload.userId,
            ...scores,
            answers: payload.answers,
            submittedAt: payload.submittedAt,
            jobId: context.jobId,
            revision: (current?.revision ?? 0) + 1,
            updatedAt: deps.clock.now().toISOString(),
          };
        },
        writes,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'concurrent_update') throw new ProfileConflictError(writes);
      throw error;
    }
    // Also when an earlier delivery wrote the taste profile and failed here; not when newer answers won.
    if (stored?.jobId === context.jobId) {
      await updateServerFields(deps.documents, payload.userId, { styleConfidenceProfile: stored.dimensions.style }, deps.clock.now());
    }
    context.log.info({ preferences: scores.preferences.length, answered: scores.answered }, 'taste profile written');
  };
}
