/**
 * video-transcode: re-encode a video as mp4 (H.264 + AAC) or webm (VP9 + Opus), optionally no
 * taller than max_height and no faster than max_fps. If this ffmpeg lacks the preferred encoder,
 * the next of its family is used (mp4: MPEG-4 Part 2; webm: VP8, Vorbis) and `encoder_fallback`
 * says so. The output is probed and described (duration, size, codecs, frame count).
 *
 * Mode `both`: a short clip transcodes within a synchronous call; a long one belongs in a job
 * (POST /api/v1/jobs), where the deadline is the job's. Either way timeout_seconds bounds the
 * encode and ffmpeg is killed when it passes (422 processing_timeout).
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { stringOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import type { Quality } from '../video-encode.ts';
import { maxHeightOption, qualityOption, VIDEO_LIMIT_DEFAULTS, videoSource, videoToolsHealth } from '../video-declarations.ts';

const NAME = 'video-transcode';

export interface TranscodeInput {
  video_url?: string;
  video_base64?: string;
  options?: { format?: 'mp4' | 'webm'; max_height?: number; max_fps?: number; quality?: Quality };
}

export default definePlugin<TranscodeInput>({
  name: NAME,
  display_name: 'Video transcoding',
  category: 'video',
  mode: 'both',
  packages: ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'],
  limits: VIDEO_LIMIT_DEFAULTS,
  inputSchema: fileInputSchema(videoSource, {
    properties: {
      format: { enum: ['mp4', 'webm'], description: 'mp4 (H.264 + AAC) or webm (VP9 + Opus); default mp4.' },
      max_height: maxHeightOption,
      max_fps: { type: 'integer', minimum: 1, maximum: 120, description: 'Drop frames down to at most this rate; a slower video is left as it is.' },
      quality: { ...qualityOption, description: `${qualityOption.description} Default high.` },
    },
  }),
  health: videoToolsHealth,
  async process(input, ctx) {
    const { withVideo } = await import('../video-input.ts');
    const { encodeVideo, describeVideo } = await import('../video-encode.ts');
    const options = input.options ?? {};
    const format = options.format ?? (stringOption(ctx.config, 'default_format', 'mp4') as 'mp4' | 'webm');
    const quality = options.quality ?? (stringOption(ctx.config, 'default_quality', 'high') as Quality);
    const encoded = await withVideo(NAME, input, ctx, async (video) => ({
      output: await encodeVideo(video, NAME, { format, quality, maxHeight: options.max_height, maxFps: options.max_fps }),
      original: { ...describeVideo(video.info), container: video.container, size: video.sizeBytes },
    }));
    const { output } = encoded;
    const stored = await ctx.output(output.bytes, { contentType: output.contentType, extension: output.extension, suffix: 'transcoded' });
    return {
      output_url: stored.url,
      metadata: {
        format: output.format,
        size: output.bytes.byteLength,
        ...describeVideo(output.info),
        ...(output.fallback ? { encoder_fallback: output.fallback } : {}),
        original: encoded.original,
      },
    };
  },
});
