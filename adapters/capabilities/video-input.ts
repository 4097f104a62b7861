/**
 * What every video plugin does with its input, written once: read it through the context, check
 * it is a video container we demux, write it to a private workspace, probe it (headers only) and
 * refuse it past the duration or pixel cap before any decoding, then hand the plugin an ffmpeg
 * bound to that input, the call's deadline (the context's, shortened by the plugin's
 * timeout_seconds) and the output cap. The workspace is removed however the call ends, and the
 * tools' failures become the service's refusals (stderr goes to the log, never to the client).
 * Plugin modules import this lazily, so listing them starts no process.
 */
import { numberOption } from '../../domain/capabilities/config.ts';
import { inputTooLarge, invalidInput, pluginUnavailable, unsupportedFormat } from '../../domain/capabilities/errors.ts';
import { sniffFormat } from '../../domain/capabilities/formats.ts';
import type { PluginConfig, PluginContext } from '../../domain/capabilities/plugin.ts';
import { ffmpeg, PixelLimitExceeded, type FfmpegFile } from '../media/ffmpeg.ts';
import { probeMedia, type MediaInfo, type MediaStreamInfo } from '../media/ffprobe.ts';
import { ToolFailure, ToolUnavailable } from '../media/tool-process.ts';
import { withWorkspace, type Workspace } from '../media/workspace.ts';
import { VIDEO_LIMIT_DEFAULTS } from './video-declarations.ts';

/** The containers taken (sniffed extension) and the demuxer each is read with: never ffmpeg's guess, which would follow playlists. */
const DEMUXERS: Readonly<Record<string, string>> = { mp4: 'mov', mov: 'mov', webm: 'matroska', mkv: 'matroska', avi: 'avi' };

export interface VideoLimits {
  maxDurationSeconds: number;
  maxPixels: number;
  timeoutMs: number;
  maxOutputBytes: number;
}

export function videoLimits(config: PluginConfig): VideoLimits {
  return {
    maxDurationSeconds: numberOption(config, 'max_duration_seconds', VIDEO_LIMIT_DEFAULTS.max_duration_seconds),
    maxPixels: numberOption(config, 'max_pixels', VIDEO_LIMIT_DEFAULTS.max_pixels),
    timeoutMs: numberOption(config, 'timeout_seconds', VIDEO_LIMIT_DEFAULTS.timeout_seconds) * 1000,
    maxOutputBytes: numberOption(config, 'max_output_bytes', VIDEO_LIMIT_DEFAULTS.max_output_bytes),
  };
}

export interface Video {
  workspace: Workspace;
  /** The input's container, by its content (`mp4`, `webm`...). */
  container: string;
  sizeBytes: number;
  info: MediaInfo;
  /** The video track used (the first that is not a cover picture). */
  stream: MediaStreamInfo;
  hasAudio: boolean;
  /** As displayed: rotation metadata applied (ffmpeg applies it when decoding). */
  width: number;
  height: number;
  /** Undefined when neither the container nor the track says (ffmpeg's work is then cut at the cap). */
  durationSeconds?: number;
  frameRate?: number;
  frames?: number;
  limits: VideoLimits;
  /** The input, for an ffmpeg call, with options placed before it (`-ss 2`). */
  input(options?: readonly string[]): FfmpegFile;
  /** Runs ffmpeg in the workspace within the deadline; outputs are workspace paths, capped at max_output_bytes together. */
  run(inputs: readonly FfmpegFile[], outputs: readonly FfmpegFile[]): Promise<void>;
  /** Probes a file of the workspace (an output, to report what was made). */
  probe(name: string, format: string): Promise<MediaInfo>;
}

const notAVideo = () => invalidInput('The input is not a video we can decode; it may be corrupt, truncated or of another type.');
const tooManyPixels = (stream: { width?: number; height?: number } | undefined, maxPixels: number) => {
  const size = stream?.width && stream.height ? `${stream.width} × ${stream.height} (${stream.width * stream.height} pixels a frame)` : 'larger than the cap';
  return inputTooLarge(`The video is ${size}; this plugin takes at most ${maxPixels} pixels a frame.`);
};

