/**
 * A private scratch directory for one media call: created with mkdtemp (mode 0700, a random name
 * under the OS temp dir) and removed whatever happens, so a stranger's file never outlives the
 * call that processed it. Paths handed out are absolute, so no file name can be read by ffmpeg
 * as an option (`-i -foo`) or a protocol (`http:...`).
 */
import { channel } from 'node:diagnostics_channel';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  dir: string;
  /** The absolute path of `name` inside the workspace. */
  path(name: string): string;
  /** Writes `bytes` to `name` (mode 0600) and returns its path. */
  write(name: string, bytes: Uint8Array): Promise<string>;
  read(name: string): Promise<Buffer>;
  /** Whether `name` exists (an encoder that wrote nothing leaves no file). */
  has(name: string): Promise<boolean>;
  /** The total size of the files in the workspace, in bytes. */
  usedBytes(): Promise<number>;
}

/** `{ event: 'created' | 'removed', dir }` for each workspace, for tracing and for tests that prove none is left behind. */
export const workspaceChannel = channel('portico.media.workspace');

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

function safeName(name: string): string {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a plain file name for a workspace.`);
  return name;
}

/** The total size of the regular files directly in `dir` (a workspace is flat); 0 once it is gone. */
export async function directoryBytes(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const sizes = await Promise.all(names.map((name) => stat(join(dir, name)).then((entry) => (entry.isFile() ? entry.size : 0), () => 0)));
  return sizes.reduce((total, size) => total + size, 0);
}

/** Runs `work` with a fresh private directory, removed afterwards (after any process in it has been reaped by `work`). */
export async function withWorkspace<T>(work: (workspace: Workspace) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'portico-media-'));
  workspaceChannel.publish({ event: 'created', dir });
  const path = (name: string) => join(dir, safeName(name));
  const workspace: Workspace = {
    dir,
    path,
    async write(name, bytes) {
      const file = path(name);
      await writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
      return file;
    },
    read: (name) => readFile(path(name)),
    has: (name) => stat(path(name)).then(() => true, () => false),
    usedBytes: () => directoryBytes(dir),
  };
  try {
    return await work(workspace);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
    workspaceChannel.publish({ event: 'removed', dir });
  }
}
