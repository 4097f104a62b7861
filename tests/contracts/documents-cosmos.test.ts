/**
 * The DocumentRepository contract against the Cosmos DB store on the embedded emulator (a fresh
 * database per run), plus what only Cosmos has: error mapping, an unreachable account, the ping.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore, mapCosmosError, pingCosmos } from '../../adapters/cosmos/document-store.ts';
import { freePort } from '../../adapters/local/azurite.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { DocumentExistsError, PreconditionFailedError, StoreUnavailableError } from '../../domain/errors.ts';
import { describeDocumentRepositoryContract } from './document-repository.contract.ts';

let emulator: CosmosEmulator;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
});

afterAll(async () => {
  await emulator?.stop();
});

describeDocumentRepositoryContract('Cosmos DB (emulator)', async () => {
  let now = Date.now();
  const clock = { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
  const store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `contract-${randomUUID()}` }, clock);
  return { store, clock, teardown: () => store.dispose() };
});

describe('Cosmos DB store: what only Cosmos has', () => {
  it('maps SDK errors to the typed store errors', () => {
    expect(mapCosmosError({ code: 409 })).toBeInstanceOf(DocumentExistsError);
    expect(mapCosmosError({ code: 412 })).toBeInstanceOf(PreconditionFailedError);
    const throttled = mapCosmosError({ code: 429, headers: { 'x-ms-retry-after-ms': '1500' } });
    expect(throttled).toBeInstanceOf(StoreUnavailableError);
    expect(throttled).toMatchObject({ status: 503, headers: { 'retry-after': '2' } });
    expect(mapCosmosError({ code: 429, headers: {} })).toMatchObject({ headers: { 'retry-after': '1' } });
    for (const error of [{ code: 503 }, { code: 408 }, { code: 'ECONNREFUSED' }, Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } })]) {
      expect(mapCosmosError(error)).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    }
    const other = Object.assign(new Error('bad request'), { code: 400 });
    expect(mapCosmosError(other)).toBe(other);
  });

  it('an unreachable account is a StoreUnavailableError, not a crash', async () => {
    const port = await freePort();
    const store = new CosmosDocumentStore({ endpoint: `http://127.0.0.1:${port}`, key: emulator.key, database: 'nowhere' });
    try {
      await expect(store.ensure([{ name: 'x', partitionKey: 'id' }])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.repository({ name: 'x', partitionKey: 'id' }).get('a', 'a')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.dispose();
    }
  });

  it('pingCosmos answers for a live account and fails for a dead one', async () => {
    await pingCosmos(emulator.endpoint, emulator.key, AbortSignal.timeout(5000));
    const port = await freePort();
    await expect(pingCosmos(`http://127.0.0.1:${port}`, emulator.key, AbortSignal.timeout(2000))).rejects.toBeDefined();
  });

  it('writes a whole-second ttl (at least 1) that tracks expiresAt, and never shows it', async () => {
    const database = `ttl-${randomUUID()}`;
    const store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database });
    const { CosmosClient } = await import('@azure/cosmos');
    const client = new CosmosClient({ endpoint: emulator.endpoint, key: emulator.key, connectionPolicy: { enableEndpointDiscovery: false } });
    try {
      const spec = { name: 'ttl', partitionKey: 'id' };
      await store.ensure([spec]);
      const items = store.repository(spec);
      await items.create({ id: 'later', expiresAt: Date.now() + 90_500 });
      await items.create({ id: 'gone', expiresAt: Date.now() - 5_000 });
      await items.create({ id: 'forever' });
      const raw = async (id: string) => (await client.database(database).container('ttl').item(id, id).read()).resource as Record<string, unknown>;
      expect((await raw('later')).ttl).toBeGreaterThanOrEqual(90);
      expect((await raw('later')).ttl).toBeLessThanOrEqual(91);
      expect((await raw('gone')).ttl).toBe(1);
      expect(await raw('forever')).not.toHaveProperty('ttl');
      const { resource: container } = await client.database(database).container('ttl').read();
      expect(container?.defaultTtl).toBe(-1);
      expect(container?.partitionKey?.paths).toEqual(['/id']);
    } finally {
      client.dispose();
      await store.dispose();
    }
  });
});
