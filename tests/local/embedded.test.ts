/**
 * `npm start` on embedded defaults, end to end: Azurite and the Cosmos emulator start by
 * themselves, a timer run on demand fans out jobs that the queue poller runs to completion,
 * and after a restart the data is still there (.data/: Azurite's persistence and a snapshot
 * of the emulator's documents).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { CosmosClient } from '@azure/cosmos';
import { QueueServiceClient } from '@azure/storage-queue';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectionString, freePort } from '../../adapters/local/azurite.ts';
import { createApp } from '../../app/app.ts';
import { services } from '../../app/services.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Every container of the app `npm start` runs (on default names): one purge job each. */
const { containers } = createApp({ services, env: {} });
const dataDir = mkdtempSync(join(tmpdir(), 'portico-data-'));
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  port: number;
  line: { cosmos: string; storage: string };
  exited: Promise<number | null>;
}

async function start(): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PORTICO_DATA_DIR: dataDir, LOG_LEVEL: 'info', LOG_PRETTY: 'false' };
  for (const name of ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY']) delete env[name];
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'adapters/local/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  running.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  const line = await new Promise<Started['line']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = out.split('\n').filter(Boolean).map((text) => JSON.parse(text) as { url?: string; cosmos: string; storage: string }).find((entry) => entry.url);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', () => reject(new Error(`main.ts exited: ${out}`)));
  });
  return { child, port, line, exited };
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGTERM');
  expect(await started.exited).toBe(0);
}

const endpointOf = (line: Started['line']) => /at (http:\/\/[^,\s]+)/.exec(line.cosmos)![1]!;
const storageOf = (line: Started['line']) => {
  const [, blob, queue] = /blob (\d+), queue (\d+)/.exec(line.storage)!;
  return connectionString(Number(blob), Number(queue));
};

async function purgeJobs(line: Started['line']) {
  const client = new CosmosClient({ endpoint: endpointOf(line), key: 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==', connectionPolicy: { enableEndpointDiscovery: false } });
  const { resources } = await client.database('portico').container('jobs').items.query<{ id: string; status: string }>('SELECT * FROM c').fetchAll();
  return resources.filter((job) => job.id.startsWith('purge-'));
}

afterAll(() => {
  for (const child of running) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
});

describe('npm start on embedded defaults', () => {
  it('signs a user up end to end: PIN by the dev outbox, confirm, me, refresh, logout', async () => {
    const main = await start();
    const api = (path: string) => `http://127.0.0.1:${main.port}/api/${path}`;
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(api(path), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>) };
    };
    const email = `dev-${Date.now()}@example.com`;
    expect((await post('auth/request-pin', { email })).status).toBe(202);
    const outbox = (await (await fetch(api(`dev/outbox?email=${encodeURIComponent(email)}`))).json()) as { messages: { text: string }[] };
    const pin = /\b(\d{6,8})\b/.exec(outbox.messages.at(-1)!.text)![1];
    const signup = await post('auth/confirm-signup', { email, pin, password: 'correct horse battery staple' });
    expect(signup.status).toBe(201);
    const accessToken = signup.body!.accessToken as string;
    const me = await fetch(api('auth/me'), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email, isAdmin: false });
    const refreshed = await post('auth/refresh', { refreshToken: signup.body!.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await post('auth/logout', { refreshToken: refreshed.body!.refreshToken })).status).toBe(204);
    const again = await post('auth/refresh', { refreshToken: refreshed.body!.refreshToken });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'invalid_refresh_token' });
    await stop(main);
  }, 300_000);

  it('runs a timer, its jobs through the queue, and keeps the data across a restart', async () => {
    const first = await start();
    const health = await (await fetch(`http://127.0.0.1:${first.port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'healthy', dependencies: { storage: { status: 'up' }, cosmos: { status: 'up' } } });

    const ran = await fetch(`http://127.0.0.1:${first.port}/admin/functions/purge-expired`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await ran.json()).toMatchObject({ status: 'succeeded' });
    // One purge job per container, run by the jobs-system-jobs worker that polls its queue.
    const deadline = Date.now() + 20_000;
    let jobs = await purgeJobs(first.line);
    while (!(jobs.length === containers.length && jobs.every((job) => job.status === 'completed')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      jobs = await purgeJobs(first.line);
    }
    expect(jobs.map((job) => job.status)).toEqual(containers.map(() => 'completed'));
    await stop(first);
    expect(existsSync(join(dataDir, 'cosmos.json'))).toBe(true);

    const second = await start();
    expect((await purgeJobs(second.line)).map((job) => job.id).sort()).toEqual(jobs.map((job) => job.id).sort());
    const queues: string[] = [];
    for await (const queue of QueueServiceClient.fromConnectionString(storageOf(second.line)).listQueues()) queues.push(queue.name);
    expect(queues).toEqual(expect.arrayContaining(['system-jobs', 'system-jobs-poison']));
    await stop(second);
  }, 300_000);
});
