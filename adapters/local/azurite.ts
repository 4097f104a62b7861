/**
 * Embedded Azurite for `npm start` and the tests: the real Storage emulator from npm, in
 * memory, on free loopback ports, stopped with the process that started it, however that
 * process ends (see WATCHDOG).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

/** Azurite's published development account; it only ever opens the emulator. */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * Runs Azurite's entry (argv[1]) in the child behind an IPC channel to its parent. The kernel
 * closes the parent's end of that socket whenever the parent ends (exit, crash, SIGKILL), and
 * the child sees 'disconnect' at once: no polling, no pid reuse, nothing the parent must do.
 * Azurite's own SIGTERM handler then closes its servers (and flushes its persistence).
 */
const WATCHDOG = `
// Azurite exits when its servers close; the channel must not keep it alive after that.
process.channel.unref();
process.once('disconnect', () => {
  setTimeout(() => process.exit(0), 5000).unref();
  process.kill(process.pid, 'SIGTERM');
});
require(process.argv[1]);
`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Azurite {
  /** The emulator's process id (for the operator and the process-level tests). */
  pid: number;
  connectionString: string;
  blobPort: number;
  queuePort: number;
  stop(): Promise<void>;
}

export function connectionString(blobPort: number, queuePort: number): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${ACCOUNT_KEY}`,
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT}`,
  ].join(';');
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms: ${output.slice(-500)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Azurite prints one "... successfully listening at ..." line per service (blob, queue, table).
      if ((output.match(/successfully listening at/g) ?? []).length >= 3) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code}: ${output.slice(-500)}`));
    });
  });
}

/** In memory by default; with `location`, Azurite's own persistence in that folder survives restarts. */
export async function startAzurite(options: { location?: string } = {}): Promise<Azurite> {
  const entry = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const blobPort = await freePort();
  const queuePort = await freePort();
  const tablePort = await freePort();
  const child = spawn(
    process.execPath,
    [
      '-e',
      WATCHDOG,
      entry,
      // In memory, cap the extent store (Azurite would take half the machine's memory).
      ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence', '--extentMemoryLimit', '256']),
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--loose',
      '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
      '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
      '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  // The channel exists for its 'disconnect'; it must not keep this process alive.
  child.channel?.unref();
  try {
    await waitForReady(child, 120_000); // seconds alone, much longer on a busy machine
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    pid: child.pid!,
    connectionString: connectionString(blobPort, queuePort),
    blobPort,
    queuePort,
    async stop() {
      const gone = () => child.exitCode !== null || child.signalCode !== null;
      if (gone()) return;
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // The fallback is unref'd (it never holds the caller's event loop) and cleared once Azurite exits.
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000).unref()))]);
      clearTimeout(timer);
      if (!gone()) child.kill('SIGKILL');
    },
  };
}
