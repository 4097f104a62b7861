/**
 * The `voice.enroll` job: starts the training of a queued voice with the provider, from its
 * samples' normalised WAVs, and marks it `training` (the training monitor takes it from there).
 *
 * The provider call runs once per job (`context.once`), so a retry after a failed write does not
 * start a second training. A refusal by the provider fails the voice and dead-letters the job at
 * once (retrying cannot change it); a transient failure is retried with backoff, and the last attempt fails the voice
 * before the job runtime dead-letters the job with its reason.
 */
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { BlobStore, Clock, DocumentStore, Stored } from '../../domain/ports.ts';
import { VoiceProviderError, type VoiceSample } from '../../domain/voice/provider.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { PermanentJobError, type JobRun, type JobSpec } from '../../kernel/jobs.ts';
import { recordVoiceEvent } from './events.ts';
import { enrollJob, type EnrollPayload } from './jobs.ts';
import { providerOf, type ProviderDeps } from './provider.ts';
import { voiceStores, type VoiceDoc } from './store.ts';

export interface EnrollJobDeps extends ProviderDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  jobRuntime: Pick<JobRuntimeDeps, 'settings'>;
}

export function createRun(deps: EnrollJobDeps): JobRun<EnrollPayload> {
  const { samples, voices } = voiceStores(deps.documents);
  const maxAttempts = () => deps.jobRuntime.settings(enrollJob as JobSpec).retry.maxAttempts;

  /**
   * Writes the change if the voice is still as read; a voice deleted or changed meanwhile is left
   * alone. A voice failed here is told to its owner (voice.failed).
   */
  async function update(voice: Stored<VoiceDoc>, change: Partial<VoiceDoc>): Promise<void> {
    try {
      await recordVoiceEvent(deps, await voices.replace({ ...voice, ...change, updatedAt: deps.clock.now().toISOString() }, voice.etag));
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }

  /** A sample's normalised WAV; a sample gone since enrollment fails the voice. */
  async function load(voice: VoiceDoc, sampleId: string): Promise<VoiceSample> {
    const sample = await samples.get(sampleId, sampleId);
    const wav = sample?.normalised && (await deps.blobs.get(deps.settings.containers.samples, sample.normalised.wav));
    if (!wav) throw new PermanentJobError(`sample ${sampleId} of voice ${voice.id} is gone`);
    return { bytes: wav.bytes, contentType: wav.contentType };
  }

  return async ({ voiceId }, context) => {
    const voice = await voices.get(voiceId, voiceId);
    if (!voice || voice.status !== 'queued') {
      // A retry after the failure was written but before its event was: record it now (once, by its id).
      if (voice?.status === 'failed') await recordVoiceEvent(deps, voice);
      return context.log.info({ voiceId, status: voice?.status }, 'voice is not queued (deleted or already started); nothing to do');
    }
    const provider = providerOf(deps);
    try {
      const loaded: VoiceSample[] = [];
      for (const sampleId of voice.sampleIds) loaded.push(await load(voice, sampleId));
      const { recordingSampleId, ...consent } = voice.consent;
      const recording = recordingSampleId === undefined ? undefined : await load(voice, recordingSampleId);
      const { providerVoiceId } = await context.once('create-voice', () =>
        provider.createVoice({ displayName: voice.displayName, samples: loaded, consent: { ...consent, ...(recording ? { recording } : {}) }, signal: context.signal }),
      );
      await update(voice, { status: 'training', providerVoiceId, trainingStartedAt: deps.clock.now().toISOString() });
      context.log.info({ voiceId, provider: provider.name }, 'voice training started');
    } catch (error) {
      if (error instanceof PermanentJobError || (error instanceof VoiceProviderError && !error.transient)) {
        const reason = error instanceof VoiceProviderError ? 'The voice provider refused the samples.' : 'A sample of this voice is gone.';
        await update(voice, { status: 'failed', failure: { code: 'provider_rejected', reason } });
        // Dead-lettered at once, with the reason: retrying cannot change it.
        throw new PermanentJobError(`voice ${voiceId}: ${error.message}`);
      }
      if (context.attempt >= maxAttempts()) {
        await update(voice, { status: 'failed', failure: { code: 'training_failed', reason: `The voice provider failed on each of ${context.attempt} attempts.` } });
      }
      throw error;
    }
  };
}
