/**
 * Embedded Cosmos DB emulator (`@vercel/cosmosdb-server`) for `npm start` and the tests: plain
 * HTTP (its bundled certificate has expired) on a free loopback port.
 *
 * It runs on a worker thread of this process: the emulator does all its query work
 * synchronously, and on its own thread it neither stalls the caller's event loop nor shares its
 * core (about twice the throughput on two cores). With `snapshotFile`, the data survives restarts:
 * loaded through the real SDK on start, dumped on stop.
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
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
`;

function startServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const entry = createRequire(import.meta.url).resolve('@vercel/cosmosdb-server');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry } });
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

export async function startCosmosEmulator(options: { snapshotFile?: string } = {}): Promise<CosmosEmulator> {
  const server = await startServer();
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new CosmosClient({ endpoint, key: EMULATOR_KEY, connectionPolicy: { enableEndpointDiscovery: false } });
  const { snapshotFile } = options;
  try {
    if (snapshotFile) await restore(client, snapshotFile);
  } catch (error) {
    client.dispose();
    await server.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    key: EMULATOR_KEY,
    stop: () =>
      (stopping ??= (async () => {
        try {
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
