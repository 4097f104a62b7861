/** The ffmpeg/ffprobe runner: arguments, workspace, probe, deadline (kill and reap), caps, failures. */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { ffmpeg, ffmpegArgs, ffmpegEncoders, mediaToolsHealth, PixelLimitExceeded, toolPath } from '../../adapters/media/ffmpeg.ts';
import { parseProbe, probeMedia } from '../../adapters/media/ffprobe.ts';
import { orphanGuarded, runTool, STDERR_TAIL_BYTES, ToolFailure, ToolUnavailable } from '../../adapters/media/tool-process.ts';
import { withWorkspace } from '../../adapters/media/workspace.ts';
import { eventually, makeVideo, mediaChildren, probeBytes, processExists, processRuns, watchForFfmpeg } from './media-support.ts';

const generous = () => ({ signal: AbortSignal.timeout(120_000), budgetMs: 120_000 });
const gone = (path: string) => stat(path).then(() => false, () => true);
/** A synthetic source far longer than any test waits for. */
const endless = { path: 'testsrc=size=320x240:rate=30:duration=3600', options: ['-f', 'lavfi'] };

afterEach(async () => {
  expect(await mediaChildren()).toEqual([]);
});

describe('media tools', () => {
  it('are installed from npm and healthy here, with the encoders the video plugins prefer', async () => {
    expect(await mediaToolsHealth()).toEqual({ healthy: true });
    const encoders = await ffmpegEncoders();
    for (const name of ['libx264', 'aac', 'libvpx-vp9', 'libopus', 'png', 'mjpeg', 'libwebp']) expect(encoders.has(name)).toBe(true);
  });

  it('always pass -nostdin, -hide_banner, -y, capped threads and a CPU-time backstop, and open inputs from files and pipes only', () => {
    const args = ffmpegArgs({ inputs: [{ path: '/tmp/x/input.mp4', options: ['-ss', '1'] }], outputs: [{ path: '/tmp/x/out.png', options: ['-frames:v', '1'] }] }, 60_000);
    expect(args.slice(0, 6)).toEqual(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y']);
    expect(args.join(' ')).toContain('-timelimit 190 -filter_threads 2'); // 60 s × 3 + 10 of CPU time: never before the deadline

    expect(args.join(' ')).toContain('-ss 1 -threads 2 -protocol_whitelist file,pipe -i /tmp/x/input.mp4 -frames:v 1 -threads 2 /tmp/x/out.png');
  });
});

describe('ffmpeg and ffprobe in a workspace', () => {
  it('encode a lavfi source to a file and probe it: container, codecs, size, frames, duration; the workspace is removed after', async () => {
    let dir = '';
    const info = await withWorkspace(async (workspace) => {
      dir = workspace.dir;
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      await ffmpeg({
        inputs: [{ path: 'testsrc=size=160x120:rate=10:duration=2', options: ['-f', 'lavfi'] }, { path: 'sine=duration=2', options: ['-f', 'lavfi'] }],
        outputs: [{ path: workspace.path('out.mp4'), options: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mp4'] }],
      }, { ...generous(), outputs: { dir: workspace.dir, maxBytes: 10_000_000 } });
      return probeMedia(workspace.path('out.mp4'), { ...generous(), format: 'mov', countPackets: true });
    });
    expect(await gone(dir)).toBe(true);
    expect(info.formatName).toContain('mp4');
    expect(info.durationSeconds).toBeCloseTo(2, 1);
    expect(info.streams.map((stream) => [stream.type, stream.codec])).toEqual([['video', 'h264'], ['audio', 'aac']]);
    expect(info.streams[0]).toMatchObject({ width: 160, height: 120, frameRate: 10, frames: 20 });
    expect(info.streams[1]).toMatchObject({ sampleRate: 44100, channels: 1 });
  });

  it('read the input from stdin and write to stdout (audio, as the voice service will: 16 kHz mono WAV)', async () => {
    const input = await makeVideo({ seconds: 1, container: 'mkv' });
    const { stdout } = await ffmpeg(
      { inputs: [{ path: 'pipe:0', options: ['-f', 'matroska'] }], outputs: [{ path: 'pipe:1', options: ['-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav'] }] },
      { ...generous(), stdin: input },
    );
    expect(stdout.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(stdout.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(stdout.readUInt16LE(22)).toBe(1); // channels
    expect(stdout.readUInt32LE(24)).toBe(16_000); // sample rate
  });

  it('remove the workspace when the work fails', async () => {
    let dir = '';
    await expect(withWorkspace(async (workspace) => {
      dir = workspace.dir;
      await workspace.write('input.bin', new Uint8Array([1, 2, 3]));
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await gone(dir)).toBe(true);
  });

  it('refuse a file name that is not a plain name (no path, no option)', async () => {
    await withWorkspace(async (workspace) => {
      expect(() => workspace.path('../escape')).toThrow();
      expect(() => workspace.path('-i')).toThrow();
      expect(workspace.path('frame-1.png')).toBe(`${workspace.dir}/frame-1.png`);
    });
  });
});

describe('a failing or overrunning tool', () => {
  it('rejects with ToolFailure on unreadable input, keeping only the end of stderr and none of it in the message', async () => {
    const failure = await withWorkspace(async (workspace) => {
      const path = await workspace.write('input.mp4', Buffer.from('not a video at all '.repeat(100)));
      return ffmpeg({ inputs: [{ path, options: ['-f', 'mov'] }], outputs: [{ path: workspace.path('out.mp4') }] }, generous()).catch((error: unknown) => error);
    });
    expect(failure).toBeInstanceOf(ToolFailure);
    const { exitCode, stderr, message } = failure as ToolFailure;
    expect(exitCode).not.toBe(0);
    expect(stderr.length).toBeGreaterThan(0);
    expect(message).toBe(`ffmpeg exited with code ${exitCode}`);
  });

  it('caps stderr at its last 16 KB', async () => {
    // showinfo logs a line of some 300 bytes per frame: 200 frames write far more than 16 KB.
    const args = ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=32x32:rate=100:duration=2', '-vf', 'showinfo', '-f', 'null', '-'];
    const { stderr } = await runTool(await toolPath('ffmpeg'), args, generous());
    expect(Buffer.byteLength(stderr)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(Buffer.byteLength(stderr)).toBeGreaterThan(STDERR_TAIL_BYTES / 2);
    expect(stderr).toMatch(/n:\s*199 /); // the end is what is kept
  });

  it('kills ffmpeg when the deadline passes: 422 processing_timeout, the process reaped, the workspace removed', async () => {
    let dir = '';
    const work = withWorkspace(async (workspace) => {
      dir = workspace.dir;
      await ffmpeg({ inputs: [endless], outputs: [{ path: workspace.path('out.mp4'), options: ['-c:v', 'libx264', '-preset', 'medium'] }] },
        { signal: AbortSignal.timeout(1_500), budgetMs: 1_500, outputs: { dir: workspace.dir, maxBytes: 1e9 } });
    });
    const pid = await watchForFfmpeg(work);
    await expect(work).rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
    expect(pid).toBeDefined();
    expect(await processExists(pid!)).toBe(false);
    expect(await gone(dir)).toBe(true);
  });

  it('kills ffmpeg when the caller aborts', async () => {
    const controller = new AbortController();
    const work = withWorkspace((workspace) => ffmpeg({ inputs: [endless], outputs: [{ path: workspace.path('out.mkv'), options: ['-c:v', 'mpeg4'] }] },
      { signal: controller.signal, budgetMs: 60_000 }));
    const pid = await watchForFfmpeg(work);
    controller.abort();
    await expect(work).rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
    expect(await processExists(pid!)).toBe(false);
  });

  it('does not leave ffmpeg running when its parent dies without killing it (parent-death signal)', async () => {
    expect(await orphanGuarded()).toBe(true);
    const runner = new URL('../../adapters/media/ffmpeg.ts', import.meta.url).href;
    const script = `import { ffmpeg } from ${JSON.stringify(runner)};
await ffmpeg({ inputs: [{ path: ${JSON.stringify(endless.path)}, options: ['-f', 'lavfi'] }], outputs: [{ path: 'pipe:1', options: ['-c:v', 'mpeg4', '-f', 'null'] }] },
  { signal: new AbortController().signal, budgetMs: 600000 });`;
    const parent = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    const pid = await watchForFfmpeg(exited, parent.pid);
    expect(pid).toBeDefined();
    parent.kill('SIGKILL');
    await exited;
    expect(await eventually(async () => !(await processRuns(pid!)), 10_000)).toBe(true);
  });

  it('refuses an already passed deadline without starting anything', async () => {
    await expect(ffmpeg({ inputs: [endless], outputs: [{ path: 'pipe:1', options: ['-f', 'null'] }] }, { signal: AbortSignal.abort(), budgetMs: 0 }))
      .rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
  });

  it('kills ffmpeg when its outputs pass the cap: 413, whatever is left of the deadline', async () => {
    await withWorkspace(async (workspace) => {
      const big = ffmpeg({ inputs: [endless], outputs: [{ path: workspace.path('out.yuv'), options: ['-f', 'rawvideo'] }] },
        { ...generous(), outputs: { dir: workspace.dir, maxBytes: 2_000_000 } });
      await expect(big).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
      const piped = ffmpeg({ inputs: [endless], outputs: [{ path: 'pipe:1', options: ['-f', 'rawvideo'] }] }, { ...generous(), maxStdoutBytes: 1_000_000 });
      await expect(piped).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
    });
  });

  it('reports a binary that cannot be started as unavailable', async () => {
    await expect(runTool('/nonexistent/ffmpeg', ['-version'], generous())).rejects.toBeInstanceOf(ToolUnavailable);
  });
});

describe('parseProbe', () => {
  it('reads rotation, rates and counts, and refuses what is not ffprobe JSON', async () => {
    const info = parseProbe(JSON.stringify({
      format: { format_name: 'mov,mp4', duration: '3.5', bit_rate: '1000' },
      streams: [
        { index: 0, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001', nb_frames: '105', side_data_list: [{ rotation: -90 }] },
        { index: 1, codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, avg_frame_rate: '0/0', disposition: { attached_pic: 1 } },
        { index: 2, codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2, nb_read_packets: '160' },
      ],
    }));
    expect(info).toMatchObject({ formatName: 'mov,mp4', durationSeconds: 3.5, bitRate: 1000 });
    expect(info!.streams[0]).toMatchObject({ rotation: 270, frames: 105 });
    expect(info!.streams[0]!.frameRate).toBeCloseTo(29.97, 2);
    expect(info!.streams[1]).toMatchObject({ attachedPicture: true });
    expect(info!.streams[1]!.frameRate).toBeUndefined();
    expect(info!.streams[2]).toMatchObject({ sampleRate: 48000, channels: 2, frames: 160 });
    expect(parseProbe('not json')).toBeUndefined();
    expect(parseProbe('{"streams":[]}')).toBeUndefined();
  });

  it('does not decode a frame past maxPixels, in ffprobe or ffmpeg (PixelLimitExceeded), whichever the decoder', async () => {
    for (const container of ['mp4', 'avi'] as const) {
      const video = await makeVideo({ width: 640, height: 480, seconds: 0.5, audio: false, container });
      await withWorkspace(async (workspace) => {
        const path = await workspace.write(`in.${container}`, video);
        const format = container === 'mp4' ? 'mov' : 'avi';
        await expect(probeMedia(path, { ...generous(), format, maxPixels: 100_000 })).rejects.toBeInstanceOf(PixelLimitExceeded);
        await expect(ffmpeg({ inputs: [{ path, options: ['-max_pixels', '100000', '-f', format] }], outputs: [{ path: 'pipe:1', options: ['-f', 'null'] }] }, generous()))
          .rejects.toBeInstanceOf(PixelLimitExceeded);
        expect((await probeMedia(path, { ...generous(), format, maxPixels: 1_000_000 })).streams[0]).toMatchObject({ width: 640, height: 480 });
      });
    }
  });

  it('agrees with an independent ffprobe on a generated webm', async () => {
    const webm = await makeVideo({ container: 'webm' });
    const info = await withWorkspace(async (workspace) => probeMedia(await workspace.write('in.webm', webm), { ...generous(), format: 'matroska', countPackets: true }));
    const reference = await probeBytes(webm, 'webm');
    expect(info.streams.map((stream) => stream.codec)).toEqual(reference.streams.map((stream) => stream.codec_name));
    expect(info.streams[0]!.frames).toBe(Number(reference.streams[0]!.nb_read_frames));
  });
});
