/**
 * The audio port on ffprobe and ffmpeg (adapters/media). The container is sniffed from the first
 * bytes and the file is then read with that demuxer only, never ffmpeg's guess: a guessed
 * playlist (HLS, concat) could name other local files. Each call works in a private workspace,
 * removed however it ends.
 */
import { AUDIO_CONTENT_TYPES, AudioUnreadable, type AudioInfo, type AudioProcessor, type EncodedAudio } from '../../domain/voice/audio.ts';
import type { SynthesisFormat } from '../../domain/voice/provider.ts';
import { ffmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { ToolFailure } from '../media/tool-process.ts';
import { withWorkspace } from '../media/workspace.ts';

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** The demuxer for the file's content, or undefined when it is none of the audio containers taken. */
export function sniffAudioContainer(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') return 'wav';
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (ascii(bytes, 4, 8) === 'ftyp') return 'mov';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'matroska';
  // An ID3v2 tag, or an MPEG audio frame sync (11 bits set, layer bits not 00).
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  if (bytes[0] === 0xff && bytes[1] !== undefined && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0) return 'mp3';
  return undefined;
}

export interface AudioLimits {
  /** Deadline of one probe or conversion. */
  timeoutMs: number;
  /** Cap on what one conversion writes. */
  maxOutputBytes: number;
}

const DEFAULT_LIMITS: AudioLimits = { timeoutMs: 60_000, maxOutputBytes: 200 * 1024 * 1024 };

const ENCODERS: Readonly<Record<SynthesisFormat, { extension: string; options: readonly string[] }>> = {
  wav: { extension: 'wav', options: ['-c:a', 'pcm_s16le', '-f', 'wav'] },
  mp3: { extension: 'mp3', options: ['-c:a', 'libmp3lame', '-q:a', '4', '-f', 'mp3'] },
  opus: { extension: 'opus', options: ['-c:a', 'libopus', '-b:a', '48k', '-f', 'ogg'] },
};

function deadline(limits: AudioLimits, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

export function createAudioProcessor(limits: AudioLimits = DEFAULT_LIMITS): AudioProcessor {
  return {
    async inspect(bytes, signal): Promise<AudioInfo | undefined> {
      const container = sniffAudioContainer(bytes);
      if (!container) return undefined;
      return withWorkspace(async (workspace) => {
        const path = await workspace.write('input', bytes);
        let info;
        try {
          info = await probeMedia(path, { format: container, signal: deadline(limits, signal), budgetMs: limits.timeoutMs });
        } catch (error) {
          // The sniffed container does not parse: corrupt or truncated, not audio we can read.
          if (error instanceof ToolFailure) return undefined;
          throw error;
        }
        const audio = info.streams.find((stream) => stream.type === 'audio');
        if (!audio?.codec || !audio.sampleRate || !audio.channels) return undefined;
        const duration = audio.durationSeconds ?? info.durationSeconds;
        if (duration === undefined) return undefined;
        return {
          container: info.formatName,
          codec: audio.codec,
          durationSeconds: duration,
          sampleRate: audio.sampleRate,
          channels: audio.channels,
          ...(info.bitRate ? { bitRate: info.bitRate } : {}),
          hasVideo: info.streams.some((stream) => stream.type === 'video' && !stream.attachedPicture),
        };
      });
    },

    async encode(bytes, format, options = {}): Promise<EncodedAudio> {
      const container = sniffAudioContainer(bytes);
      if (!container) throw new AudioUnreadable('the input is not an audio container this adapter reads');
      const encoder = ENCODERS[format];
      return withWorkspace(async (workspace) => {
        const input = await workspace.write('input', bytes);
        const output = workspace.path(`output.${encoder.extension}`);
        const resample = [
          ...(options.sampleRate ? ['-ar', String(options.sampleRate)] : []),
          ...(options.channels ? ['-ac', String(options.channels)] : []),
        ];
        try {
          await ffmpeg(
            { inputs: [{ path: input, options: ['-f', container] }], outputs: [{ path: output, options: ['-map', '0:a:0', '-vn', '-map_metadata', '-1', ...resample, ...encoder.options] }] },
            { signal: deadline(limits, options.signal), budgetMs: limits.timeoutMs, outputs: { dir: workspace.dir, maxBytes: limits.maxOutputBytes } },
          );
        } catch (error) {
          // stderr stays here: it may quote the file.
          if (error instanceof ToolFailure) throw new AudioUnreadable(`ffmpeg could not decode it (exit ${error.exitCode})`);
          throw error;
        }
        return { bytes: new Uint8Array(await workspace.read(`output.${encoder.extension}`)), contentType: AUDIO_CONTENT_TYPES[format] };
      });
    },
  };
}
