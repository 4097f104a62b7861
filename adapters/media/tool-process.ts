/**
 * Runs one media tool (ffmpeg, ffprobe) as a child process, safely for strangers' files:
 * an argument array and no shell; an empty environment (the tool needs none, and the function's
 * secrets are not its business); a deadline that SIGKILLs it; a cap on what it writes (stdout, and
 * the files of the directory it writes to, polled); stderr kept for the logs but only its last
 * 16 KB, and never in an error's message. The promise settles only once the process has exited and
 * been reaped, so nothing of it outlives the call and its directory can be removed afterwards.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { inputTooLarge, processingTimeout } from '../../domain/capabilities/errors.ts';
import { directoryBytes } from './workspace.ts';

/** How much of stderr is kept: the end, where the tool says why it stopped. */
export const STDERR_TAIL_BYTES = 16 * 1024;
const POLL_MS = 200;

export interface ToolRun {
  /** Aborted when the time is up (or the caller went away): the tool is killed. */
  signal: AbortSignal;
  /** The budget the signal stands for, in ms, for the processing_timeout message. */
  budgetMs: number;
  /** Given on the tool's standard input, else stdin is closed (/dev/null). */
  stdin?: Uint8Array;
  /** The most stdout may hold (default 64 MiB). */
  maxStdoutBytes?: number;
  /** A directory the tool writes its outputs to, and the most its files may grow by while it runs. */
  outputs?: { dir: string; maxBytes: number };
}

export interface ToolResult {
  stdout: Buffer;
  /** The last STDERR_TAIL_BYTES of stderr: for logs only. */
  stderr: string;
}

/** The tool ran and failed (a non-zero exit: the input is unreadable, an option is wrong). */
export class ToolFailure extends Error {
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  /** The end of its stderr, for logs; never shown to a client. */
  readonly stderr: string;
  constructor(tool: string, exitCode: number | null, exitSignal: NodeJS.Signals | null, stderr: string) {
    super(`${tool} exited with ${exitCode === null ? `signal ${exitSignal}` : `code ${exitCode}`}`);
    this.name = 'ToolFailure';
    this.exitCode = exitCode;
    this.exitSignal = exitSignal;
    this.stderr = stderr;
  }
}

/** The tool cannot run here (its package or binary is missing, or it is not executable): the message says which. */
export class ToolUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ToolUnavailable';
  }
}

/** Keeps the last `limit` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    while (this.size - this.chunks[0]!.byteLength >= this.limit) this.size -= this.chunks.shift()!.byteLength;
  }
  toString(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.byteLength - this.limit)).toString('utf8');
  }
}

const outputTooLarge = (maxBytes: number) => inputTooLarge(`The output would pass ${maxBytes} bytes; try a shorter or smaller input, or lower settings.`);

/** The environment the tool gets: none (every runtime Portico targets is Linux; the static binaries need nothing from it). */
const toolEnv = (): NodeJS.ProcessEnv => ({});

/**
 * util-linux's setpriv, where there is one: it sets the parent-death signal and then execs the
 * tool (same pid), so if this process dies without killing the tool (an OOM kill, a host
 * recycling the worker), the kernel kills the tool at once instead of leaving it running as an
 * orphan. Killing and reaping it ourselves, below, is still the rule; this covers our own death.
 * (Node ignores SIGPIPE and its children inherit that, so a closed pipe would not end ffmpeg.)
 */
const SETPRIV = '/usr/bin/setpriv';
const ORPHAN_GUARD_ARGS = ['--pdeathsig', 'KILL', '--'];
let orphanGuard: string | undefined;
const orphanGuardReady = process.platform === 'linux'
  ? access(SETPRIV, constants.X_OK).then(() => (orphanGuard = SETPRIV), () => undefined)
  : Promise.resolve(undefined);

/** Whether tools run under the parent-death guard here. */
export const orphanGuarded = async (): Promise<boolean> => (await orphanGuardReady) !== undefined;

export async function runTool(binary: string, args: readonly string[], run: ToolRun): Promise<ToolResult> {
  const tool = binary.split(/[\\/]/).pop() ?? binary;
  await orphanGuardReady;
  // Checked here, not left to spawn: under the guard, a missing tool would look like setpriv failing.
  await access(binary, constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    throw new ToolUnavailable(`${tool} cannot be started (${error.code ?? error.message})`);
  });
  const maxStdout = run.maxStdoutBytes ?? 64 * 1024 * 1024;
  // What the directory held before (the input file) does not count as output.
  const baseline = run.outputs ? await directoryBytes(run.outputs.dir) : 0;
  if (run.signal.aborted) throw processingTimeout(run.budgetMs);

  return new Promise<ToolResult>((resolve, reject) => {
    const [command, commandArgs] = orphanGuard ? [orphanGuard, [...ORPHAN_GUARD_ARGS, binary, ...args]] : [binary, args];
    const child = spawn(command, commandArgs, { stdio: [run.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: toolEnv(), windowsHide: true, shell: false });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr = new Tail(STDERR_TAIL_BYTES);
    // The first reason to stop wins; the promise settles on 'close', once the process is reaped.
    let failure: Error | undefined;
    const stop = (reason: Error) => {
      failure ??= reason;
      child.kill('SIGKILL');
    };

    const onAbort = () => stop(processingTimeout(run.budgetMs));
    run.signal.addEventListener('abort', onAbort, { once: true });

    let polling = false;
    const poll = run.outputs
      ? setInterval(() => {
          if (polling) return;
          polling = true;
          const { dir, maxBytes } = run.outputs!;
          void directoryBytes(dir).then((used) => {
            polling = false;
            if (used - baseline > maxBytes) stop(outputTooLarge(maxBytes));
          });
        }, POLL_MS)
      : undefined;

    child.stdout!.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.byteLength;
      if (stdoutBytes > maxStdout) stop(outputTooLarge(maxStdout));
      else stdout.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    if (run.stdin && child.stdin) {
      // The tool may stop reading early (it had enough, or it was killed): that is not an error here.
      child.stdin.on('error', () => undefined);
      child.stdin.end(run.stdin);
    }

    const finish = () => {
      run.signal.removeEventListener('abort', onAbort);
      if (poll) clearInterval(poll);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Spawning failed: there is no process to wait for.
      if (child.pid === undefined) {
        finish();
        reject(new ToolUnavailable(`${tool} cannot be started (${error.code ?? error.message})`));
      } else {
        stop(error);
      }
    });
    child.once('close', async (code, signal) => {
      finish();
      if (!failure && code === 0 && run.outputs) {
        // The last word on the output size: the poll may not have seen the final write.
        const used = await directoryBytes(run.outputs.dir);
        if (used - baseline > run.outputs.maxBytes) failure = outputTooLarge(run.outputs.maxBytes);
      }
      if (failure) reject(failure);
      else if (code === 0) resolve({ stdout: Buffer.concat(stdout), stderr: stderr.toString() });
      else reject(new ToolFailure(tool, code, signal, stderr.toString()));
    });
  });
}
