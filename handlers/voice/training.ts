/**
 * How a training ends: the one place a voice moves from `training` to `ready` or `failed`, used
 * by the training monitor (polling the provider) and by the providers' callbacks
 * (POST /api/webhooks/{source}). The owner's `voice.ready` / `voice.failed` event is recorded
 * here too, once the change is written, so it is emitted once whichever path noticed the end.
 */
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { Stored } from '../../domain/ports.ts';
import { recordVoiceEvent, type EventDeps } from './events.ts';
import { voiceStores, type VoiceDoc } from './store.ts';

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
export async function settleTraining(deps: EventDeps, voice: Stored<VoiceDoc>, outcome: TrainingOutcome): Promise<boolean> {
  if (voice.status !== 'training') return false;
  const now = deps.clock.now().toISOString();
  const change: Partial<VoiceDoc> =
    outcome.status === 'ready' ? { status: 'ready', readyAt: now } : { status: 'failed', failure: { code: outcome.code, reason: outcome.reason } };
  let written: VoiceDoc;
  try {
    written = await voiceStores(deps.documents).voices.replace({ ...voice, ...change, updatedAt: now }, voice.etag);
  } catch (error) {
    if (error instanceof PreconditionFailedError) return false;
    throw error;
  }
  await recordVoiceEvent(deps, written);
  return true;
}
