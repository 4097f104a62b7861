/**
 * What the remote voice providers (Azure AI Speech, OpenAI TTS) share: how their failures read
 * in the port's words, so both classify alike, and the measure of the audio they answer.
 * Failures: 429 is rate_limited (with the provider's wait),
 * 5xx and a broken connection unavailable, our deadline or the caller's abort timeout, 404
 * not_found, any other 4xx rejected. Messages name the call and the status only: never the key,
 * never the provider's body (it can echo what we sent).
 */
import { AUDIO_CONTENT_TYPES, wavDurationSeconds, type AudioProcessor } from '../../domain/voice/audio.ts';
import { VoiceProviderError, type SynthesisFormat, type SynthesizedAudio } from '../../domain/voice/provider.ts';
import { retryAfterSeconds } from '../http/retry-after.ts';
import { sniffAudioContainer } from './audio.ts';

/** `what` names the call (`Azure Speech synthesis`), for the log. */
export function statusFailure(what: string, status: number, headers?: Headers): VoiceProviderError {
  const message = `${what} failed (status ${status})`;
  if (status === 429) return new VoiceProviderError('rate_limited', message, retryAfterSeconds(headers));
  if (status === 408) return new VoiceProviderError('timeout', message);
  if (status >= 500) return new VoiceProviderError('unavailable', message, retryAfterSeconds(headers));
  if (status === 404) return new VoiceProviderError('not_found', message);
  return new VoiceProviderError('rejected', message);
}

/**
 * A call that got no answer: timeout when `signal` (our deadline joined with the caller's) has
 * fired, else the connection failed. Checked by the signal, not the error's class: an abort
 * raised in another realm (Jest's VM context) is not an instance of this realm's DOMException.
 */
export function callFailure(what: string, error: unknown, signal: AbortSignal): VoiceProviderError {
  if (error instanceof VoiceProviderError) return error;
  if (signal.aborted) return new VoiceProviderError('timeout', `${what} timed out or was aborted`);
  return new VoiceProviderError('unavailable', `${what} could not reach the provider`);
}

/** Our deadline for one call, joined with the caller's signal when there is one. */
export function deadline(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

/** The container each format must arrive in (Opus comes in Ogg). */
const CONTAINERS: Readonly<Record<SynthesisFormat, string>> = { wav: 'wav', mp3: 'mp3', opus: 'ogg' };

/**
 * The provider's answer as the port's audio, with its duration: a WAV's from its header, an
 * mp3's or opus's from ffprobe (the audio port). An answer that is not audio of the format asked
 * for is the provider misbehaving: unavailable, so the job retries.
 */
export async function measuredAudio(what: string, bytes: Uint8Array, format: SynthesisFormat, audio: AudioProcessor, signal?: AbortSignal): Promise<SynthesizedAudio> {
  const notAudio = () => new VoiceProviderError('unavailable', `${what} answered something other than ${format} audio`);
  if (sniffAudioContainer(bytes) !== CONTAINERS[format]) throw notAudio();
  const durationSeconds = format === 'wav' ? wavDurationSeconds(bytes) : (await audio.inspect(bytes, signal))?.durationSeconds;
  if (durationSeconds === undefined) throw notAudio();
  return { bytes, contentType: AUDIO_CONTENT_TYPES[format], durationSeconds };
}
