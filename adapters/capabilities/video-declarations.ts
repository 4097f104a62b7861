/**
 * What the video plugins declare alike: their input fields (JSON Schema), their caps' defaults and
 * their health check. Light on purpose: plugin modules import it at load time, while ffmpeg is
 * reached only through video-input.ts and adapters/media, imported lazily.
 */
import type { PluginHealth } from '../../domain/capabilities/plugin.ts';

export const videoSource = {
  video_url: { type: 'string', format: 'uri', maxLength: 2048, description: 'A public http(s) URL of the video (mp4, mov, webm, mkv or avi).' },
  video_base64: { type: 'string', description: 'The video as base64 (a data: URL is accepted).' },
} as const;

export const maxHeightOption = {
  type: 'integer', minimum: 16, maximum: 4320, description: 'Scale down to at most this height (width follows, kept even); never enlarged.',
} as const;

export const qualityOption = {
  enum: ['high', 'medium', 'low'],
  description: 'Encoder quality: high ≈ CRF 23 for H.264 / 31 for VP9, medium 28 / 37, low 33 / 43 (smaller files, more artefacts).',
} as const;

/** The caps every video plugin reads from its plugins.yaml options, with their defaults (listed as the plugin's limits). */
export const VIDEO_LIMIT_DEFAULTS = {
  max_duration_seconds: 600,
  /** 4K UHD: 3840 × 2160. */
  max_pixels: 8_294_400,
  timeout_seconds: 120,
  max_output_bytes: 524_288_000,
} as const;

/** ffmpeg and ffprobe present and answering `-version` (a success is remembered for the process). */
export async function videoToolsHealth(): Promise<PluginHealth> {
  const { mediaToolsHealth } = await import('../media/ffmpeg.ts');
  return mediaToolsHealth();
}
