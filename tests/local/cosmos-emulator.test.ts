/**
 * Embedded Cosmos DB emulator (adapters/local/cosmos-emulator.ts): it serves the real SDK over
 * plain HTTP on loopback, its data survives a stop/start through the snapshot file (written
 * through after each change, so a crash loses little), and stop() really closes the port.
 */
import { describe, it, expect, afterEach } from '@jest/globals';
import { CosmosClient } from '@azure/cosmos';
import { mkdtempSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator, type CosmosEmulatorOptions, type CosmosSnapshot } from '../../adapters/local/cosmos-emulator.ts';
import { DocumentExistsError } from '../../domain/errors.ts';

function refused(endpoint: string): Promise<boolean> {
  const { port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

/** Reads the snapshot until `check` holds (each write is a whole file, renamed into place). */
async function snapshotUntil(file: string, what: string, check: (snapshot: CosmosSnapshot) => boolean): Promise<CosmosSnapshot> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const snapshot = await readFile(file, 'utf8').then((text) => JSON.parse(text) as CosmosSnapshot, () => undefined);
    if (snapshot && check(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`the snapshot never showed ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const client = (emulator: CosmosEmulator) =>
  new CosmosClient({ endpoint: emulator.endpoint, key: emulator.key, connectionPolicy: { enableEndpointDiscovery: false } });

describe('embedded Cosmos DB emulator', () => {
  const running: CosmosEmulator[] = [];
  const start = async (options?: CosmosEmulatorOptions) => {
    const emulator = await startCosmosEmulator(options);
    running.push(emulator);
    return emulator;
  };

  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
  });

  it('serves the real SDK over plain HTTP on loopback, and stop() closes the port', async () => {
    const emulator = await start();
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sdk = client(emulator);
    const { resource } = await sdk.getDatabaseAccount();
    expect(resource).toBeDefined();
    sdk.dispose();
    await emulator.stop();
    await emulator.stop(); // a second stop is harmless
    expect(await refused(emulator.endpoint)).toBe(true);
  });

  it('keeps databases, containers (partition key, unique keys) and documents across a restart', async () => {
    const snapshotFile = join(mkdtempSync(join(tmpdir(), 'portico-cosmos-')), 'nested', 'cosmos.json');
    const spec = { name: 'people', partitionKey: 'tenant', uniqueKeys: [['email']] };

    const first = await start({ snapshotFile });
    const before = new CosmosDocumentStore({ endpoint: first.endpoint, key: first.key, database: 'portico' });
    await before.ensure([spec, { name: 'runs', partitionKey: 'id' }]);
    const people = before.repository(spec);
    await people.create({ id: 'ann', tenant: 't1', email: 'ann@example.com', tags: ['a', 'b'], expiresAt: Date.now() + 3_600_000 });
    await people.create({ id: 'bob', tenant: 't2', email: 'bob@example.com', nested: { deep: { value: 1 } } });
    await people.delete('bob', 't2').then(() => people.create({ id: 'bob', tenant: 't2', email: 'bob@example.com', nested: { deep: { value: 2 } } }));
    await before.repository({ name: 'runs', partitionKey: 'id' }).create({ id: 'run:job:1' });
    await before.dispose();
    await first.stop();

    const saved = JSON.parse(await readFile(snapshotFile, 'utf8')) as CosmosSnapshot;
    const container = saved.databases.portico?.people;
    expect(container?.partitionKey).toBe('/tenant');
    expect(container?.uniqueKeys).toEqual([['/email']]);
    expect(container?.documents.map((document) => document.id).sort()).toEqual(['ann', 'bob']);
    for (const document of container?.documents ?? []) {
      for (const field of ['_rid', '_self', '_etag', '_attachments', '_ts']) expect(document).not.toHaveProperty(field);
    }

    const second = await start({ snapshotFile });
    const sdk = client(second);
    const { resource: definition } = await sdk.database('portico').container('people').read();
    expect(definition?.partitionKey?.paths).toEqual(['/tenant']);
    expect(definition?.uniqueKeyPolicy?.uniqueKeys.map((key) => key.paths)).toEqual([['/email']]);
    sdk.dispose();

    const after = new CosmosDocumentStore({ endpoint: second.endpoint, key: second.key, database: 'portico' });
    const restored = after.repository(spec);
    expect(await restored.get('ann', 't1')).toMatchObject({ id: 'ann', tenant: 't1', email: 'ann@example.com', tags: ['a', 'b'] });
    expect(await restored.get('bob', 't2')).toMatchObject({ nested: { deep: { value: 2 } } });
    // Restored into the right partitions, with the unique key still enforced.
    expect(await restored.get('ann', 't2')).toBeUndefined();
    await expect(restored.create({ id: 'ann2', tenant: 't1', email: 'ann@example.com' })).rejects.toBeInstanceOf(DocumentExistsError);
    expect(await after.repository({ name: 'runs', partitionKey: 'id' }).get('run:job:1', 'run:job:1')).toBeDefined();
    await after.dispose();
  });

  it('writes every change through to the snapshot while running, with no stop (a crash loses at most the last moment)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'portico-cosmos-'));
    const snapshotFile = join(directory, 'cosmos.json');
    const emulator = await start({ snapshotFile, persistDelayMs: 50 });
    const store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: 'portico' });
    const spec = { name: 'notes', partitionKey: 'id' };
    await store.ensure([spec]);
    const notes = store.repository(spec);
    const ids = (snapshot: CosmosSnapshot) => (snapshot.databases.portico?.notes?.documents ?? []).map((document) => document.id).sort();

    await notes.create({ id: 'a', text: 'first' });
    await notes.create({ id: 'b', text: 'second' });
    expect(ids(await snapshotUntil(snapshotFile, 'a and b', (snapshot) => ids(snapshot).join() === 'a,b'))).toEqual(['a', 'b']);
    await notes.delete('a', 'a');
    await snapshotUntil(snapshotFile, 'the delete of a', (snapshot) => ids(snapshot).join() === 'b');
    await notes.upsert({ id: 'b', text: 'changed' });
    const changed = await snapshotUntil(snapshotFile, 'the upsert of b', (snapshot) =>
      snapshot.databases.portico?.notes?.documents.some((document) => document.text === 'changed') ?? false,
    );
    expect(changed.databases.portico?.notes?.documents).toEqual([expect.objectContaining({ id: 'b', text: 'changed' })]);
    // Written by temp file + rename: nothing half-written is left beside it.
    expect(readdirSync(directory)).toEqual(['cosmos.json']);
    await store.dispose();
  });

  it('starts empty when the snapshot file does not exist yet, and refuses one that is not a snapshot', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'portico-cosmos-'));
    const fresh = await start({ snapshotFile: join(directory, 'new.json') });
    const sdk = client(fresh);
    expect((await sdk.databases.readAll().fetchAll()).resources).toEqual([]);
    sdk.dispose();

    const broken = join(directory, 'broken.json');
    await writeFile(broken, JSON.stringify({ nope: true }));
    await expect(startCosmosEmulator({ snapshotFile: broken })).rejects.toThrow(/not a Cosmos DB snapshot/);
  });
});
