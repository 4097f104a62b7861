/**
 * What a media file holds, by ffprobe's JSON (container, duration, and per stream its codec,
 * dimensions, rate, frame count, sample rate): read from the headers, nothing decoded, so a caller
 * can refuse a file past its caps before any heavy work.
 */
import { runTool, ToolFailure, type ToolResult, type ToolRun } from './tool-process.ts';
import { passedPixelLimit, PixelLimitExceeded, toolPath } from './ffmpeg.ts';

export interface MediaStreamInfo {
  index: number;
  /** `video`, `audio`, `subtitle`, `data`, `attachment`. */
  type: string;
  codec?: string;
  width?: number;
  height?: number;
  /** Degrees the player turns the picture (display matrix or `rotate` tag): 90 and 270 swap width and height. */
  rotation?: number;
  /** Frames per second (the average rate, else the base rate). */
  frameRate?: number;
  /** Frames as the container declares them, or packets counted when asked (countPackets). */
  frames?: number;
  durationSeconds?: number;
  sampleRate?: number;
  channels?: number;
  /** An image attached as a cover, not a video track. */
  attachedPicture?: boolean;
}

export interface MediaInfo {
  /** ffprobe's demuxer names (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`). */
  formatName: string;
  durationSeconds?: number;
  bitRate?: number;
  streams: MediaStreamInfo[];
}

export interface ProbeOptions extends Pick<ToolRun, 'signal' | 'budgetMs'> {
  /** The demuxer to use (`mov`, `matroska`, `avi`, `wav`) instead of guessing from the content. */
  format?: string;
  /** Demux the whole file to count each stream's packets where the container declares no frame count (reads, does not decode). */
  countPackets?: boolean;
  /**
   * ffprobe decodes a frame or two of each stream to complete its parameters: a frame past this
   * many pixels is not decoded, and the probe rejects with PixelLimitExceeded. Counts padded
   * buffers, so give some headroom over an exact cap.
   */
  maxPixels?: number;
}

type Raw = Record<string, unknown>;

const positive = (value: unknown): number | undefined => {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
};

/** `30000/1001` -> 29.97; `0/0` -> undefined. */
const rate = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const [num, den] = value.split('/').map(Number);
  return num && den && Number.isFinite(num / den) && num / den > 0 ? num / den : undefined;
};

function rotationOf(stream: Raw): number | undefined {
  const sideData = Array.isArray(stream.side_data_list) ? (stream.side_data_list as Raw[]) : [];
  const matrix = sideData.find((entry) => typeof entry.rotation === 'number');
  const tag = (stream.tags as Raw | undefined)?.rotate;
  const degrees = matrix ? (matrix.rotation as number) : typeof tag === 'string' ? Number(tag) : undefined;
  return degrees === undefined || !Number.isFinite(degrees) ? undefined : ((Math.round(degrees) % 360) + 360) % 360;
}

function streamOf(raw: Raw): MediaStreamInfo {
  const defined = <T extends object>(fields: T): T => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
  const disposition = raw.disposition as Raw | undefined;
  return defined({
    index: typeof raw.index === 'number' ? raw.index : 0,
    type: typeof raw.codec_type === 'string' ? raw.codec_type : 'unknown',
    codec: typeof raw.codec_name === 'string' ? raw.codec_name : undefined,
    width: positive(raw.width),
    height: positive(raw.height),
    rotation: rotationOf(raw),
    frameRate: rate(raw.avg_frame_rate) ?? rate(raw.r_frame_rate),
    frames: positive(raw.nb_frames) ?? positive(raw.nb_read_packets),
    durationSeconds: positive(raw.duration),
    sampleRate: positive(raw.sample_rate),
    channels: positive(raw.channels),
    attachedPicture: disposition?.attached_pic === 1 ? true : undefined,
  });
}

/** Parses ffprobe's `-of json -show_format -show_streams`; undefined when it is not that shape. */
export function parseProbe(json: string): MediaInfo | undefined {
  let raw: Raw;
  try {
    raw = JSON.parse(json) as Raw;
  } catch {
    return undefined;
  }
  const format = raw.format as Raw | undefined;
  if (!format || typeof format.format_name !== 'string' || !Array.isArray(raw.streams)) return undefined;
  const info: MediaInfo = { formatName: format.format_name, streams: (raw.streams as Raw[]).map(streamOf) };
  const duration = positive(format.duration);
  const bitRate = positive(format.bit_rate);
  if (duration !== undefined) info.durationSeconds = duration;
  if (bitRate !== undefined) info.bitRate = bitRate;
  return info;
}

/** Probes the file at `path` (rejects with ToolFailure when ffprobe cannot read it, PixelLimitExceeded, processing_timeout past the deadline). */
export async function probeMedia(path: string, options: ProbeOptions): Promise<MediaInfo> {
  const args = ['-hide_banner', '-loglevel', 'error', '-of', 'json', '-show_format', '-show_streams'];
  if (options.countPackets) args.push('-count_packets');
  if (options.maxPixels) args.push('-max_pixels', String(Math.min(2 ** 31 - 1, Math.ceil(options.maxPixels))));
  if (options.format) args.push('-f', options.format);
  args.push('-protocol_whitelist', 'file,pipe', path);
  let result: ToolResult;
  try {
    result = await runTool(await toolPath('ffprobe'), args, { signal: options.signal, budgetMs: options.budgetMs, maxStdoutBytes: 4 * 1024 * 1024 });
  } catch (error) {
    throw error instanceof ToolFailure && passedPixelLimit(error.stderr) ? new PixelLimitExceeded() : error;
  }
  const { stdout, stderr } = result;
  // Some decoders refuse the frame and ffprobe still succeeds, reporting the stream as 0 × 0.
  if (passedPixelLimit(stderr)) throw new PixelLimitExceeded();
  const info = parseProbe(stdout.toString('utf8'));
  if (!info) throw new Error('ffprobe answered something other than its JSON');
  return info;
}
