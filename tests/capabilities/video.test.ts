/** video-screenshot, video-transcode and video-compress through the registry, on videos ffmpeg generates here. */
import { stat } from 'node:fs/promises';
import { jest } from '@jest/globals';
import sharp from 'sharp';
import { workspaceChannel } from '../../adapters/media/workspace.ts';
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { runPlugin } from './support/harness.ts';
import { makeTwoColourVideo, makeVideo, mediaChildren, probeBytes, processExists, watchForFfmpeg } from '../media/media-support.ts';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

// Every workspace made, by its announcements: afterEach proves each was removed, from the disk too.
const workspaces = new Map<string, 'created' | 'removed'>();
const onWorkspace = (message: unknown) => {
  const { event, dir } = message as { event: 'created' | 'removed'; dir: string };
  workspaces.set(dir, event);
};
beforeAll(() => workspaceChannel.subscribe(onWorkspace));
afterAll(() => workspaceChannel.unsubscribe(onWorkspace));
afterEach(async () => {
  expect(await mediaChildren()).toEqual([]);
  for (const [dir, event] of workspaces) {
    expect(event).toBe('removed');
    expect(await stat(dir).then(() => 'still there', () => 'gone')).toBe('gone');
  }
  workspaces.clear();
});

let clip: Buffer; // 2 s, 160 × 120, 10 fps, with a sine tone, mp4
beforeAll(async () => {
  clip = await makeVideo();
});

/** The refusal of `call` (its rejection), checking that it stored nothing on its way (the harness keeps `written` to itself on failure). */
async function refusalOf(call: Promise<unknown>): Promise<unknown> {
  const put = jest.spyOn(MemoryBlobStore.prototype, 'put');
  try {
    const outcome = await call.then(() => new Error('the call succeeded'), (error: unknown) => error);
    expect(put).not.toHaveBeenCalled();
    return outcome;
  } finally {
    put.mockRestore();
  }
}

interface Frame { output_url: string; timestamp_seconds: number; width: number; height: number; size: number }

describe('video-screenshot', () => {
  it('takes `count` evenly spaced stills as png, at the video\'s size', async () => {
    const { result, read, written } = await runPlugin('video-screenshot', { video_base64: base64(clip), options: { count: 3 } });
    const frames = result.frames as Frame[];
    expect(frames.map((frame) => frame.timestamp_seconds)).toEqual([0.333, 1, 1.667]);
    expect(written).toHaveLength(3);
    expect(result.output_urls).toEqual(frames.map((frame) => frame.output_url));
    for (const frame of frames) {
      const image = await read(frame.output_url);
      expect(image.contentType).toBe('image/png');
      expect(await sharp(image.bytes).metadata()).toMatchObject({ format: 'png', width: 160, height: 120 });
      expect(frame).toMatchObject({ width: 160, height: 120, size: image.bytes.byteLength });
    }
    expect(result.metadata).toMatchObject({ format: 'png', source: { width: 160, height: 120, frame_count: 20, video_codec: 'h264', audio_codec: 'aac' } });
  });

  it('takes stills at the given timestamps, exactly there (red in the first second, blue in the second), as jpeg no wider than max_width', async () => {
    const video = await makeTwoColourVideo();
    const { result, read } = await runPlugin('video-screenshot', { video_base64: base64(video), options: { timestamps: [0.5, 1.5], format: 'jpeg', max_width: 80 } });
    const [red, blue] = await Promise.all((result.frames as Frame[]).map(async (frame) => {
      const image = await read(frame.output_url);
      expect(image.contentType).toBe('image/jpeg');
      expect(await sharp(image.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 80, height: 60 });
      return (await sharp(image.bytes).stats()).channels.map((channel) => channel.mean);
    }));
    expect(red![0]).toBeGreaterThan(200);
    expect(red![2]).toBeLessThan(60);
    expect(blue![2]).toBeGreaterThan(200);
    expect(blue![0]).toBeLessThan(60);
  });

  it('writes webp, and takes an uploaded file (multipart) as its input', async () => {
    const { result, read } = await runPlugin('video-screenshot', { options: { format: 'webp' } }, { upload: { bytes: new Uint8Array(clip), contentType: 'video/mp4', filename: 'clip.mp4' } });
    const [frame] = result.frames as Frame[];
    expect(frame!.timestamp_seconds).toBe(1);
    const image = await read(frame!.output_url);
    expect(image.contentType).toBe('image/webp');
    expect(await sharp(image.bytes).metadata()).toMatchObject({ format: 'webp', width: 160, height: 120 });
  });

  it('refuses a timestamp past the end, and both ways of choosing frames at once, writing nothing', async () => {
    expect(await refusalOf(runPlugin('video-screenshot', { video_base64: base64(clip), options: { timestamps: [0.5, 2.5] } })))
      .toMatchObject({ status: 400, code: 'invalid_input', errors: [{ pointer: '/body/input/options/timestamps/1' }] });
    expect(await refusalOf(runPlugin('video-screenshot', { video_base64: base64(clip), options: { timestamps: [1], count: 2 } })))
      .toMatchObject({ status: 400, code: 'invalid_input' });
    expect(await refusalOf(runPlugin('video-screenshot', { video_base64: base64(clip), options: { count: 21 } })))
      .toMatchObject({ status: 400, code: 'validation_failed' });
  });
});

