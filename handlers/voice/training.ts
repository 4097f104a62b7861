/**
 * How a training ends: the one place a voice moves from `training` to `ready` or `failed`, used
 * by the training monitor (polling the provider) and by the providers' callbacks
 * (POST /api/webhooks/{source}). Outgoing events about a voice becoming ready or failing belong
 * here too, so they are emitted once whichever path noticed the end.
 */
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { Clock, DocumentRepository, Stored } from '../../domain/ports.ts';
import type { VoiceDoc } from './store.ts';

/** What the client reads in `failure.code`: the provider's own words go to the log, never here. */
export type TrainingFailureCode = 'training_failed' | 'training_timeout';

export type TrainingOutcome = { status: 'ready' } | { status: 'failed'; code: TrainingFailureCode; reason: string };

/** The client-facing reason of a failure the provider reported. */
export const PROVIDER_FAILURE_REASON = 'The voice provider could not train this voice.';

/**
 * Ends the training of `voice` as read: written only if the voice is still `training` and
 * unchanged since it was read (ETag), so a voice deleted or settled meanwhile stays as it is.
 * True when this call made the change.
 */
export async function settleTraining(voices: DocumentRepository<VoiceDoc>, clock: Clock, voice: Stored<VoiceDoc>, outcome: TrainingOutcome): Promise<boolean> {
  if (voice.status !== 'training') return false;
  const now = clock.now().toISOString();
  const change: Partial<VoiceDoc> =
    outcome.status === 'ready' ? { status: 'ready', readyAt: now } : { status: 'failed', failure: { code: outcome.code, reason: outcome.reason } };
  try {
    await voices.replace({ ...voice, ...change, updatedAt: now }, voice.etag);
    return true;
  } catch (error) {
    if (error instanceof PreconditionFailedError) return false;
    throw error;
  }
}
