/**
 * The `voice.synthesize` and `voice.synthesize-long` jobs (one module, two queues): speaks the
 * text with the voice at the provider and stores the audio in the synthesis container
 * (`<encoded user id>/<synthesis id>.<format>`), retried with backoff on transient failures; a
 * refusal, or a voice gone, fails the synthesis and dead-letters the job with the reason at once.
 * The last attempt records `failed` before the job runtime dead-letters it.
 */
import { AUDIO_CONTENT_TYPES } from '../../domain/voice/audio.ts';
import type { BlobStore, Clock, DocumentStore } from '../../domain/ports.ts';
import { VoiceProviderError } from '../../domain/voice/provider.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { PermanentJobError, type JobRun, type JobSpec } from '../../kernel/jobs.ts';
import { recordSynthesisEvent } from './events.ts';
import { synthesizeLongJob, synthesizeShortJob, type SynthesisPayload } from './jobs.ts';
import { providerOf, type ProviderDeps } from './provider.ts';
import { userPrefix, voiceStores, type SynthesisDoc } from './store.ts';

export interface SynthesizeJobDeps extends ProviderDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  jobRuntime: Pick<JobRuntimeDeps, 'settings'>;
}

export function createRun(deps: SynthesizeJobDeps): JobRun<SynthesisPayload> {
  const { syntheses, voices } = voiceStores(deps.documents);
  const maxAttempts = (doc: SynthesisDoc) => deps.jobRuntime.settings((doc.queue === 'long' ? synthesizeLongJob : synthesizeShortJob) as JobSpec).retry.maxAttempts;
  /** Writes the change; a synthesis that ends here (succeeded, failed) is told to its owner. */
  const update = async (id: string, change: Partial<SynthesisDoc>) => {
    const doc = await syntheses.get(id, id);
    if (doc) await recordSynthesisEvent(deps, await syntheses.upsert({ ...doc, ...change, updatedAt: deps.clock.now().toISOString() }));
  };

  return async ({ synthesisId }, context) => {
    const doc = await syntheses.get(synthesisId, synthesisId);
    if (!doc) return;
    // Finished already: a retry after the outcome was written but before its event was records it now (once, by its id).
    if (doc.status === 'succeeded' || doc.status === 'failed') return recordSynthesisEvent(deps, doc);
    await update(doc.id, { status: 'running' });
    try {
      const voice = await voices.get(doc.voiceId, doc.voiceId);
      if (!voice?.providerVoiceId || voice.status !== 'ready') throw new PermanentJobError(`voice ${doc.voiceId} is no longer ready`);
      const audio = await providerOf(deps).synthesize({
        providerVoiceId: voice.providerVoiceId, text: doc.text, format: doc.format, signal: context.signal, ...(doc.speed !== undefined ? { speed: doc.speed } : {}),
      });
      const blobName = `${userPrefix(doc.owner)}${doc.id}.${doc.format}`;
      const contentType = AUDIO_CONTENT_TYPES[doc.format];
      await deps.blobs.put(deps.settings.containers.synthesis, blobName, audio.bytes, contentType);
      await update(doc.id, { status: 'succeeded', audio: { blobName, contentType, durationSeconds: audio.durationSeconds, bytes: audio.bytes.length } });
      context.log.info({ synthesisId, durationSeconds: audio.durationSeconds }, 'synthesis done');
    } catch (error) {
      if (error instanceof PermanentJobError || (error instanceof VoiceProviderError && !error.transient)) {
        const failure = error instanceof PermanentJobError
          ? { code: 'voice_gone', reason: 'The voice was deleted or is no longer ready.' }
          : { code: 'provider_rejected', reason: 'The voice provider refused this text.' };
        await update(doc.id, { status: 'failed', failure });
        throw error instanceof PermanentJobError ? error : new PermanentJobError(`synthesis ${synthesisId}: ${error.message}`);
      }
      const last = context.attempt >= maxAttempts(doc);
      await update(doc.id, last ? { status: 'failed', failure: { code: 'synthesis_failed', reason: `The voice provider failed on each of ${context.attempt} attempts.` } } : { status: 'queued' });
      throw error;
    }
  };
}
