/**
 * The weekly digest through its factories (the timer, the job's createRun and the routes), the
 * real job worker and the HTTP stack, on memory ports.
 */
import { describe, expect, it } from '@jest/globals';
import type { ScheduledEvent } from 'aws-lambda';
import type { LanguageModel, StructuredRequest } from '../../../domain/ai.ts';
import { AppError, forbidden, unauthorized } from '../../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore } from '../../../domain/ports.ts';
import { composeDigest } from '../../../domain/wardrobe/digest.ts';
import type { WardrobeItem } from '../../../domain/wardrobe/items.ts';
import { digestsContainer, type DigestDoc } from '../../../handlers/wardrobe/digest/store.ts';
import { createRun } from '../../../handlers/wardrobe/digest/digest.job.ts';
import { digestHistory, latestDigest, runDigest, weeklyDigest as weeklyDigestDef } from '../../../handlers/wardrobe/digest/functions.ts';
import { digestJob } from '../../../handlers/wardrobe/digest/jobs.ts';
import { history, latest, run } from '../../../handlers/wardrobe/digest/digest.routes.ts';
import { weeklyDigest } from '../../../handlers/wardrobe/digest/weekly.timer.ts';
import { itemsContainer, type WardrobeItemDoc } from '../../../handlers/wardrobe/items/store.ts';
import type { DeadLetterRecord } from '../../../jobs/dead-letters.ts';
import type { JobRun, JobSpec } from '../../../kernel/jobs.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { context, memoryRuntime, pump } from '../../support/jobs.ts';
import { lambdaContext, testPlatform } from '../../support/platform.ts';
import { call } from '../scraper/support.ts';
import { ANN_ITEMS, ANN_PREVIOUS, item, MONDAY } from './items.ts';

const platform = testPlatform({
  authenticate: async (event, accepted) => {
    const userId = event.headers['x-test-user'];
    if (!userId) throw unauthorized();
    const isAdmin = userId === 'ops';
    if (!isAdmin && !accepted.includes('user')) throw forbidden();
    return { userId, qualifiedId: `portico|${userId}`, issuer: 'portico', via: 'token', roles: [], isAdmin };
  },
});