/** Turns the tools' failures into the service's refusals; AppErrors pass through. */
function refusal(error: unknown, plugin: string, ctx: PluginContext, limits: VideoLimits): unknown {
  if (error instanceof ToolUnavailable) return pluginUnavailable(plugin, error.message);
  if (error instanceof PixelLimitExceeded) return tooManyPixels(undefined, limits.maxPixels);
  if (error instanceof ToolFailure) {
    ctx.log.warn({ plugin, exit_code: error.exitCode, stderr: error.stderr }, 'ffmpeg refused the input');
    return notAVideo();
  }
  return error;
}

/** The largest of the durations known: a container cannot hide a long track behind a short header. */
function durationOf(info: MediaInfo, stream: MediaStreamInfo): number | undefined {
  const fromFrames = stream.frames && stream.frameRate ? stream.frames / stream.frameRate : undefined;
  const known = [info.durationSeconds, stream.durationSeconds, fromFrames].filter((value): value is number => value !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

function checkedStream(info: MediaInfo, limits: VideoLimits) {
  const stream = info.streams.find((candidate) => candidate.type === 'video' && !candidate.attachedPicture && candidate.width && candidate.height);
  if (!stream) throw invalidInput('The file has no video track we can read.');
  if (stream.width! * stream.height! > limits.maxPixels) throw tooManyPixels(stream, limits.maxPixels);
  const durationSeconds = durationOf(info, stream);
  if (durationSeconds !== undefined && durationSeconds > limits.maxDurationSeconds) {
    throw inputTooLarge(`The video lasts ${Math.round(durationSeconds * 10) / 10} s; this plugin takes at most ${limits.maxDurationSeconds} s.`);
  }
  const turned = stream.rotation === 90 || stream.rotation === 270;
  return { stream, durationSeconds, width: turned ? stream.height! : stream.width!, height: turned ? stream.width! : stream.height! };
}

/**
 * Opens the input video of `ctx` and runs `work` on it. Refusals: 415 when it is no video
 * container, 400 when it cannot be read or has no video track, 413 past max_duration_seconds or
 * max_pixels (from the headers, before decoding), 422 past the deadline (ffmpeg killed).
 */
export async function withVideo<T>(plugin: string, input: object, ctx: PluginContext, work: (video: Video) => Promise<T>): Promise<T> {
  const file = await ctx.source(input, 'video');
  const container = sniffFormat(file.bytes);
  const demuxer = container ? DEMUXERS[container] : undefined;
  if (!container || !demuxer) throw unsupportedFormat(container, Object.keys(DEMUXERS));
  const limits = videoLimits(ctx.config);
  const budgetMs = Math.min(ctx.deadline.remainingMs(), limits.timeoutMs);
  const signal = AbortSignal.any([ctx.deadline.signal, AbortSignal.timeout(limits.timeoutMs)]);
  // The decoders' own cap: ffprobe decodes a frame to complete its parameters, and a stream can grow
  // past its probed size mid-way. It counts padded (aligned) buffers, hence the headroom over the
  // exact cap, which is checked on the probed size.
  const decoderPixels = Math.min(2 ** 31 - 1, Math.ceil(limits.maxPixels * 2));

  try {
    return await withWorkspace(async (workspace) => {
      const path = await workspace.write(`input.${container}`, file.bytes);
      const info = await probeMedia(path, { signal, budgetMs, format: demuxer, countPackets: true, maxPixels: decoderPixels });
      const { stream, durationSeconds, width, height } = checkedStream(info, limits);
      const video: Video = {
        workspace, container, sizeBytes: file.bytes.byteLength, info, stream, width, height, limits,
        hasAudio: info.streams.some((candidate) => candidate.type === 'audio'),
        ...(durationSeconds !== undefined ? { durationSeconds } : {}),
        ...(stream.frameRate !== undefined ? { frameRate: stream.frameRate } : {}),
        ...(stream.frames !== undefined ? { frames: stream.frames } : {}),
        input: (options = []) => ({ path, options: [...options, '-max_pixels', String(decoderPixels), '-f', demuxer] }),
        async run(inputs, outputs) {
          await ffmpeg({ inputs, outputs }, { signal, budgetMs, outputs: { dir: workspace.dir, maxBytes: limits.maxOutputBytes } });
        },
        probe: (name, format) => probeMedia(workspace.path(name), { signal, budgetMs, format, countPackets: true }),
      };
      return await work(video);
    });
  } catch (error) {
    throw refusal(error, plugin, ctx, limits);
  }
}
