/**
 * Proof: optimistic concurrency loses no update. 20 writers each add 1 to one counter 25 times
 * with readModifyWrite; the counter must end at exactly 500, and the writers must actually have
 * collided (412s seen), or the test proved nothing. Run on the Cosmos emulator and in memory.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { readModifyWrite } from '../../domain/documents.ts';
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { Document, DocumentRepository, DocumentStore } from '../../domain/ports.ts';

const WRITERS = 20;
const INCREMENTS = 25;

interface Counter extends Document {
  scope: string;
  value: number;
}

/** Counts the 412s the repository answers, so the test can show that writers really raced. */
function counting(repository: DocumentRepository<Counter>) {
  const stats = { preconditionFailures: 0 };
  const wrapped: DocumentRepository<Counter> = {
    get: (id, partitionKey) => repository.get(id, partitionKey),
    create: (document) => repository.create(document),
    upsert: (document) => repository.upsert(document),
    delete: (id, partitionKey, ifMatch) => repository.delete(id, partitionKey, ifMatch),
    query: (spec) => repository.query(spec),
    purgeExpired: (max) => repository.purgeExpired(max),
    replace: async (document, ifMatch) => {
      try {
        return await repository.replace(document, ifMatch);
      } catch (error) {
        if (error instanceof PreconditionFailedError) stats.preconditionFailures++;
        throw error;
      }
    },
  };
  return { repository: wrapped, stats };
}

async function race(store: DocumentStore) {
  const spec = { name: 'counters', partitionKey: 'scope' };
  await store.ensure([spec]);
  const { repository, stats } = counting(store.repository<Counter>(spec));
  const increment = (current: Counter | undefined): Counter => ({ id: 'hits', scope: 'global', value: (current?.value ?? 0) + 1 });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = 0; i < INCREMENTS; i++) await readModifyWrite(repository, 'hits', 'global', increment, 1000);
    }),
  );
  const final = await repository.get('hits', 'global');
  return { value: final?.value, retries: stats.preconditionFailures, ms: Math.round(performance.now() - started) };
}

describe('read-modify-write under contention', () => {
  let emulator: CosmosEmulator;
  let cosmos: CosmosDocumentStore;

  beforeAll(async () => {
    emulator = await startCosmosEmulator();
    cosmos = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `race-${randomUUID()}` });
  });

  afterAll(async () => {
    await cosmos?.dispose();
    await emulator?.stop();
  });

  it(`Cosmos DB (emulator): ${WRITERS} writers x ${INCREMENTS} increments end at exactly ${WRITERS * INCREMENTS}`, async () => {
    const result = await race(cosmos);
    expect(result.value).toBe(WRITERS * INCREMENTS);
    expect(result.retries).toBeGreaterThan(0);
  }, 300_000);

  it(`memory: ${WRITERS} writers x ${INCREMENTS} increments end at exactly ${WRITERS * INCREMENTS}`, async () => {
    const result = await race(new MemoryDocumentStore());
    expect(result.value).toBe(WRITERS * INCREMENTS);
    expect(result.retries).toBeGreaterThan(0);
  });
});
