/**
 * video-screenshot: stills of a video at given timestamps, or `count` of them evenly spaced (the
 * middle of each of `count` equal spans, so never the black first frame or past the end), as png,
 * jpeg or webp, no wider than max_width. One short ffmpeg run per frame (a fast seek to the
 * keyframe before it, then decoding to the exact time): one decoder in memory at a time, however
 * many frames. All frames are made before any is stored, so a refusal writes nothing.
 *
 * Mode `both`: a still costs a seek and a few decoded frames, well within a synchronous call.
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { numberOption, stringOption } from '../../../domain/capabilities/config.ts';
import { invalidInput, pluginUnavailable } from '../../../domain/capabilities/errors.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { VIDEO_LIMIT_DEFAULTS, videoSource, videoToolsHealth } from '../video-declarations.ts';

type FrameFormat = 'png' | 'jpeg' | 'webp';

export interface ScreenshotInput {
  video_url?: string;
  video_base64?: string;
  options?: { timestamps?: number[]; count?: number; format?: FrameFormat; max_width?: number; quality?: number };
}

const NAME = 'video-screenshot';
const MAX_FRAMES = 20;

const FRAME_FORMATS: Readonly<Record<FrameFormat, { encoder: string; contentType: string; extension: string; args(quality: number): string[] }>> = {
  png: { encoder: 'png', contentType: 'image/png', extension: 'png', args: () => ['-c:v', 'png'] },
  // mjpeg's scale is 2 (best) to 31; yuvj420p is the full-range JPEG players expect.
  jpeg: { encoder: 'mjpeg', contentType: 'image/jpeg', extension: 'jpg', args: (q) => ['-c:v', 'mjpeg', '-q:v', String(Math.round(2 + ((100 - q) * 29) / 99)), '-pix_fmt', 'yuvj420p'] },
  webp: { encoder: 'libwebp', contentType: 'image/webp', extension: 'webp', args: (q) => ['-c:v', 'libwebp', '-quality', String(q)] },
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export default definePlugin<ScreenshotInput>({
  name: NAME,
  display_name: 'Video screenshots',
  category: 'video',
  mode: 'both',
  packages: ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'],
  limits: { ...VIDEO_LIMIT_DEFAULTS, max_frames: MAX_FRAMES },
  inputSchema: fileInputSchema(videoSource, {
    properties: {
      timestamps: {
        type: 'array', minItems: 1, maxItems: MAX_FRAMES, items: { type: 'number', minimum: 0, maximum: 86_400 },
        description: `Seconds from the start, one still each (at most ${MAX_FRAMES}); each must fall before the end.`,
      },
      count: { type: 'integer', minimum: 1, maximum: MAX_FRAMES, description: 'Stills evenly spread over the video, instead of timestamps (default 1: the middle).' },
      format: { enum: ['png', 'jpeg', 'webp'], description: 'Image format (default png).' },
      max_width: { type: 'integer', minimum: 16, maximum: 7680, description: 'Scale down to at most this width (height follows); never enlarged.' },
      quality: { type: 'integer', minimum: 1, maximum: 100, description: 'jpeg/webp quality (default 85).' },
    },
  }),
  health: videoToolsHealth,
  async process(input, ctx) {
    const { withVideo } = await import('../video-input.ts');
    const { firstEncoder } = await import('../../media/ffmpeg.ts');
    const { describeVideo } = await import('../video-encode.ts');
    const options = input.options ?? {};
    const format = options.format ?? (stringOption(ctx.config, 'default_format', 'png') as FrameFormat);
    const spec = FRAME_FORMATS[format];
    if (!spec) throw invalidInput(`default_format "${format}" is not png, jpeg or webp.`);
    const quality = options.quality ?? numberOption(ctx.config, 'default_quality', 85);
    const maxFrames = Math.min(MAX_FRAMES, numberOption(ctx.config, 'max_frames', MAX_FRAMES));
    if (options.timestamps && options.count) {
      throw invalidInput('Give either timestamps or count, not both.', [{ pointer: '/body/input/options/count', detail: 'not with timestamps' }]);
    }
    const wanted = options.timestamps?.length ?? options.count ?? 1;
    if (wanted > maxFrames) throw invalidInput(`At most ${maxFrames} stills a call.`, [{ pointer: '/body/input/options', detail: `more than ${maxFrames} frames` }]);

    const made = await withVideo(NAME, input, ctx, async (video) => {
      if ((await firstEncoder([spec.encoder])) === undefined) throw pluginUnavailable(NAME, `this ffmpeg has no ${spec.encoder} encoder for ${format}`);
      const duration = video.durationSeconds;
      let times: number[];
      if (options.timestamps) {
        times = options.timestamps;
        const late = duration === undefined ? -1 : times.findIndex((time) => time >= duration);
        if (late >= 0) {
          throw invalidInput(`The video lasts ${round3(duration!)} s: there is no frame at ${times[late]} s.`, [{ pointer: `/body/input/options/timestamps/${late}`, detail: 'past the end' }]);
        }
      } else {
        if (duration === undefined) throw invalidInput('The video declares no duration: give the stills\' timestamps.', [{ pointer: '/body/input/options/timestamps', detail: 'required for this video' }]);
        times = Array.from({ length: wanted }, (_, index) => (duration * (index + 0.5)) / wanted);
      }

      const frames: { name: string; time: number }[] = [];
      for (const [index, time] of times.entries()) {
        const name = `frame-${index + 1}.${spec.extension}`;
        await video.run([video.input(['-ss', time.toFixed(3)])], [{
          path: video.workspace.path(name),
          options: [
            '-map', '0:v:0', '-frames:v', '1', '-an', '-sn', '-dn', '-map_metadata', '-1',
            ...(options.max_width ? ['-vf', `scale='min(iw,${options.max_width})':-1`] : []),
            ...spec.args(quality), '-f', 'image2',
          ],
        }]);
        // A seek into the last frame's span can find nothing to decode: no file, no error from ffmpeg.
        if (!(await video.workspace.has(name))) throw invalidInput(`No frame could be read at ${round3(time)} s.`);
        frames.push({ name, time });
      }
      const { default: sharp } = await import('sharp');
      const images = await Promise.all(frames.map(async ({ name, time }) => {
        const bytes = await video.workspace.read(name);
        const { width, height } = await sharp(bytes).metadata();
        return { bytes, time, width, height };
      }));
      return { images, source: describeVideo(video.info) };
    });

    const frames = [];
    for (const [index, image] of made.images.entries()) {
      const stored = await ctx.output(image.bytes, { contentType: spec.contentType, extension: spec.extension, suffix: `frame-${index + 1}` });
      frames.push({ output_url: stored.url, timestamp_seconds: round3(image.time), width: image.width, height: image.height, size: image.bytes.byteLength });
    }
    return { output_urls: frames.map((frame) => frame.output_url), frames, metadata: { format, source: made.source } };
  },
});
