/**
 * Embedded Cosmos DB emulator (`@vercel/cosmosdb-server`) for `npm start` and the tests: plain
 * HTTP (its bundled certificate has expired) on a free loopback port.
 *
 * It runs on a worker thread of this process: the emulator does all its query work
 * synchronously, and on its own thread it neither stalls the caller's event loop nor shares its
 * core (about twice the throughput on two cores). With `snapshotFile`, the data survives restarts:
 * loaded through the real SDK on start, and written (temp file + rename) shortly after every change
 * as well as on stop, so a crash (`kill -9`) loses at most about the last second of changes.
 */
import { CosmosClient, type ContainerDefinition, type ItemDefinition } from '@azure/cosmos';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The Cosmos DB emulator's published key; this server accepts any key. */
export const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface CosmosEmulator {
  endpoint: string;
  key: string;
  /** Dumps to the snapshot file (if any), then stops the server. Safe to call twice. */
  stop(): Promise<void>;
}

/** The snapshot file: every database, container and document. */
export interface CosmosSnapshot {
  databases: Record<string, Record<string, SnapshotContainer>>;
}

export interface SnapshotContainer {
  /** The partition key path, e.g. `/tenantId`. */
  partitionKey: string;
  /** Unique-key constraints, each a list of paths. */
  uniqueKeys?: string[][];
  defaultTtl?: number;
  documents: Record<string, unknown>[];
}

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts'];

// CommonJS, evaluated on the worker; the server's path comes in through workerData.
// The patch: the emulator's upsert lets a unique-key clash escape as a 500, where Cosmos DB
// answers 409 (as its create and replace already do), so it is mapped here, not in the adapter.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { join } = require('node:path');
const operations = require(join(workerData.entry, '..', 'handler', '_document-operations.js'));
const upsert = operations.upsertOperation;
operations.upsertOperation = (collection, input) => {
  try {
    return upsert(collection, input);
  } catch (error) {
    if (!error || !error.conflict) throw error;
    return { statusCode: 409, body: { code: 'Conflict', message: error.message } };
  }
};
const { createHttpServer } = require(workerData.entry);
const server = createHttpServer({ keepAlive: true });
server.on('error', (error) => { throw error; });
// Every successful write (not a read or a query) tells the parent, which persists soon after.
const isQuery = (req) => req.method === 'POST' &&
  (/^true$/i.test(String(req.headers['x-ms-documentdb-isquery'] ?? '')) || req.headers['content-type'] === 'application/query+json');
server.on('request', (req, res) => {
  if (req.method === 'GET' || req.method === 'HEAD' || isQuery(req)) return;
  res.once('finish', () => { if (res.statusCode < 400) parentPort.postMessage({ changed: true }); });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
`;

function startServer(onChange: () => void): Promise<{ port: number; stop(): Promise<void> }> {
  const entry = createRequire(import.meta.url).resolve('@vercel/cosmosdb-server');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry } });
  worker.on('message', (message: { changed?: boolean }) => {
    if (message.changed) onChange();
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const stop = async () => {
    let timer: NodeJS.Timeout | undefined;
    worker.postMessage('stop');
    // A graceful close normally takes milliseconds; never hang on it.
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await worker.terminate();
  };
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { port: number }) => resolve({ port: message.port, stop }));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The Cosmos DB emulator exited with code ${code} before listening.`)));
  });
}

export interface CosmosEmulatorOptions {
  snapshotFile?: string;
  /** How long after a change the snapshot is written (default 500 ms); changes meanwhile join that write. */
  persistDelayMs?: number;
  /** A write-through that failed (the next change or stop() tries again). */
  onPersistError?: (error: unknown) => void;
}

/**
 * Debounced write-through: the first change arms one timer, later changes ride along, and a change
 * during a write arms the next one. Writes never overlap; close() waits for the last one.
 */
