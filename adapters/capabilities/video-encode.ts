/**
 * Re-encodes an opened video (video-input.ts) into a container, with the encoders this ffmpeg
 * has: H.264 (libx264) + AAC for mp4/mov/mkv, VP9 (libvpx-vp9) + Opus (libopus) for webm. When
 * the preferred encoder is missing the next of its family is used (MPEG-4 Part 2; VP8; Vorbis)
 * and the result says so. The first video track and the first audio track are kept; subtitles,
 * data, chapters and metadata (a phone's GPS position) are dropped. Shared by video-transcode
 * and video-compress.
 */
import { pluginUnavailable } from '../../domain/capabilities/errors.ts';
import { firstEncoder } from '../media/ffmpeg.ts';
import type { MediaInfo } from '../media/ffprobe.ts';
import type { Video } from './video-input.ts';

export type TargetFormat = 'mp4' | 'mov' | 'mkv' | 'webm';
export type Quality = 'high' | 'medium' | 'low';

interface Encoder {
  name: string;
  /** The codec it writes, as ffprobe names it. */
  codec: string;
  args(quality: Quality): string[];
}

const byQuality = <T>(high: T, medium: T, low: T): Record<Quality, T> => ({ high, medium, low });

// CRF per quality; x264's preset is veryfast: the functions have 2 cores and a deadline.
const X264_CRF = byQuality(23, 28, 33);
const VP9_CRF = byQuality(31, 37, 43);
const VP8_CRF = byQuality(10, 20, 30);
const MPEG4_Q = byQuality(3, 6, 10);
const AAC_RATE = byQuality('128k', '96k', '64k');
const OPUS_RATE = byQuality('96k', '64k', '48k');

// libvpx: `good` at cpu-used 5 is its fastest non-realtime setting; row-mt uses both threads.
const VPX_SPEED = ['-deadline', 'good', '-cpu-used', '5'];

const VIDEO_ENCODERS: Readonly<Record<'h264' | 'vp9', readonly Encoder[]>> = {
  h264: [
    { name: 'libx264', codec: 'h264', args: (q) => ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(X264_CRF[q]), '-pix_fmt', 'yuv420p'] },
    { name: 'mpeg4', codec: 'mpeg4', args: (q) => ['-c:v', 'mpeg4', '-q:v', String(MPEG4_Q[q]), '-pix_fmt', 'yuv420p'] },
  ],
  vp9: [
    { name: 'libvpx-vp9', codec: 'vp9', args: (q) => ['-c:v', 'libvpx-vp9', '-crf', String(VP9_CRF[q]), '-b:v', '0', ...VPX_SPEED, '-row-mt', '1', '-pix_fmt', 'yuv420p'] },
    // VP8's CRF needs a bitrate ceiling.
    { name: 'libvpx', codec: 'vp8', args: (q) => ['-c:v', 'libvpx', '-crf', String(VP8_CRF[q]), '-b:v', '4M', ...VPX_SPEED, '-pix_fmt', 'yuv420p'] },
  ],
};

const AUDIO_ENCODERS: Readonly<Record<'h264' | 'vp9', readonly Encoder[]>> = {
  h264: [{ name: 'aac', codec: 'aac', args: (q) => ['-c:a', 'aac', '-b:a', AAC_RATE[q]] }],
  vp9: [
    { name: 'libopus', codec: 'opus', args: (q) => ['-c:a', 'libopus', '-b:a', OPUS_RATE[q]] },
    { name: 'libvorbis', codec: 'vorbis', args: (q) => ['-c:a', 'libvorbis', '-b:a', OPUS_RATE[q]] },
  ],
};

interface Target {
  family: 'h264' | 'vp9';
  /** ffmpeg's muxer, and the demuxer that reads it back. */
  muxer: string;
  demuxer: string;
  contentType: string;
  extension: string;
  options: readonly string[];
}

// faststart: the index before the media, so a player starts before the whole file is in.
const TARGETS: Readonly<Record<TargetFormat, Target>> = {
  mp4: { family: 'h264', muxer: 'mp4', demuxer: 'mov', contentType: 'video/mp4', extension: 'mp4', options: ['-movflags', '+faststart'] },
  mov: { family: 'h264', muxer: 'mov', demuxer: 'mov', contentType: 'video/quicktime', extension: 'mov', options: ['-movflags', '+faststart'] },
  mkv: { family: 'h264', muxer: 'matroska', demuxer: 'matroska', contentType: 'video/x-matroska', extension: 'mkv', options: [] },
  webm: { family: 'vp9', muxer: 'webm', demuxer: 'matroska', contentType: 'video/webm', extension: 'webm', options: [] },
};

