/**
 * ffmpeg and ffprobe from the npm packages that ship their static binaries
 * (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe: one optional package per platform, no
 * download at install), and a generic ffmpeg call: inputs and outputs with their options, run
 * through runTool (deadline, caps, reaping) with the flags every call needs. Nothing here knows
 * about video or audio; the plugins and the voice service say what to do with the file.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { PluginHealth } from '../../domain/capabilities/plugin.ts';
import { runTool, ToolFailure, ToolUnavailable, type ToolResult, type ToolRun } from './tool-process.ts';

export type MediaTool = 'ffmpeg' | 'ffprobe';

const PACKAGES: Readonly<Record<MediaTool, string>> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };

/** Threads per call: the functions run on 2 cores, and one call must not take both from its neighbours' requests. */
export const DEFAULT_THREADS = 2;

async function importPath(tool: MediaTool): Promise<string> {
  try {
    const module = tool === 'ffmpeg' ? await import('@ffmpeg-installer/ffmpeg') : await import('@ffprobe-installer/ffprobe');
    return module.default.path;
  } catch (error) {
    // The packages throw a string or an Error naming the paths they tried, or the platform they lack.
    throw new ToolUnavailable(`${tool} is not installed for ${process.platform}-${process.arch} (${PACKAGES[tool]}: ${error instanceof Error ? error.message : String(error)})`);
  }
}

const paths = new Map<MediaTool, Promise<string>>();

/** The path of the tool's binary; a ToolUnavailable when its package has none for this platform. */
export function toolPath(tool: MediaTool): Promise<string> {
  let path = paths.get(tool);
  if (!path) {
    path = importPath(tool);
    path.catch(() => paths.delete(tool));
    paths.set(tool, path);
  }
  return path;
}

async function checkTool(tool: MediaTool): Promise<void> {
  const path = await toolPath(tool);
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new ToolUnavailable(`${tool} at ${path} is not executable by this user (its package's install script sets the mode; was it skipped?)`);
  }
  const { stdout } = await runTool(path, ['-version'], { signal: AbortSignal.timeout(15_000), budgetMs: 15_000 });
  if (!stdout.toString('utf8').startsWith(`${tool} version`)) throw new ToolUnavailable(`${tool} at ${path} did not answer -version as ${tool}`);
}

const checked = new Map<MediaTool, Promise<void>>();

/**
 * Whether the tools are present and run (`-version`). A success is kept for the life of the
 * process (the registry asks before every call); a failure is asked again next time.
 */
export async function mediaToolsHealth(tools: readonly MediaTool[] = ['ffmpeg', 'ffprobe']): Promise<PluginHealth> {
  try {
    for (const tool of tools) {
      let check = checked.get(tool);
      if (!check) {
        check = checkTool(tool);
        check.catch(() => checked.delete(tool));
        checked.set(tool, check);
      }
      await check;
    }
    return { healthy: true };
  } catch (error) {
    return { healthy: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

let encoders: Promise<ReadonlySet<string>> | undefined;

/** The names of the encoders this ffmpeg was built with (`libx264`, `aac`, `libvpx-vp9`...), listed once. */
export function ffmpegEncoders(): Promise<ReadonlySet<string>> {
  encoders ??= (async () => {
    const { stdout } = await runTool(await toolPath('ffmpeg'), ['-hide_banner', '-encoders'], { signal: AbortSignal.timeout(15_000), budgetMs: 15_000 });
    // Lines such as ` V..... libx264   libx264 H.264 / AVC ...`, after a legend that ends in ` ------`.
    const names = [...stdout.toString('utf8').matchAll(/^ [VAS][A-Z.]{5} (\S+)/gm)].map((match) => match[1]!);
    return new Set(names);
  })();
  encoders.catch(() => (encoders = undefined));
  return encoders;
}

/** The first of `preferred` this ffmpeg has, or undefined. */
export async function firstEncoder(preferred: readonly string[]): Promise<string | undefined> {
  const available = await ffmpegEncoders();
  return preferred.find((name) => available.has(name));
}

/**
 * A decoder refused a frame past the `-max_pixels` it was given (an input option of ffmpeg, an
 * option of ffprobe): the stream is larger than the caller allows, whatever its header claimed.
 */
export class PixelLimitExceeded extends Error {
  constructor() {
    super('a frame is larger than the -max_pixels given');
    this.name = 'PixelLimitExceeded';
  }
}

/** libavutil's words when a frame passes -max_pixels (stderr is read here, never shown). */
export const passedPixelLimit = (stderr: string): boolean => /exceeds specified max pixel count/.test(stderr);

export interface FfmpegFile {
  /** An absolute path (a workspace's), or `pipe:0` / `pipe:1`. */
  path: string;
  /** Options that apply to this file, placed before it (`-ss 1.5`, `-f mov`, `-c:v libx264`). */
  options?: readonly string[];
}

export interface FfmpegCall {
  inputs: readonly FfmpegFile[];
  outputs: readonly FfmpegFile[];
  /** Decoder and encoder threads (default DEFAULT_THREADS). */
  threads?: number;
}

/** Where and how long it runs: the deadline, and the directory its outputs go to with their cap. */
export type FfmpegRun = ToolRun;

/**
 * The arguments of a call: no banner or stats, never reading the terminal, overwriting, threads
 * capped, inputs read from files or pipes only. `budgetMs` also becomes a CPU-time limit
 * (-timelimit, RLIMIT_CPU) well past what the wall-clock deadline allows: a backstop that ends an
 * ffmpeg nobody is left to kill, wherever the parent-death guard is missing.
 */
export function ffmpegArgs(call: FfmpegCall, budgetMs: number): string[] {
  const threads = call.threads ?? DEFAULT_THREADS;
  const cpuSeconds = Math.ceil((budgetMs / 1000) * (threads + 1)) + 10;
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', '-timelimit', String(cpuSeconds), '-filter_threads', String(threads)];
  for (const input of call.inputs) {
    // A container may name other resources (an HLS playlist, a reference movie): only local files and pipes open.
    args.push(...(input.options ?? []), '-threads', String(threads), '-protocol_whitelist', 'file,pipe', '-i', input.path);
  }
  for (const output of call.outputs) args.push(...(output.options ?? []), '-threads', String(threads), output.path);
  return args;
}

/** Runs ffmpeg on the call; rejects with processing_timeout, input_too_large (output cap), PixelLimitExceeded, ToolFailure or ToolUnavailable. */
export async function ffmpeg(call: FfmpegCall, run: FfmpegRun): Promise<ToolResult> {
  try {
    return await runTool(await toolPath('ffmpeg'), ffmpegArgs(call, run.budgetMs), run);
  } catch (error) {
    throw error instanceof ToolFailure && passedPixelLimit(error.stderr) ? new PixelLimitExceeded() : error;
  }
}