function writeThrough(write: () => Promise<void>, delayMs: number, onError: (error: unknown) => void) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;
  let closed = false;
  const run = () => {
    timer = undefined;
    dirty = false;
    running = write()
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (dirty) schedule();
      });
  };
  const schedule = () => {
    dirty = true;
    if (timer || running || closed) return;
    // Unref'd: a pending write never keeps a process alive; stop() writes anyway.
    timer = setTimeout(run, delayMs).unref();
  };
  return {
    schedule,
    /** Ends the write-through: no write is armed after this, and the one running is awaited. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export async function startCosmosEmulator(options: CosmosEmulatorOptions = {}): Promise<CosmosEmulator> {
  const { snapshotFile } = options;
  let persist: ReturnType<typeof writeThrough> | undefined;
  const server = await startServer(() => persist?.schedule());
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new CosmosClient({ endpoint, key: EMULATOR_KEY, connectionPolicy: { enableEndpointDiscovery: false } });
  try {
    if (snapshotFile) await restore(client, snapshotFile);
  } catch (error) {
    client.dispose();
    await server.stop();
    throw error;
  }
  // Armed after the restore (the snapshot already holds what it loaded).
  if (snapshotFile) {
    persist = writeThrough(() => save(client, snapshotFile), options.persistDelayMs ?? 500, options.onPersistError ?? (() => undefined));
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    key: EMULATOR_KEY,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await persist?.close();
          if (snapshotFile) await save(client, snapshotFile);
        } finally {
          client.dispose();
          await server.stop();
        }
      })()),
  };
}

async function restore(client: CosmosClient, file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const snapshot = JSON.parse(text) as CosmosSnapshot;
  if (typeof snapshot?.databases !== 'object' || snapshot.databases === null) {
    throw new Error(`${file} is not a Cosmos DB snapshot: it has no "databases" object.`);
  }
  for (const [databaseId, containers] of Object.entries(snapshot.databases)) {
    const { database } = await client.databases.createIfNotExists({ id: databaseId });
    for (const [containerId, saved] of Object.entries(containers)) {
      const path = (value: string) => (value.startsWith('/') ? value : `/${value}`);
      const { container } = await database.containers.createIfNotExists({
        id: containerId,
        partitionKey: { paths: [path(saved.partitionKey)] },
        ...(saved.uniqueKeys?.length ? { uniqueKeyPolicy: { uniqueKeys: saved.uniqueKeys.map((paths) => ({ paths: paths.map(path) })) } } : {}),
        ...(saved.defaultTtl !== undefined ? { defaultTtl: saved.defaultTtl } : {}),
      });
      // One at a time, in the saved order: the emulator orders unsorted queries by insertion.
      for (const document of saved.documents) await container.items.upsert(document);
    }
  }
}

async function save(client: CosmosClient, file: string): Promise<void> {
  const snapshot: CosmosSnapshot = { databases: {} };
  const { resources: databases } = await client.databases.readAll().fetchAll();
  for (const { id: databaseId } of databases) {
    const database = client.database(databaseId);
    const containers: Record<string, SnapshotContainer> = {};
    const { resources: definitions } = await database.containers.readAll().fetchAll();
    for (const definition of definitions as ContainerDefinition[]) {
      const id = definition.id ?? '';
      const { resources: documents } = await database.container(id).items.query<ItemDefinition>('SELECT * FROM c').fetchAll();
      const uniqueKeys = definition.uniqueKeyPolicy?.uniqueKeys.map((key) => [...key.paths]) ?? [];
      containers[id] = {
        partitionKey: definition.partitionKey?.paths[0] ?? '/id',
        ...(uniqueKeys.length ? { uniqueKeys } : {}),
        ...(definition.defaultTtl !== undefined ? { defaultTtl: definition.defaultTtl } : {}),
        documents: documents.map((document) => {
          const copy: Record<string, unknown> = { ...document };
          for (const name of SYSTEM_FIELDS) delete copy[name];
          return copy;
        }),
      };
    }
    snapshot.databases[databaseId] = containers;
  }
  // Write then rename, so a crash mid-write never leaves half a snapshot behind.
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(snapshot, null, 2)}\n`);
  await rename(temporary, file);
}
