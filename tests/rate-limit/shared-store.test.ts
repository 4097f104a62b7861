/**
 * Proof: two limiter instances (two hosts) sharing one store admit the limit, no more and no
 * less, under concurrent bursts from both. 300 requests from one client against a limit of 50:
 * accepted must be within [50, 52.5]; and the writers must really have collided, or the test
 * proved nothing. Each host is the real standard stack (httpHandler) with its own limiter. On
 * the Cosmos emulator and in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { DocumentExistsError, PreconditionFailedError } from '../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore } from '../../domain/ports.ts';
import { json } from '../../middleware/http-stack.ts';
import { loadRateLimits, RateLimiter, rateLimitsContainer } from '../../middleware/rate-limit.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';
import { serve } from './support.ts';

const LIMIT = 50;
const REQUESTS = 300;
// Mid-window and frozen: the burst must not straddle a window boundary.
const clock = { now: () => new Date(Date.UTC(2026, 10, 22, 10, 0, 20)) };

/** Counts lost races (412 on replace, 409 on create), to show that the instances really contended. */
function counting(inner: DocumentStore) {
  const stats = { lostRaces: 0 };
  const store: DocumentStore = {
    ensure: (specs) => inner.ensure(specs),
    repository: <T extends Document>(spec: ContainerSpec): DocumentRepository<T> => {
      const repository = inner.repository<T>(spec);
      const track = async <R>(work: Promise<R>) => {
        try {
          return await work;
        } catch (error) {
          if (error instanceof PreconditionFailedError || error instanceof DocumentExistsError) stats.lostRaces++;
          throw error;
        }
      };
      return {
        get: (id, partitionKey) => repository.get(id, partitionKey),
        create: (document) => track(repository.create(document)),
        upsert: (document) => repository.upsert(document),
        replace: (document, ifMatch) => track(repository.replace(document, ifMatch)),
        delete: (id, partitionKey, ifMatch) => repository.delete(id, partitionKey, ifMatch),
        query: (spec) => repository.query(spec),
        purgeExpired: (max) => repository.purgeExpired(max),
      };
    },
  };
  return { store, stats };
}

async function burst(shared: DocumentStore) {
  await shared.ensure([rateLimitsContainer]);
  const { store, stats } = counting(shared);
  const config = loadRateLimits({ RATE_LIMIT_DEFAULT: String(LIMIT) });
  // Two hosts: separate platforms and limiters (each with its own local cache) over one store.
  // No deadline: on a busy machine the 2 s default lets requests through (fail open), and this
  // proves exactness under contention, not speed.
  const limiter = () => new RateLimiter({ store, clock, timeoutMs: 10 * 60_000 });
  const hosts = [0, 1].map(() => serve({}, async () => json(200, {}), testPlatform({ rateLimits: { config, limiter: limiter() } })));
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, index) => {
      const event = httpEvent({ method: 'POST', path: '/api/test' });
      event.requestContext.http.sourceIp = '203.0.113.77';
      return (await hosts[index % 2]!(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
    }),
  );
  const count = (status: number) => results.filter((result) => result.statusCode === status).length;
  return { accepted: count(200), refused: count(429), other: REQUESTS - count(200) - count(429), lostRaces: stats.lostRaces, ms: Math.round(performance.now() - started) };
}

function expectExact(result: Awaited<ReturnType<typeof burst>>) {
  expect(result.other).toBe(0);
  expect(result.accepted).toBeGreaterThanOrEqual(LIMIT);
  expect(result.accepted).toBeLessThanOrEqual(LIMIT * 1.05);
  expect(result.refused).toBe(REQUESTS - result.accepted);
  expect(result.lostRaces).toBeGreaterThan(0);
}

describe(`two limiter instances sharing one store: ${REQUESTS} concurrent requests against a limit of ${LIMIT}`, () => {
  let emulator: CosmosEmulator;
  let cosmos: CosmosDocumentStore;

  beforeAll(async () => {
    emulator = await startCosmosEmulator();
    cosmos = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `rate-${randomUUID()}` }, clock);
  });

  afterAll(async () => {
    await cosmos?.dispose();
    await emulator?.stop();
  });

  it('Cosmos DB (emulator)', async () => {
    expectExact(await burst(cosmos));
  }, 300_000);

  it('memory', async () => {
    expectExact(await burst(new MemoryDocumentStore(clock)));
  });
});
