/**
 * The voice provider port (seed 002, voice cloning): what the voice service needs from a
 * text-to-speech and voice-training provider. Adapters: Azure AI Speech (REST: neural TTS and
 * personal voice training), OpenAI TTS (`audio.speech`; no training: its voices are fixed), and
 * an offline provider for `npm start` (real speech from eSpeak-NG built to WASM, and a
 * deterministic training that completes after a configured number of monitor ticks).
 */

export type SynthesisFormat = 'wav' | 'mp3' | 'opus';

export interface VoiceSample {
  bytes: Uint8Array;
  /** The normalised sample: 16 kHz mono WAV. */
  contentType: string;
}

export interface Consent {
  statement: string;
  acceptedAt: string;
  /** The speaker reading the statement, when the user uploaded one (providers that verify consent by voice need it). */
  recording?: VoiceSample;
}

export interface TrainingState {
  status: 'training' | 'ready' | 'failed';
  /** Why it failed, in the provider's words (kept out of client messages where it might leak). */
  reason?: string;
}

export interface SynthesizedAudio {
  bytes: Uint8Array;
  contentType: string;
  durationSeconds: number;
}

export interface VoiceProvider {
  readonly name: 'azure-speech' | 'openai' | 'offline';
  /** Starts training a voice from ready samples; answers the provider's id for it. */
  createVoice(request: { displayName: string; samples: readonly VoiceSample[]; consent: Consent; signal?: AbortSignal }): Promise<{ providerVoiceId: string }>;
  trainingStatus(providerVoiceId: string, signal?: AbortSignal): Promise<TrainingState>;
  /** Idempotent: a voice already gone is not an error. */
  deleteVoice(providerVoiceId: string, signal?: AbortSignal): Promise<void>;
  synthesize(request: { providerVoiceId: string; text: string; format: SynthesisFormat; speed?: number; signal?: AbortSignal }): Promise<SynthesizedAudio>;
}

export type VoiceProviderFailure = 'rate_limited' | 'unavailable' | 'timeout' | 'rejected' | 'not_found';

/** A provider call that failed; `transient` ones are retried by the job runtime, the rest are dead-lettered. */
export class VoiceProviderError extends Error {
  readonly reason: VoiceProviderFailure;
  readonly retryAfterSeconds: number | undefined;
  constructor(reason: VoiceProviderFailure, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'VoiceProviderError';
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get transient(): boolean {
    return this.reason === 'rate_limited' || this.reason === 'unavailable' || this.reason === 'timeout';
  }
}

/** The longest text OpenAI's speech endpoint takes in one call (the settings cap VOICE_TEXT_MAX_CHARS to it). */
export const OPENAI_SPEECH_MAX_CHARS = 4096;

/** Which provider the voice service uses, and what each one needs (its keys, endpoints and defaults). */
export type VoiceProviderSettings =
  | {
      provider: 'offline';
      /** The offline provider's training reports `ready` at this status poll (monitor tick). */
      offlineTrainingTicks: number;
    }
  | {
      provider: 'azure-speech';
      subscriptionKey: string;
      /** Neural TTS (`https://{region}.tts.speech.microsoft.com`). */
      ttsEndpoint: string;
      /** The custom voice API (`https://{region}.api.cognitive.microsoft.com`). */
      apiEndpoint: string;
      /** The personal voice base model (`DragonLatestNeural`). */
      baseModel: string;
      /** The samples' and consent's locale (BCP-47). */
      locale: string;
      /** Named in the consent statement the user records. */
      companyName: string;
      timeoutMs: number;
    }
  | {
      provider: 'openai';
      apiKey: string;
      baseURL: string | undefined;
      model: string;
      /** The built-in voices an enrollment is mapped to (OpenAI trains none). */
      voices: readonly string[];
      timeoutMs: number;
    };
