/**
 * The offline voice provider, for `npm install && npm start` with no account anywhere: real
 * speech from eSpeak-NG (WebAssembly, in-process), and a deterministic training that reports
 * `ready` at the N-th status poll (VOICE_OFFLINE_TRAINING_TICKS; the training monitor polls once
 * a tick). A "trained" voice is eSpeak's voice at a pitch derived from the samples' bytes, so two
 * voices trained on different samples sound different, and the same samples always alike.
 *
 * Its state (polls so far, deleted voices) lives in this process: a restart starts each training's
 * count again, which only delays it. The voice id carries the pitch, so synthesis needs no state.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AudioProcessor } from '../../domain/voice/audio.ts';
import { wavDurationSeconds } from '../../domain/voice/audio.ts';
import { VoiceProviderError, type SynthesizedAudio, type TrainingState, type VoiceProvider, type VoiceSample } from '../../domain/voice/provider.ts';
import { speak } from './espeak.ts';

const VOICE_ID = /^offline-p(\d{1,2})-[0-9a-f-]{36}$/;
const BASE_WORDS_PER_MINUTE = 175;

export interface OfflineProviderOptions {
  trainingTicks: number;
  /** Converts eSpeak's WAV to mp3 or opus. */
  audio: AudioProcessor;
}

/** 20-79: inside eSpeak's 0-99, away from the extremes that sound broken. */
function pitchOf(samples: readonly VoiceSample[]): number {
  const hash = createHash('sha256');
  for (const sample of samples) hash.update(sample.bytes);
  return 20 + (hash.digest()[0]! % 60);
}

export class OfflineVoiceProvider implements VoiceProvider {
  readonly name = 'offline' as const;
  readonly #options: OfflineProviderOptions;
  readonly #polls = new Map<string, number>();
  readonly #deleted = new Set<string>();

  constructor(options: OfflineProviderOptions) {
    this.#options = options;
  }

  async createVoice(request: Parameters<VoiceProvider['createVoice']>[0]): Promise<{ providerVoiceId: string }> {
    if (request.samples.length === 0) throw new VoiceProviderError('rejected', 'a voice needs at least one sample');
    const providerVoiceId = `offline-p${pitchOf(request.samples)}-${randomUUID()}`;
    this.#polls.set(providerVoiceId, 0);
    return { providerVoiceId };
  }

  async trainingStatus(providerVoiceId: string): Promise<TrainingState> {
    this.#pitch(providerVoiceId);
    const polls = (this.#polls.get(providerVoiceId) ?? 0) + 1;
    this.#polls.set(providerVoiceId, polls);
    return polls >= this.#options.trainingTicks ? { status: 'ready' } : { status: 'training' };
  }

  async deleteVoice(providerVoiceId: string): Promise<void> {
    this.#deleted.add(providerVoiceId);
    this.#polls.delete(providerVoiceId);
  }

  async synthesize(request: Parameters<VoiceProvider['synthesize']>[0]): Promise<SynthesizedAudio> {
    const pitch = this.#pitch(request.providerVoiceId);
    const wordsPerMinute = Math.round(Math.min(450, Math.max(80, BASE_WORDS_PER_MINUTE * (request.speed ?? 1))));
    const wav = await speak(request.text, { pitch, wordsPerMinute });
    const durationSeconds = wavDurationSeconds(wav);
    if (durationSeconds === undefined) throw new VoiceProviderError('unavailable', 'eSpeak-NG answered something other than a WAV');
    if (request.format === 'wav') return { bytes: wav, contentType: 'audio/wav', durationSeconds };
    const encoded = await this.#options.audio.encode(wav, request.format, request.signal ? { signal: request.signal } : {});
    return { ...encoded, durationSeconds };
  }

  /** The pitch the id carries; not_found for an id this provider never made, or deleted. */
  #pitch(providerVoiceId: string): number {
    const match = VOICE_ID.exec(providerVoiceId);
    if (!match || this.#deleted.has(providerVoiceId)) throw new VoiceProviderError('not_found', `no offline voice ${providerVoiceId}`);
    return Number(match[1]);
  }
}
