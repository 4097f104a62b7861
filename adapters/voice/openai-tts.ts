/**
 * OpenAI text to speech (`audio.speech`, the `openai` SDK) behind the voice provider port.
 *
 * OpenAI trains no voice from these samples: a "cloned" voice on this provider is one of the
 * built-in voices listed in OPENAI_TTS_VOICES, picked from the samples' bytes (the same samples
 * always get the same voice, different ones may differ). It does not sound like the user. So
 * createVoice is ready at once, trainingStatus is always ready and deleteVoice has nothing to
 * delete. (The SDK also has `audio.voices` and `audio.voiceConsents`, custom voices from a
 * consent recording, open to eligible accounts only; not used here.)
 *
 * The SDK does not retry (maxRetries 0): the job runtime retries transient failures with backoff,
 * and two retry loops would multiply. Its timeout is VOICE_PROVIDER_TIMEOUT_MS.
 */
import { createHash } from 'node:crypto';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAI } from 'openai';
import type { AudioProcessor } from '../../domain/voice/audio.ts';
import { abortAwareFetch } from '../http/abort-aware-fetch.ts';
import {
  OPENAI_SPEECH_MAX_CHARS,
  VoiceProviderError,
  type SynthesizedAudio,
  type TrainingState,
  type VoiceProvider,
  type VoiceProviderSettings,
  type VoiceSample,
} from '../../domain/voice/provider.ts';
import { callFailure, deadline, measuredAudio, statusFailure } from './remote.ts';

export type OpenAITtsOptions = Omit<Extract<VoiceProviderSettings, { provider: 'openai' }>, 'provider'> & { audio: AudioProcessor };

const VOICE_ID = /^openai:([A-Za-z0-9][A-Za-z0-9._:-]*)$/;

/** An SDK failure in the port's words (the shared classification, by status). */
export function openAIFailure(what: string, error: unknown, signal: AbortSignal): VoiceProviderError {
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return new VoiceProviderError('timeout', `${what} timed out or was aborted`);
  if (error instanceof APIConnectionError) return callFailure(what, error, signal);
  if (error instanceof APIError && error.status !== undefined) return statusFailure(what, error.status, error.headers);
  return callFailure(what, error, signal);
}

export class OpenAITtsVoiceProvider implements VoiceProvider {
  readonly name = 'openai' as const;
  readonly #options: OpenAITtsOptions;
  readonly #client: OpenAI;

  constructor(options: OpenAITtsOptions) {
    if (options.voices.length === 0) throw new Error('OpenAITtsVoiceProvider needs at least one voice');
    this.#options = options;
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: options.timeoutMs,
      logLevel: 'off',
      // So the SDK tells its own timeout from a broken connection under Jest's VM realm too.
      fetch: abortAwareFetch,
    });
  }

  async createVoice(request: Parameters<VoiceProvider['createVoice']>[0]): Promise<{ providerVoiceId: string }> {
    if (request.samples.length === 0) throw new VoiceProviderError('rejected', 'a voice needs at least one sample');
    return { providerVoiceId: `openai:${this.#presetFor(request.samples)}` };
  }

  async trainingStatus(providerVoiceId: string): Promise<TrainingState> {
    this.#voice(providerVoiceId);
    return { status: 'ready' };
  }

  async deleteVoice(_providerVoiceId: string): Promise<void> {
    // A preset voice is OpenAI's, not the user's: nothing was stored there to delete.
  }

  async synthesize(request: Parameters<VoiceProvider['synthesize']>[0]): Promise<SynthesizedAudio> {
    const voice = this.#voice(request.providerVoiceId);
    const what = 'OpenAI speech';
    // The settings keep VOICE_TEXT_MAX_CHARS within this; a longer text would only be a 400.
    if (request.text.length > OPENAI_SPEECH_MAX_CHARS) throw new VoiceProviderError('rejected', `${what} takes at most ${OPENAI_SPEECH_MAX_CHARS} characters`);
    // The SDK's own timeout covers the headers; this one also bounds reading the audio.
    const signal = deadline(this.#options.timeoutMs, request.signal);
    let bytes: Uint8Array;
    try {
      const response = await this.#client.audio.speech.create(
        { model: this.#options.model, voice, input: request.text, response_format: request.format, ...(request.speed === undefined ? {} : { speed: request.speed }) },
        { signal },
      );
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw openAIFailure(what, error, signal);
    }
    return measuredAudio(what, bytes, request.format, this.#options.audio, request.signal);
  }

  #presetFor(samples: readonly VoiceSample[]): string {
    const hash = createHash('sha256');
    for (const sample of samples) hash.update(sample.bytes);
    return this.#options.voices[hash.digest().readUInt32BE(0) % this.#options.voices.length]!;
  }

  /** The preset a voice id names; not_found for an id this provider never made. */
  #voice(providerVoiceId: string): string {
    const match = VOICE_ID.exec(providerVoiceId);
    if (!match) throw new VoiceProviderError('not_found', 'not an OpenAI voice id');
    return match[1]!;
  }
}
