/**
 * `npm start` (or `npm run start:gcp`) as a child process, for end-to-end tests: `adapters/local/main.ts`
 * (or `adapters/gcp/start.ts`) on a free port,
 * with the environment a test gives it, resolved once its start-up line says where it listens.
 *
 *   const first = await startLocalHost({ dataDir });                  // embedded Azurite + Cosmos emulator
 *   const second = await startLocalHost({ dataDir, env: sharedWith(first) }); // the same data, another process
 *   await fetch(`${first.url}/api/health`);
 *   await second.stop(); await first.stop();                          // SIGTERM, then the exit code
 *
 * Each child leads its own process group, so `kill()` also ends the emulators' children.
 */
import { rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectionString, freePort } from '../../adapters/local/azurite.ts';
import { EMULATOR_KEY } from '../../adapters/local/cosmos-emulator.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The host's own infrastructure settings: a test says what it wants, the caller's shell does not leak in.
const INHERITED_OUT = ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY', 'JWT_SECRET', 'ADMIN_USER_IDS', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY'];

export interface StartLine {
  url: string;
  /** `embedded Cosmos emulator at http://…, snapshot in …`, or the configured endpoint. */
  cosmos: string;
  /** `embedded Azurite (blob N, queue M) in …`, or `AzureWebJobsStorage`. */
  storage: string;
}

export interface LocalHostProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  line: StartLine;
  exited: Promise<number | null>;
  /** SIGTERM (a graceful shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to the whole process group, if it still runs. */
  kill(): void;
  /** The last ~200 KB of its stdout (JSON log lines), for a failing test's message. */
  output(): string;
}

/**
 * A test's teardown: SIGTERM first (a graceful stop flushes the emulator's snapshot); a host that
 * hangs is killed with its whole process group (the emulators' children). Then its data folder goes.
 */
export async function stopLocalHost(host: LocalHostProcess | undefined, dataDir: string): Promise<void> {
  if (host) {
    const timer = setTimeout(() => host.kill(), 20_000);
    await host.stop();
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** Which local host to start: `npm start`, or `npm run start:gcp` (the Functions Framework). */
export type LocalEntry = 'local' | 'gcp';
const ENTRIES: Record<LocalEntry, string> = { local: 'adapters/local/main.ts', gcp: 'adapters/gcp/start.ts' };

export async function startLocalHost(options: { dataDir: string; env?: Record<string, string>; startTimeoutMs?: number; entry?: LocalEntry }): Promise<LocalHostProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', LOG_PRETTY: 'false' };
  for (const name of INHERITED_OUT) delete env[name];
  Object.assign(env, options.env, { PORT: String(port), PORTICO_DATA_DIR: options.dataDir });
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ENTRIES[options.entry ?? 'local']], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  let out = '';
  // Always drained (a full pipe would block the child); only the tail is kept.
  child.stdout!.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-200_000);
  });
  const line = await new Promise<StartLine>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within the start timeout: ${out.slice(-2000)}`)), options.startTimeoutMs ?? 180_000);
    const onData = () => {
      for (const text of out.split('\n').slice(0, -1)) {
        if (!text.startsWith('{')) continue;
        const entry = JSON.parse(text) as Partial<StartLine>;
        if (entry.url && entry.cosmos && entry.storage) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(entry as StartLine);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code}: ${out.slice(-2000)}`));
    });
  }).catch((error: unknown) => {
    kill();
    throw error;
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    line,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill,
    output: () => out,
  };
}

/** The Cosmos endpoint of a host that started the embedded emulator. */
export function cosmosEndpointOf(line: StartLine): string {
  const match = /at (http:\/\/[^,\s]+)/.exec(line.cosmos);
  if (!match?.[1]) throw new Error(`no embedded Cosmos emulator in: ${line.cosmos}`);
  return match[1];
}

/** The Storage connection string of a host that started the embedded Azurite. */
export function storageConnectionOf(line: StartLine): string {
  const match = /blob (\d+), queue (\d+)/.exec(line.storage);
  if (!match) throw new Error(`no embedded Azurite in: ${line.storage}`);
  return connectionString(Number(match[1]), Number(match[2]));
}

/** The settings that make another host use the same data (Cosmos and Storage) as `host`. */
export function sharedDataWith(host: LocalHostProcess): Record<string, string> {
  return { COSMOS_DB_ENDPOINT: cosmosEndpointOf(host.line), COSMOS_DB_KEY: EMULATOR_KEY, AzureWebJobsStorage: storageConnectionOf(host.line) };
}
