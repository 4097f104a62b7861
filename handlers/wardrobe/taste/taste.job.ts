/**
 * The taste job: adds one signal to the user's profile (`styleConfidenceProfile`, the pure rules
 * of domain/wardrobe/taste.ts) with a conditional read-modify-write. A 412 re-reads and retries,
 * up to TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES; past that the attempt fails with the reason, and
 * the job runtime retries it with backoff and finally dead-letters it (TASTE_JOB_* settings).
 * A redelivery finds its id among the applied signals and changes nothing.
 */
import { AppError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { applyTasteSignal } from '../../../domain/wardrobe/taste.ts';
import type { JobRun } from '../../../kernel/jobs.ts';
import { changeServerFields } from '../profile/store.ts';
import type { TasteJobPayload } from './schemas.ts';
import type { TasteSettings } from './settings.ts';

/** Retryable: another writer may be done next time. */
export class ProfileConflictError extends Error {
  constructor(writes: number) {
    super(`profile_update_conflict: the profile changed under every one of ${writes} conditional writes (412 each time; TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES=${writes - 1}).`);
    this.name = 'ProfileConflictError';
  }
}

export interface TasteJobDeps {
  documents: DocumentStore;
  clock: Clock;
  settings: { taste: Pick<TasteSettings, 'profileUpdateMaxRetries'> };
}

export function createRun(deps: TasteJobDeps): JobRun<TasteJobPayload> {
  const writes = deps.settings.taste.profileUpdateMaxRetries + 1;
  return async (payload, context) => {
    const signal = { id: context.jobId, source: payload.source, styleKeywords: payload.styleKeywords, brands: payload.brands, at: payload.submittedAt };
    let result;
    try {
      result = await changeServerFields(
        deps.documents,
        payload.userId,
        (current) => {
          const next = applyTasteSignal(current.styleConfidenceProfile, signal);
          return next ? { styleConfidenceProfile: { ...next } } : undefined;
        },
        deps.clock.now(),
        writes,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'concurrent_update') throw new ProfileConflictError(writes);
      throw error;
    }
    context.log.info({ source: payload.source, keywords: payload.styleKeywords.length, brands: payload.brands.length, applied: result.changed }, 'taste signal applied');
  };
}