describe('video-transcode', () => {
  it('makes mp4 (H.264 + AAC) with every frame and the duration kept', async () => {
    const webm = await makeVideo({ container: 'webm' });
    const { result, read } = await runPlugin('video-transcode', { video_base64: base64(webm) });
    const output = await read(result.output_url as string);
    expect(output.contentType).toBe('video/mp4');
    expect(result.output_url).toMatch(/_transcoded\.mp4$/);
    const probed = await probeBytes(output.bytes, 'mp4');
    expect(probed.format.format_name).toContain('mp4');
    const [video, audio] = probed.streams;
    expect(video).toMatchObject({ codec_type: 'video', codec_name: 'h264', width: 160, height: 120, avg_frame_rate: '10/1', nb_read_frames: '20' });
    expect(audio).toMatchObject({ codec_type: 'audio', codec_name: 'aac' });
    expect(Number(probed.format.duration)).toBeCloseTo(2, 0);
    expect(result.metadata).toMatchObject({
      format: 'mp4', size: output.bytes.byteLength, width: 160, height: 120, frame_count: 20, video_codec: 'h264', audio_codec: 'aac',
      original: { container: 'webm', video_codec: 'vp8', audio_codec: 'opus', size: webm.byteLength },
    });
    expect(result.metadata).not.toHaveProperty('encoder_fallback');
  });

  it('makes webm (VP9 + Opus), scaled to max_height and its rate capped by max_fps', async () => {
    const { result, read } = await runPlugin('video-transcode', { video_base64: base64(clip), options: { format: 'webm', max_height: 60, max_fps: 5 } });
    const output = await read(result.output_url as string);
    expect(output.contentType).toBe('video/webm');
    const probed = await probeBytes(output.bytes, 'webm');
    expect(probed.format.format_name).toContain('webm');
    const [video, audio] = probed.streams;
    // 2 s at 5 fps: the fps filter makes the count exact.
    expect(video).toMatchObject({ codec_name: 'vp9', width: 80, height: 60, nb_read_frames: '10' });
    expect(audio).toMatchObject({ codec_name: 'opus' });
    expect(Number(probed.format.duration)).toBeCloseTo(2, 0);
    expect(result.metadata).toMatchObject({ format: 'webm', width: 80, height: 60, video_codec: 'vp9', audio_codec: 'opus' });
  });

  it('keeps a video without sound silent, and makes odd dimensions even', async () => {
    const mute = await makeVideo({ audio: false, width: 161, height: 121, container: 'avi' });
    const { result, read } = await runPlugin('video-transcode', { video_base64: base64(mute) });
    const probed = await probeBytes((await read(result.output_url as string)).bytes, 'mp4');
    expect(probed.streams.map((stream) => stream.codec_type)).toEqual(['video']);
    expect(probed.streams[0]).toMatchObject({ width: 160, height: 120, nb_read_frames: '20' });
  });

  it('refuses, before any encoding and writing nothing: past the duration cap and the pixel cap (413), not a video (415), a corrupt one (400)', async () => {
    expect(await refusalOf(runPlugin('video-transcode', { video_base64: base64(clip) }, { config: { options: { max_duration_seconds: 1 } } })))
      .toMatchObject({ status: 413, code: 'input_too_large', message: expect.stringContaining('lasts 2 s') });
    expect(await refusalOf(runPlugin('video-transcode', { video_base64: base64(clip) }, { config: { options: { max_pixels: 160 * 120 - 1 } } })))
      .toMatchObject({ status: 413, code: 'input_too_large', message: expect.stringContaining('160 × 120') });
    // Far past the cap: ffprobe's decoder refuses the first frame itself (no frame of it is decoded).
    expect(await refusalOf(runPlugin('video-screenshot', { video_base64: base64(clip) }, { config: { options: { max_pixels: 2_000 } } })))
      .toMatchObject({ status: 413, code: 'input_too_large', message: expect.stringContaining('at most 2000 pixels') });
    expect(await refusalOf(runPlugin('video-transcode', { video_base64: base64(Buffer.from('just some text, not a video')) })))
      .toMatchObject({ status: 415, code: 'unsupported_format' });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    await expect(runPlugin('video-transcode', { video_base64: base64(png) })).rejects.toMatchObject({ status: 415, code: 'unsupported_format' });
    // An mp4's first 2 KB: the right signature, nothing playable.
    const truncated = clip.subarray(0, 2048);
    const refusal = await refusalOf(runPlugin('video-transcode', { video_base64: base64(truncated) }));
    expect(refusal).toMatchObject({ status: 400, code: 'invalid_input' });
    expect((refusal as Error).message).not.toMatch(/ffmpeg|ffprobe|moov|\[/i);
  });

  it('kills ffmpeg when timeout_seconds passes mid-encode: 422 processing_timeout, the process gone, the workspace removed, nothing written', async () => {
    // 60 s of 640 × 360 (MPEG-4 in AVI: quick to make): VP9 takes far longer than 5 s for it on 2 cores.
    const long = await makeVideo({ seconds: 60, width: 640, height: 360, fps: 30, audio: false, container: 'avi', codec: ['-c:v', 'mpeg4', '-q:v', '10'] });
    const call = runPlugin('video-transcode', { video_base64: base64(long), options: { format: 'webm' } }, { config: { options: { timeout_seconds: 5 } } });
    const refused = refusalOf(call);
    const pid = await watchForFfmpeg(call);
    // While ffmpeg runs, its workspace is there, and it is the one announced (afterEach checks it is gone).
    const live = [...workspaces].filter(([, event]) => event === 'created').map(([dir]) => dir);
    const during = await Promise.all(live.map((dir) => stat(dir).then(() => true, () => false)));
    expect(await refused).toMatchObject({ status: 422, code: 'processing_timeout' });
    expect(pid).toBeDefined();
    expect(live).toHaveLength(1);
    expect(during).toEqual([true]);
    expect(await processExists(pid!)).toBe(false);
  });
});

describe('video-compress', () => {
  it('re-encodes smaller in the same container and reports the sizes as image-compress does', async () => {
    // A generously encoded input (CRF 5), so there is something to save.
    const rich = await makeVideo({ seconds: 2, width: 320, height: 240, codec: ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '5', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '192k'] });
    const { result, read } = await runPlugin('video-compress', { video_base64: base64(rich) });
    const output = await read(result.output_url as string);
    expect(output.contentType).toBe('video/mp4');
    expect(result.output_url).toMatch(/_compressed\.mp4$/);
    const metadata = result.metadata as Record<string, number | string>;
    expect(metadata).toMatchObject({ original_size: rich.byteLength, compressed_size: output.bytes.byteLength, format: 'mp4', quality: 'medium', width: 320, height: 240, frame_count: 20 });
    expect(output.bytes.byteLength).toBeLessThan(rich.byteLength / 2);
    expect(metadata.compression_ratio).toBeCloseTo(1 - output.bytes.byteLength / rich.byteLength, 3);
    const probed = await probeBytes(output.bytes, 'mp4');
    expect(probed.streams.map((stream) => stream.codec_name)).toEqual(['h264', 'aac']);
  });

  it('keeps webm as webm (VP9), scaled down to max_height', async () => {
    const webm = await makeVideo({ container: 'webm', codec: ['-c:v', 'libvpx', '-b:v', '4M', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'] });
    const { result, read } = await runPlugin('video-compress', { video_base64: base64(webm), options: { quality: 'low', max_height: 60 } });
    const output = await read(result.output_url as string);
    expect(output.contentType).toBe('video/webm');
    expect(output.bytes.byteLength).toBeLessThan(webm.byteLength);
    const probed = await probeBytes(output.bytes, 'webm');
    expect(probed.streams[0]).toMatchObject({ codec_name: 'vp9', width: 80, height: 60, nb_read_frames: '20' });
  });

  it('refuses a video past the duration cap with 413 and writes nothing', async () => {
    expect(await refusalOf(runPlugin('video-compress', { video_base64: base64(clip) }, { config: { options: { max_duration_seconds: 1.5 } } }))).toMatchObject({ status: 413, code: 'input_too_large' });
  });
});
