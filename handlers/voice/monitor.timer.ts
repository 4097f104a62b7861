/**
 * The training monitor (every minute): asks the provider about each voice in training and moves
 * it to `ready` or `failed`; a voice training past VOICE_TRAINING_TIMEOUT_MINUTES is failed
 * (`training_timeout`) and deleted at the provider. One firing per slot (two hosts, a restart),
 * so a poll is one tick of the offline provider's training. The change itself is
 * settleTraining's (training.ts, shared with the providers' callbacks): written only if unchanged
 * since read. One voice's failure is logged and never stops the others.
 */
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import { VoiceProviderError, type TrainingState } from '../../domain/voice/provider.ts';
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
import { oncePerSlot } from '../../jobs/slots.ts';
import type { Logger } from '../../middleware/logger.ts';
import { providerOf, type ProviderDeps } from './provider.ts';
import { voiceStores } from './store.ts';
import { PROVIDER_FAILURE_REASON, settleTraining } from './training.ts';

/** Voices looked at per firing; the rest wait for the next minute. */
const PER_RUN = 200;

export interface MonitorDeps extends ProviderDeps {
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
}

export interface MonitorSummary {
  checked: number;
  ready: number;
  failed: number;
  timedOut: number;
  errors: number;
}

export function createMonitor(deps: MonitorDeps) {
  const { voices } = voiceStores(deps.documents);

  return async function monitor(log: Logger): Promise<MonitorSummary> {
    const provider = providerOf(deps);
    const summary: MonitorSummary = { checked: 0, ready: 0, failed: 0, timedOut: 0, errors: 0 };
    const page = await voices.query({ filters: [{ field: 'status', op: '=', value: 'training' }], orderBy: { field: 'trainingStartedAt', direction: 'asc' }, limit: PER_RUN });
    const now = deps.clock.now();
    for (const voice of page.items) {
      summary.checked++;
      try {
        const started = Date.parse(voice.trainingStartedAt ?? voice.createdAt);
        if (now.getTime() - started > deps.settings.trainingTimeoutSeconds * 1000) {
          const minutes = Math.round(deps.settings.trainingTimeoutSeconds / 60);
          if (await settleTraining(deps, voice, { status: 'failed', code: 'training_timeout', reason: `The training did not finish within ${minutes} minutes.` })) summary.timedOut++;
          // Stop the provider's work too; a failure here is only logged (the voice is failed either way).
          if (voice.providerVoiceId) await provider.deleteVoice(voice.providerVoiceId).catch((error: unknown) => log.warn({ voiceId: voice.id, error: String(error) }, 'could not delete a timed-out voice at the provider'));
          continue;
        }
        let state: TrainingState;
        try {
          state = voice.providerVoiceId ? await provider.trainingStatus(voice.providerVoiceId) : { status: 'failed', reason: 'no provider voice' };
        } catch (error) {
          if (!(error instanceof VoiceProviderError) || error.reason !== 'not_found') throw error;
          state = { status: 'failed', reason: 'the provider no longer knows this voice' };
        }
        if (state.status === 'ready' && (await settleTraining(deps, voice, { status: 'ready' }))) summary.ready++;
        if (state.status === 'failed') {
          log.warn({ voiceId: voice.id, reason: state.reason }, 'voice training failed at the provider');
          if (await settleTraining(deps, voice, { status: 'failed', code: 'training_failed', reason: PROVIDER_FAILURE_REASON })) summary.failed++;
        }
      } catch (error) {
        summary.errors++;
        log.warn({ voiceId: voice.id, error: error instanceof Error ? error.message : String(error) }, 'could not check a voice in training; next run tries again');
      }
    }
    return summary;
  };
}

export const trainingMonitor = (deps: MonitorDeps, def: FunctionDef<TimerTrigger>): TimerLambda => {
  const monitor = createMonitor(deps);
  return oncePerSlot(
    def,
    async ({ slot }) => {
      const log = deps.logger.child({ function: def.name, slot });
      const summary = await monitor(log);
      if (summary.checked > 0) log.info({ ...summary }, 'training monitor run');
    },
    deps,
  );
};