/** Answers with the item count it was given, so the test can see what reached the model. */
const fakeModel = (fail?: AppError, seen: StructuredRequest<unknown>[] = []): LanguageModel => ({
  provider: 'openai',
  model: 'fake-model',
  structured: async <T>(request: StructuredRequest<T>) => {
    seen.push(request as StructuredRequest<unknown>);
    if (fail) throw fail;
    const facts = JSON.parse(request.messages[1]!.content) as { items: number; unwornCount: number };
    return { value: { summary: `You own ${facts.items} items; ${facts.unwornCount} need some love.` } as T, model: 'fake-model', usage: { inputTokens: 10, outputTokens: 10 }, offline: false };
  },
  stream: () => {
    throw new Error('not used');
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

function digestHarness(options: { model?: LanguageModel; failFor?: readonly string[]; maxConcurrency?: number } = {}) {
  const flight: Flight = { now: 0, max: 0, built: [] };
  // The job as the worker binds it (built below, once the runtime's client exists).
  const spec: JobSpec = { ...(digestJob as JobSpec), handler: undefined, run: (payload, ctx) => job(payload, ctx) };
  const harness = memoryRuntime([spec]);
  const { deps, clock, runtime } = harness;
  clock.set(MONDAY.getTime() + 3000);
  // What the factories get from the composition root (deps), on memory ports.
  const ports = { documents: deps.documents, clock, logger: deps.logger, jobs: runtime.client, ids: deps.ids };
  // The real job, on the watched store, with the model given (none: the offline template).
  const job = createRun({ ...ports, documents: watched(deps.documents, flight, options.failFor ?? []), model: options.model, settings: { digest: { maxConcurrency: options.maxConcurrency ?? 4 } } }) as JobRun<unknown>;
  const weekly = weeklyDigest(ports, weeklyDigestDef);
  let n = 0;
  const http = {
    latest: httpHandler(latestDigest, latest(ports), platform),
    history: httpHandler(digestHistory, history(ports), platform),
    run: httpHandler(runDigest, run({ ...ports, ids: { next: () => `run-${++n}` } }), platform),
  };
  const fire = (time: string) => weekly({ version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'timer', account: '', time, region: 'local', resources: [], detail: { isPastDue: false } } as ScheduledEvent, lambdaContext());
  const drain = () => pump(deps.queue, digestJob.queue, (event) => runtime.worker(event, context()));
  const seed = async (items: readonly WardrobeItem[]) => {
    for (const entry of items) await deps.documents.repository<WardrobeItemDoc>(itemsContainer).create(entry as WardrobeItemDoc);
  };
  const get = (handler: 'latest' | 'history', user: string, query = '') => call(http[handler], { method: 'GET', path: handler === 'latest' ? '/api/digest/latest' : '/api/digest', user, query });
  const adminRun = (user: string | undefined, query = '', headers: Record<string, string> = {}) => call(http.run, { method: 'POST', path: '/api/admin/digest/run', ...(user ? { user } : {}), query, headers });
  return { ...harness, flight, fire, drain, seed, get, adminRun };
}

const previousDigest: DigestDoc = {
  id: '2026-W47',
  userId: 'ann',
  ...composeDigest({ items: [], asOf: new Date('2026-11-16T06:00:00.000Z') }),
  snapshot: ANN_PREVIOUS.snapshot,
  notes: [],
  generatedAt: '2026-11-16T06:00:05.000Z',
};

describe('the weekly digest', () => {
  it("fans out from the timer once per slot; the worker builds each owner's digest; latest and history answer", async () => {
    const t = digestHarness({ model: fakeModel() });
    await t.seed([...ANN_ITEMS, item('bob', 'b1', { category: 'shoes', createdAt: '2026-11-20T00:00:00.000Z' })]);
    await t.deps.documents.repository<DigestDoc>(digestsContainer).create(previousDigest);
    await t.fire('2026-11-23T06:00:03Z');
    await t.fire('2026-11-23T06:00:09Z'); // the same slot again: nothing more
    expect(await t.deps.queue.count(digestJob.queue)).toBe(1);
    expect(await t.drain()).toBe(1);
    expect(t.flight.built.sort()).toEqual(['ann', 'bob']);

    const latest = await t.get('latest', 'ann');
    expect(latest.statusCode).toBe(200);
    expect(latest.json).toMatchObject({
      week: '2026-W48',
      asOf: '2026-11-23T06:00:00.000Z',
      previousWeek: '2026-W47',
      itemCount: 5,
      unworn: { count: 3 },
      summary: { text: 'You own 5 items; 3 need some love.', model: 'fake-model', offline: false },
      notes: [],
    });
    expect((latest.json.costPerWear as { itemId: string; costPerWearNow: number | null }[]).map((change) => [change.itemId, change.costPerWearNow])).toEqual([['i1', 50], ['i3', 4], ['i4', 120]]);
    expect(latest.json).not.toHaveProperty('snapshot');
    expect(latest.json).not.toHaveProperty('userId');

    const bob = await t.get('latest', 'bob');
    expect(bob.json).toMatchObject({ week: '2026-W48', itemCount: 1, previousWeek: null, costPerWear: [] });
    expect((await t.get('latest', 'carol')).statusCode).toBe(404);

    const first = await t.get('history', 'ann', 'limit=1');
    expect((first.json.items as { week: string }[]).map((digest) => digest.week)).toEqual(['2026-W48']);
    const second = await t.get('history', 'ann', `limit=1&continuation=${encodeURIComponent(first.json.continuation as string)}`);
    expect((second.json.items as { week: string }[]).map((digest) => digest.week)).toEqual(['2026-W47']);
    expect((await t.get('history', 'bob')).json.items).toHaveLength(1);
  });

  it('running twice for a week keeps one digest per user', async () => {
    const t = digestHarness();
    await t.seed(ANN_ITEMS);
    expect((await t.adminRun('ops', 'userId=ann')).statusCode).toBe(202);
    await t.drain();
    t.clock.advance(60_000);
    await t.adminRun('ops', 'userId=ann');
    await t.drain();
    expect(t.flight.built).toEqual(['ann', 'ann']);
    const history = await t.get('history', 'ann');
    expect((history.json.items as { week: string }[]).map((digest) => digest.week)).toEqual(['2026-W48']);
    // No model wired: the offline template sentence.
    expect((history.json.items as DigestDoc[])[0]!.summary).toEqual({
      text: 'Week 2026-W48: 5 items in your wardrobe, 3 unworn for 30+ days, 0 cost-per-wear changes and 4 suggestions.',
      model: 'offline-template',
      offline: true,
    });
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
    expect((await t.get('latest', 'bad')).statusCode).toBe(404);
  });

  it("an admin's traced run hands its trace to the jobs, the model calls and a split-off user's retries", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const requests: StructuredRequest<unknown>[] = [];
    const t = digestHarness({ model: fakeModel(undefined, requests), failFor: ['bad'] });
    await t.seed([item('ann', 'a1'), item('bad', 'x1'), item('bob', 'b1')]);
    expect((await t.adminRun('ops', '', { traceparent })).statusCode).toBe(202);
    for (let round = 0; round < 5; round++) {
      await t.drain();
      t.clock.advance(120_000);
    }
    expect(requests.map((request) => [request.task, request.traceparent])).toEqual([['wardrobe.digest-summary', traceparent], ['wardrobe.digest-summary', traceparent]]);
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

  it('a model failure leaves the summary out with a note; the digest is still stored', async () => {
    const t = digestHarness({ model: fakeModel(new AppError(504, 'model_timeout', 'The language model did not answer in time.')) });
    await t.seed(ANN_ITEMS);
    await t.adminRun('ops', 'userId=ann');
    await t.drain();
    const latest = await t.get('latest', 'ann');
    expect(latest.statusCode).toBe(200);
    expect(latest.json).not.toHaveProperty('summary');
    expect(latest.json.notes).toEqual(['summary_unavailable: model_timeout']);
    expect(latest.json).toMatchObject({ itemCount: 5, unworn: { count: 3 } });
  });

  it('the admin route is admin-only', async () => {
    const t = digestHarness();
    expect((await t.adminRun(undefined)).statusCode).toBe(401);
    expect((await t.adminRun('ann')).statusCode).toBe(403);
    expect((await t.adminRun('ops', 'other=1')).statusCode).toBe(400);
    expect(await t.adminRun('ops', 'userId=ann')).toMatchObject({ statusCode: 202, json: { week: '2026-W48', users: 1, jobs: [expect.stringMatching(/^digest-admin-run-1-/)] } });
  });
});
