/** Audio the voice tests make with the real ffmpeg: a tone of a given length, rate and channels. */
import { ffmpeg } from '../../../adapters/media/ffmpeg.ts';
import { withWorkspace } from '../../../adapters/media/workspace.ts';

export interface ToneOptions {
  seconds: number;
  sampleRate?: number;
  channels?: number;
  /** ffmpeg's muxer: `wav` (default), `mp3`, `ogg`. */
  format?: 'wav' | 'mp3' | 'ogg';
}

export async function tone(options: ToneOptions): Promise<Uint8Array> {
  const { seconds, sampleRate = 44_100, channels = 1, format = 'wav' } = options;
  return withWorkspace(async (workspace) => {
    const output = workspace.path(`tone.${format}`);
    await ffmpeg(
      {
        inputs: [{ path: `sine=frequency=440:duration=${seconds}:sample_rate=${sampleRate}`, options: ['-f', 'lavfi'] }],
        outputs: [{ path: output, options: ['-ac', String(channels), ...(format === 'ogg' ? ['-c:a', 'libopus'] : []), '-f', format] }],
      },
      { signal: AbortSignal.timeout(30_000), budgetMs: 30_000, outputs: { dir: workspace.dir, maxBytes: 50 * 1024 * 1024 } },
    );
    return new Uint8Array(await workspace.read(`tone.${format}`));
  });
}
