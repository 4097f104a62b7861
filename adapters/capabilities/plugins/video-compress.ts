/**
 * video-compress: the same video in the same container (AVI becomes mp4), re-encoded smaller:
 * a higher CRF by `quality` (H.264 for mp4/mov/mkv, VP9 for webm), lower audio bitrate, and
 * optionally no taller than max_height. Reports the sizes and the share saved as image-compress
 * does; a video already compressed harder than asked can come out larger (a negative ratio).
 *
 * Mode `both`, as video-transcode: short clips synchronously, long ones as jobs; timeout_seconds
 * bounds the encode and ffmpeg is killed when it passes.
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { stringOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import type { Quality } from '../video-encode.ts';
import { maxHeightOption, qualityOption, VIDEO_LIMIT_DEFAULTS, videoSource, videoToolsHealth } from '../video-declarations.ts';

const NAME = 'video-compress';

export interface VideoCompressInput {
  video_url?: string;
  video_base64?: string;
  options?: { quality?: Quality; max_height?: number };
}

export default definePlugin<VideoCompressInput>({
  name: NAME,
  display_name: 'Video compression',
  category: 'video',
  mode: 'both',
  packages: ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'],
  limits: VIDEO_LIMIT_DEFAULTS,
  inputSchema: fileInputSchema(videoSource, {
    properties: {
      quality: { ...qualityOption, description: `${qualityOption.description} Default medium.` },
      max_height: maxHeightOption,
    },
  }),
  health: videoToolsHealth,
  async process(input, ctx) {
    const { withVideo } = await import('../video-input.ts');
    const { encodeVideo, describeVideo, sameContainer } = await import('../video-encode.ts');
    const quality = input.options?.quality ?? (stringOption(ctx.config, 'default_quality', 'medium') as Quality);
    const { output, original } = await withVideo(NAME, input, ctx, async (video) => ({
      output: await encodeVideo(video, NAME, { format: sameContainer(video.container), quality, maxHeight: input.options?.max_height }),
      original: video.sizeBytes,
    }));
    const stored = await ctx.output(output.bytes, { contentType: output.contentType, extension: output.extension, suffix: 'compressed' });
    return {
      output_url: stored.url,
      metadata: {
        original_size: original,
        compressed_size: output.bytes.byteLength,
        // The share saved: 0.8 means the output is a fifth of the input (negative when it grew).
        compression_ratio: Math.round((1 - output.bytes.byteLength / original) * 10_000) / 10_000,
        format: output.format,
        quality,
        ...describeVideo(output.info),
        ...(output.fallback ? { encoder_fallback: output.fallback } : {}),
      },
    };
  },
});
