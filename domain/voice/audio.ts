/**
 * The audio port of the voice service: what an uploaded file holds (read from its content, not
 * its name or declared type), and conversions to the normalised sample and to playback formats.
 * The adapter runs ffprobe and ffmpeg (adapters/voice/audio.ts).
 */
import type { SynthesisFormat } from './provider.ts';

export interface AudioInfo {
  /** The demuxer's names (`wav`, `mp3`, `ogg`, `mov,mp4,m4a,3gp,3g2,mj2`). */
  container: string;
  /** The first audio stream's codec (`pcm_s16le`, `mp3`, `opus`, `aac`). */
  codec: string;
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  bitRate?: number;
  /** Whether the file also carries video (a picture track that is not a cover). */
  hasVideo: boolean;
}

export interface EncodedAudio {
  bytes: Uint8Array;
  contentType: string;
}

export const AUDIO_CONTENT_TYPES: Readonly<Record<SynthesisFormat, string>> = { wav: 'audio/wav', mp3: 'audio/mpeg', opus: 'audio/ogg; codecs=opus' };

/** The file could not be decoded (corrupt or truncated past its headers): the input's fault, not the service's. */
export class AudioUnreadable extends Error {
  constructor(message = 'the audio could not be decoded') {
    super(message);
    this.name = 'AudioUnreadable';
  }
}

export interface AudioProcessor {
  /** What the file holds; undefined when it is not audio at all (no audio stream, or not a media file). */
  inspect(bytes: Uint8Array, signal?: AbortSignal): Promise<AudioInfo | undefined>;
  /** The first audio stream as `format`, resampled to `sampleRate` and `channels` when given; AudioUnreadable when it cannot be decoded. */
  encode(bytes: Uint8Array, format: SynthesisFormat, options?: { sampleRate?: number; channels?: number; signal?: AbortSignal }): Promise<EncodedAudio>;
}

/** The duration of a PCM WAV from its header (fmt byte rate, data size); undefined when it is not one. */
export function wavDurationSeconds(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === 'fmt ' && at + 16 <= bytes.length) byteRate = view.getUint32(at + 16, true);
    if (tag(at) === 'data') {
      if (!byteRate) return undefined;
      // A streamed WAV declares 0 or 0xFFFFFFFF: what is there is the data.
      const dataBytes = size === 0 || size === 0xffffffff ? bytes.length - at - 8 : Math.min(size, bytes.length - at - 8);
      return dataBytes / byteRate;
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
