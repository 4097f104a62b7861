/**
 * The weekly digest through its factories (the timer, the job's createRun and the routes), the
 * real job worker and the HTTP stack, on memory ports.
 */
import { describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import { forbidden, unauthorized } from '../../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { digestsContainer, type DigestDoc } from '../../../handlers/wardrobe/digest/store.ts';
import { createRun } from '../../../handlers/wardrobe/digest/digest.job.ts';
import { digestHistory, latestDigest, runDigest, weeklyDigest as weeklyDigestDef } from '../../../handlers/wardrobe/digest/functions.ts';
import { digestJob } from '../../../handlers/wardrobe/digest/jobs.ts';
import { history, latest, run } from '../../../handlers/wardrobe/digest/digest.routes.ts';
import { weeklyDigest } from '../../../handlers/wardrobe/digest/weekly.timer.ts';
import type { StoredItemDoc } from '../../../handlers/wardrobe/insights/store.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import type { DeadLetterRecord } from '../../../jobs/dead-letters.ts';
import type { JobRun, JobSpec } from '../../../kernel/jobs.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { context, memoryRuntime, pump } from '../../support/jobs.ts';
import { lambdaContext, testPlatform } from '../../support/platform.ts';
import { call } from '../scraper/support.ts';
import { ANN_ITEMS, ANN_SUGGESTIONS, item, MONDAY } from './items.ts';

const platform = testPlatform({
  authenticate: async (event, accepted) => {
    const userId = event.headers['x-test-user'];
    if (!userId) throw unauthorized();
    const isAdmin = userId === 'ops';
    if (!isAdmin && !accepted.includes('user')) throw forbidden();
    return { userId, qualifiedId: `portico|${userId}`, issuer: 'portico', via: 'token', roles: [], isAdmin };
  },
});

interface Flight {
  now: number;
  max: number;
  built: string[];
}

/** `target` with some of its methods replaced; the others still run on the target (its private fields stay reachable). */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get: (object, key) => {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value = Reflect.get(object, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * The memory store, watched: a user's build is in flight from the first read of its items to the
 * write of its digest (the builder's first and last store calls), and the items of `failFor`
 * users cannot be read, so their builds fail.
 */
function watched(store: DocumentStore, flight: Flight, failFor: readonly string[]): DocumentStore {
  return overriding(store, {
    repository: <T extends Document>(spec: ContainerSpec): DocumentRepository<T> => {
      const repository = store.repository<T>(spec);
      if (spec.name === itemsContainer.name) {
        return overriding(repository, {
          query: async (query) => {
            const userId = query.partitionKey;
            // One user's first page: a build starts (the owners' skip scan reads across partitions).
            if (userId !== undefined && !query.continuation) {
              flight.max = Math.max(flight.max, ++flight.now);
              await new Promise((resolve) => setImmediate(resolve));
              if (failFor.includes(userId)) {
                flight.now--;
                throw new Error(`items of ${userId} unreadable`);
              }
            }
            return repository.query(query);
          },
        });
      }
      if (spec.name === digestsContainer.name) {
        return overriding(repository, {
          upsert: async (document) => {
            try {
              const stored = await repository.upsert(document);
              flight.built.push((document as unknown as DigestDoc).userId);
              return stored;
            } finally {
              flight.now--;
            }
          },
        });
      }
      return repository;
    },
  });
}

function digestHarness(options: { failFor?: readonly string[]; maxConcurrency?: number } = {}) {
  const flight: Flight = { now: 0, max: 0, built: [] };
  // The job as the worker binds it (built below, once the runtime's client exists).
  const spec: JobSpec = { ...(digestJob as JobSpec), handler: undefined, run: (payload, ctx) => job(payload, ctx) };
  const harness = memoryRuntime([spec]);
  const { deps, clock, runtime } = harness;
  clock.set(MONDAY.getTime() + 3000);
  // What the factories get from the composition root (deps), on memory ports.
  const ports = { documents: deps.documents, clock, logger: deps.logger, jobs: runtime.client, ids: deps.ids };
  // The real job, on the watched store.
  const job = createRun({ ...ports, documents: watched(deps.documents, flight, options.failFor ?? []), settings: { digest: { maxConcurrency: options.maxConcurrency ?? 4 } } }) as JobRun<unknown>;
  const weekly = weeklyDigest(ports, weeklyDigestDef);
  let n = 0;
  const http = {
    latest: httpHandler(latestDigest, latest(ports), platform),
    history: httpHandler(digestHistory, history(ports), platform),
    run: httpHandler(runDigest, run({ ...ports, ids: { next: () => `run-${++n}` } }), platform),
  };
  const fire = (time: string) => weekly({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } } as ScheduledEvent, lambdaContext());
  const drain = () => pump(deps.queue, digestJob.queue, (event) => runtime.worker(event, context()));
  const seed = async (items: readonly StoredClothingItem[]) => {
    for (const entry of items) await deps.documents.repository<StoredItemDoc>(itemsContainer).create(entry as StoredItemDoc);
  };
  const get = (handler: 'latest' | 'history', user: string, query = '') => call(http[handler], { method: 'GET', path: handler === 'latest' ? '/api/digest/latest' : '/api/digest', user, query });
  const adminRun = (user: string | undefined, query = '', headers: Record<string, string> = {}) => call(http.run, { method: 'POST', path: '/api/admin/digest/run', ...(user ? { user } : {}), query, headers });
  return { ...harness, flight, fire, drain, seed, get, adminRun };
}

describe('the weekly digest', () => {
  it("fans out from the timer once per slot; the worker builds each owner's digest; latest and history answer", async () => {
    const t = digestHarness();
    await t.seed([...ANN_ITEMS, item('bob', 'b1', { category: 'Shoes', dateAdded: '2026-11-20T00:00:00Z' })]);
    await t.fire('2026-11-23T06:00:03Z');
    await t.fire('2026-11-23T06:00:09Z'); // the same slot again: nothing more
    expect(await t.deps.queue.count(digestJob.queue)).toBe(1);
    expect(await t.drain()).toBe(1);
    expect(t.flight.built.sort()).toEqual(['ann', 'bob']);

    const latest = await t.get('latest', 'ann');
    expect(latest.statusCode).toBe(200);
    // Built at the clock's time; the idle days counted to the slot (MONDAY 06:00).
    expect(latest.json).toEqual({
      digest: { id: 'ann-43e35ac265e5bdd9', userId: 'ann', generatedAt: '2026-11-23T06:00:03Z', wardrobeHash: '43e35ac265e5bdd9', suggestions: ANN_SUGGESTIONS, stylesConsidered: [], totalItems: 5, itemsWithWearHistory: 4 },
    });
    expect((await t.get('latest', 'bob')).json.digest).toMatchObject({ userId: 'bob', totalItems: 1, itemsWithWearHistory: 0 });
    expect((await t.get('latest', 'carol')).json).toEqual({ digest: null });
    expect((await t.get('history', 'bob')).json.items).toHaveLength(1);
  });

  it('a second run over an unchanged wardrobe builds nothing; a changed one makes a new digest', async () => {
    const t = digestHarness();
    await t.seed(ANN_ITEMS);
    expect((await t.adminRun('ops', 'userId=ann')).statusCode).toBe(202);
    await t.drain();
    t.clock.advance(60_000);
    await t.adminRun('ops', 'userId=ann');
    await t.drain();
    expect(t.flight.built).toEqual(['ann']);
    await t.deps.documents.repository<StoredItemDoc>(itemsContainer).upsert({ ...ANN_ITEMS[0]!, wearCount: 5 } as StoredItemDoc);
    await t.adminRun('ops', 'userId=ann');
    await t.drain();
    expect(t.flight.built).toEqual(['ann', 'ann']);
    const first = await t.get('history', 'ann', 'limit=1');
    expect((first.json.items as DigestDoc[]).map((digest) => digest.id)).toEqual(['ann-38efeacc7d1ef918']);
    const second = await t.get('history', 'ann', `limit=1&continuation=${encodeURIComponent(first.json.continuation as string)}`);
    expect((second.json.items as DigestDoc[]).map((digest) => digest.id)).toEqual(['ann-43e35ac265e5bdd9']);
  });

  it('a failing user is split off, retried and dead-lettered, never dropped; the others are built', async () => {
    const t = digestHarness({ failFor: ['bad'] });
    await t.seed([item('ann', 'a1'), item('bad', 'x1'), item('bob', 'b1')]);
    await t.fire('2026-11-23T06:00:03Z');
    for (let round = 0; round < 5; round++) {
      await t.drain();
      t.clock.advance(120_000);
    }
    expect(t.flight.built.sort()).toEqual(['ann', 'bob']);
    const letters = await t.runtime.deadLetters.list({ limit: 10, type: digestJob.type });
    expect(letters.items).toHaveLength(1);
    const letter = letters.items[0] as DeadLetterRecord;
    expect(letter).toMatchObject({ reason: 'max_attempts', attempts: 3, envelope: { payload: { userIds: ['bad'], asOf: '2026-11-23T06:00:00.000Z' } } });
    expect(letter.lastError).toContain('items of bad unreadable');
    expect((await t.get('latest', 'bad')).json).toEqual({ digest: null });
  });

  it("an admin's traced run hands its trace to the jobs and a split-off user's retries", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const t = digestHarness({ failFor: ['bad'] });
    await t.seed([item('ann', 'a1'), item('bad', 'x1'), item('bob', 'b1')]);
    expect((await t.adminRun('ops', '', { traceparent })).statusCode).toBe(202);
    for (let round = 0; round < 5; round++) {
      await t.drain();
      t.clock.advance(120_000);
    }
    expect(t.flight.built.sort()).toEqual(['ann', 'bob']);
    const letters = await t.runtime.deadLetters.list({ limit: 10, type: digestJob.type });
    expect(letters.items).toMatchObject([{ envelope: { payload: { userIds: ['bad'] }, traceparent } }]);
  });

  it('builds at most WEEKLY_DIGEST_MAX_CONCURRENCY users at once, and pages owners into batches of 25', async () => {
    const t = digestHarness({ maxConcurrency: 3 });
    const owners = Array.from({ length: 30 }, (_, n) => `user-${String(n).padStart(2, '0')}`);
    await t.seed(owners.flatMap((owner) => [item(owner, `${owner}-a`), item(owner, `${owner}-b`)]));
    const started = await t.adminRun('ops');
    expect(started.statusCode).toBe(202);
    expect(started.json).toMatchObject({ week: '2026-W48', users: 30, jobs: [expect.any(String), expect.any(String)] });
    await t.drain();
    expect(t.flight.built.sort()).toEqual(owners);
    expect(t.flight.max).toBe(3);
  });

  it('the admin route is admin-only', async () => {
    const t = digestHarness();
    expect((await t.adminRun(undefined)).statusCode).toBe(401);
    expect((await t.adminRun('ann')).statusCode).toBe(403);
    expect((await t.adminRun('ops', 'other=1')).statusCode).toBe(400);
    expect(await t.adminRun('ops', 'userId=ann')).toMatchObject({ statusCode: 202, json: { week: '2026-W48', users: 1, jobs: [expect.stringMatching(/^digest-admin-run-1-/)] } });
  });
});
