/**
 * `npm start` as a careless operator meets it, process by process: a start that fails after the
 * embedded emulators started leaves no Azurite behind; `kill -9` of the host takes Azurite with
 * it; SIGTERM to npm reaches the host, which shuts down gracefully and writes its snapshot; and a
 * document created just before a `kill -9` is there after a restart. Process state is read from
 * /proc (Linux, as CI), and every wait polls for a state with a generous deadline.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../adapters/local/azurite.ts';
import { spawnGroup } from '../support/spawned.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const spawned: ChildProcess[] = [];

interface Started {
  npm: ChildProcess;
  dataDir: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` in its own process group, on embedded defaults, with its data in `dataDir`. */
function npmStart(dataDir: string, env: Record<string, string> = {}): Started {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORTICO_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env };
  for (const name of ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY']) delete childEnv[name];
  // The npm that runs these tests, on this Node; `npm` from PATH otherwise.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli, 'start']] : ['npm', ['start']];
  const { child: npm, stdout, stderr, exited } = spawnGroup(command, args, { cwd: ROOT, env: childEnv });
  spawned.push(npm);
  return { npm, dataDir, stdout, stderr, exited };
}

/** The host's JSON log lines (npm's own banner lines are not JSON). */
const logLines = (started: Started) =>
  started
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; url?: string; storage?: string });

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function listening(started: Started) {
  let exitedEarly = false;
  void started.exited.then(() => (exitedEarly = true));
  return until('the listening line', 60_000, () => {
    if (exitedEarly) throw new Error(`npm start exited: ${started.stderr()}`);
    const line = logLines(started).find((entry) => entry.url);
    return line ? { url: line.url!.replace('localhost', '127.0.0.1'), azuritePid: Number(/pid (\d+)/.exec(line.storage ?? '')![1]) } : undefined;
  });
}

/** A process counts as gone when it has no /proc entry or is a zombie no one has reaped yet. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live processes whose command line mentions `text` (each run's data folder is unique). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) && alive(pid);
      } catch {
        return false;
      }
    });
}

/** The node host that `npm start` runs (its child with `exec`; a shell between them without). */
function hostOf(started: Started): number {
  const isNode = (pid: number) => /(^|\/)node$/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!);
  const [host] = processesMentioning('adapters/local/main.ts').filter((pid) => descendsFrom(pid, started.npm.pid!) && isNode(pid));
  expect(host).toBeDefined();
  return host!;
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current = parentOf(pid); current > 1; current = parentOf(current)) if (current === ancestor) return true;
  return false;
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

const gone = (what: string, pids: () => number[]) => until(what, 30_000, () => (pids().length === 0 ? true : undefined));
const newDataDir = () => mkdtempSync(join(tmpdir(), 'portico-lifecycle-'));

afterAll(() => {
  for (const child of spawned) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('npm start, failing after the emulators started', () => {
  let blocker: Server | undefined;
  afterAll(() => {
    blocker?.close();
  });

  it('with its port in use exits 1 with the reason and leaves no Azurite running', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const dataDir = newDataDir();
    const started = npmStart(dataDir, { PORT: String(port) });
    const { code } = await started.exited;
    expect(code).toBe(1);
    expect(started.stderr()).toMatch(/EADDRINUSE/);
    expect(started.stderr()).not.toMatch(/^\s+at /m);
    // Azurite did start (its database files are there), and it is not running any more.
    expect(readdirSync(join(dataDir, 'azurite')).length).toBeGreaterThan(0);
    await gone('the Azurite of a failed start to exit', () => processesMentioning(dataDir));
  }, 300_000);
});

describe('npm start with a bad setting', () => {
  it('refuses it before starting anything (RATE_LIMIT_DEFAULT=-1, which used to be read after the emulators started)', async () => {
    const dataDir = newDataDir();
    const started = npmStart(dataDir, { RATE_LIMIT_DEFAULT: '-1', PORT: '0' });
    const { code } = await started.exited;
    expect(code).toBe(1);
    expect(started.stderr()).toMatch(/RATE_LIMIT_DEFAULT/);
    expect(started.stderr()).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dataDir, 'azurite'))).toBe(false);
    await gone('everything of that run to exit', () => processesMentioning(dataDir));
  }, 300_000);
});

describe('npm start, ended by a signal', () => {
  it('kill -9 of the host takes its Azurite with it', async () => {
    const started = npmStart(newDataDir());
    const { azuritePid } = await listening(started);
    const host = hostOf(started);
    expect(childrenOf(host)).toContain(azuritePid);
    process.kill(host, 'SIGKILL');
    await gone('Azurite to follow its host', () => [azuritePid].filter(alive));
    await gone('everything of that run to exit', () => processesMentioning(started.dataDir));
  }, 300_000);

  it('SIGTERM to npm reaches the host: it logs shutting down, writes its snapshot and exits 0', async () => {
    const started = npmStart(newDataDir());
    const { azuritePid } = await listening(started);
    const host = hostOf(started);
    process.kill(started.npm.pid!, 'SIGTERM');
    await gone('the host to exit', () => [host, azuritePid].filter(alive));
    await started.exited;
    const messages = logLines(started).map((line) => line.msg);
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('stopped');
    expect(existsSync(join(started.dataDir, 'cosmos.json'))).toBe(true);
  }, 300_000);
});

describe('npm start, crashed', () => {
  it('keeps a user created just before kill -9: the snapshot follows changes, not only shutdowns', async () => {
    const dataDir = newDataDir();
    const first = npmStart(dataDir);
    const { url, azuritePid } = await listening(first);
    const post = (base: string, path: string, body: unknown) =>
      fetch(`${base}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const email = `crash-${process.pid}@example.com`;
    const password = 'correct horse battery staple';
    expect((await post(url, 'auth/request-pin', { email })).status).toBe(202);
    const outbox = (await (await fetch(`${url}/api/dev/outbox?email=${encodeURIComponent(email)}`)).json()) as { messages: { text: string }[] };
    const pin = /\b(\d{6,8})\b/.exec(outbox.messages.at(-1)!.text)![1];
    expect((await post(url, 'auth/confirm-signup', { email, pin, password })).status).toBe(201);

    // Written through within about a second, with no shutdown.
    const snapshot = join(dataDir, 'cosmos.json');
    await until('the snapshot to hold the new user', 30_000, () => (existsSync(snapshot) && readFileSync(snapshot, 'utf8').includes(email) ? true : undefined));
    const host = hostOf(first);
    process.kill(host, 'SIGKILL');
    await first.exited;
    await gone('the crashed run to exit', () => [host, azuritePid].filter(alive));

    const second = npmStart(dataDir);
    const again = await listening(second);
    const login = await post(again.url, 'auth/login', { email, password });
    expect(login.status).toBe(200);
    process.kill(second.npm.pid!, 'SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 300_000);
});