/** The container a video is re-encoded into to stay "the same": AVI's H.264 and AAC support is poor, so it becomes mp4. */
export const sameContainer = (container: string): TargetFormat => (container === 'mov' || container === 'mkv' || container === 'webm' ? container : 'mp4');

export interface EncodeOptions {
  format: TargetFormat;
  quality: Quality;
  maxHeight?: number;
  maxFps?: number;
}

export interface Encoded {
  bytes: Buffer;
  format: TargetFormat;
  contentType: string;
  extension: string;
  videoCodec: string;
  audioCodec?: string;
  /** Set when an encoder of the family stood in for the preferred one (or the audio was dropped). */
  fallback?: string;
  /** The output, probed. */
  info: MediaInfo;
}

/** Scale to even dimensions (4:2:0 needs them), no taller than maxHeight, never enlarged; cap the frame rate. */
function filters(video: Video, maxHeight?: number, maxFps?: number): string {
  const chain: string[] = [];
  if (maxFps && video.frameRate && video.frameRate > maxFps) chain.push(`fps=${maxFps}`);
  chain.push(maxHeight ? `scale=-2:'2*trunc(min(ih,${maxHeight})/2)'` : `scale='2*trunc(iw/2)':'2*trunc(ih/2)'`);
  return chain.join(',');
}

export async function encodeVideo(video: Video, plugin: string, options: EncodeOptions): Promise<Encoded> {
  const target = TARGETS[options.format];
  const videoEncoders = VIDEO_ENCODERS[target.family];
  const audioEncoders = AUDIO_ENCODERS[target.family];
  const videoName = await firstEncoder(videoEncoders.map((encoder) => encoder.name));
  const videoEncoder = videoEncoders.find((encoder) => encoder.name === videoName);
  if (!videoEncoder) throw pluginUnavailable(plugin, `this ffmpeg has none of the encoders ${videoEncoders.map((encoder) => encoder.name).join(', ')} for ${options.format}`);
  const audioName = video.hasAudio ? await firstEncoder(audioEncoders.map((encoder) => encoder.name)) : undefined;
  const audioEncoder = audioEncoders.find((encoder) => encoder.name === audioName);

  const notes: string[] = [];
  if (videoEncoder !== videoEncoders[0]) notes.push(`this ffmpeg has no ${videoEncoders[0]!.name}: the video is ${videoEncoder.codec}`);
  if (video.hasAudio && !audioEncoder) notes.push(`this ffmpeg has no ${audioEncoders.map((encoder) => encoder.name).join(' or ')}: the audio was dropped`);
  else if (audioEncoder && audioEncoder !== audioEncoders[0]) notes.push(`this ffmpeg has no ${audioEncoders[0]!.name}: the audio is ${audioEncoder.codec}`);

  const name = `output.${target.extension}`;
  await video.run([video.input()], [{
    path: video.workspace.path(name),
    options: [
      '-map', '0:v:0', ...(audioEncoder ? ['-map', '0:a:0?'] : []), '-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn',
      '-vf', filters(video, options.maxHeight, options.maxFps),
      ...videoEncoder.args(options.quality),
      ...(audioEncoder ? audioEncoder.args(options.quality) : ['-an']),
      // A track longer than its header said is cut at the cap, whatever the deadline allows.
      '-t', String(video.limits.maxDurationSeconds),
      ...target.options, '-f', target.muxer,
    ],
  }]);
  const info = await video.probe(name, target.demuxer);
  return {
    bytes: await video.workspace.read(name),
    format: options.format,
    contentType: target.contentType,
    extension: target.extension,
    videoCodec: videoEncoder.codec,
    ...(audioEncoder ? { audioCodec: audioEncoder.codec } : {}),
    ...(notes.length > 0 ? { fallback: notes.join('; ') } : {}),
    info,
  };
}

/** The JSON metadata of a probed video (an input or an output). */
export function describeVideo(info: MediaInfo): Record<string, unknown> {
  const video = info.streams.find((stream) => stream.type === 'video' && !stream.attachedPicture);
  const audio = info.streams.find((stream) => stream.type === 'audio');
  return {
    duration_seconds: info.durationSeconds ?? video?.durationSeconds ?? null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    frame_rate: video?.frameRate === undefined ? null : Math.round(video.frameRate * 1000) / 1000,
    frame_count: video?.frames ?? null,
    video_codec: video?.codec ?? null,
    audio_codec: audio?.codec ?? null,
  };
}
