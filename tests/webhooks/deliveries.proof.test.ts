/**
 * Proof: 1,000 deliveries through the full stack on two instances sharing one store: 50% fresh
 * valid deliveries, 30% replays of earlier ids (the same request captured and resent, or the
 * sender's retry re-signed with a fresh timestamp), 10% stale or future, 10% badly signed
 * (half of those two groups reuse valid ids). Fired 32 at a time, in a seeded random order,
 * against a handler that takes a little while, so replays overlap their originals.
 *
 * The handler's side effects must equal the number of unique valid ids exactly (each id once),
 * nothing may answer 5xx, and every refusal must be the right 401; replays answer 200
 * duplicate, 200 (when the replay happened to win), or 409 in progress. On the Cosmos emulator
 * and in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import type { DocumentStore } from '../../domain/ports.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { webhookDeliveriesContainer, type WebhookEvent } from '../../middleware/webhooks.ts';
import { NEW_SECRET, OLD_SECRET, OTHER_SECRET, T0, delivery, problemOf, webhookRoute } from './support.ts';

const TOTAL = 1000;
const FRESH = 500;
const REPLAYS = 300;
const STALE = 100;
const BAD = 100;

/** mulberry32: a small seeded generator, so a failure can be replayed exactly. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'fresh' | 'replay' | 'stale' | 'bad';
interface Planned {
  kind: Kind;
  id: string;
  event: APIGatewayProxyEventV2;
}

function plan(seed: number): Planned[] {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const now = Math.floor(T0 / 1000);
  const body = (n: number) => JSON.stringify({ type: 'voice.trained', n });
  const originals: Planned[] = Array.from({ length: FRESH }, (_, n) => {
    const id = `msg_${n}`;
    // Sent up to four minutes ago, signed with either secret (a rotation is under way).
    const timestamp = now - Math.floor(rand() * 240);
    return { kind: 'fresh', id, event: delivery({ id, timestamp, body: body(n), secrets: [pick([OLD_SECRET, NEW_SECRET])] }) };
  });
  const others: Planned[] = [];
  for (let i = 0; i < STALE; i++) {
    const id = i % 2 ? `msg_${Math.floor(rand() * FRESH)}` : `stale_${i}`;
    const offset = (301 + Math.floor(rand() * 3000)) * (i % 4 < 2 ? -1 : 1);
    others.push({ kind: 'stale', id, event: delivery({ id, timestamp: now + offset, body: body(i) }) });
  }
  const badlySigned: ((id: string) => APIGatewayProxyEventV2)[] = [
    (id) => delivery({ id, timestamp: now, body: body(1), secrets: [OTHER_SECRET] }),
    (id) => ({ ...delivery({ id, timestamp: now, body: body(1) }), body: body(2) }),
    (id) => delivery({ id, timestamp: now, body: body(1), headers: { 'webhook-signature': `v1,${Buffer.alloc(32, 9).toString('base64')}` } }),
    (id) => delivery({ id, timestamp: now, body: body(1), headers: { 'webhook-signature': 'v1,short' } }),
    (id) => delivery({ id, timestamp: now, body: body(1), headers: { 'webhook-signature': undefined } }),
    (id) => delivery({ id, timestamp: now, body: body(1), headers: { 'webhook-timestamp': 'soon' } }),
  ];
  for (let i = 0; i < BAD; i++) {
    const id = i % 2 ? `msg_${Math.floor(rand() * FRESH)}` : `forged_${i}`;
    others.push({ kind: 'bad', id, event: pick(badlySigned)(id) });
  }
  // Originals and the rest in a random order; then each replay somewhere after its original.
  const order = [...originals, ...others].sort(() => rand() - 0.5);
  for (let i = 0; i < REPLAYS; i++) {
    const original = pick(originals);
    const resigned = rand() < 0.5;
    const event = resigned
      ? delivery({ id: original.id, timestamp: now - Math.floor(rand() * 60), body: body(Number(original.id.slice(4))), secrets: [NEW_SECRET] })
      : structuredClone(original.event);
    const after = order.indexOf(original);
    // Half land close behind their original, so they meet it in flight; the rest anywhere later.
    const gap = Math.floor(rand() * (rand() < 0.5 ? Math.min(40, order.length - after) : order.length - after));
    order.splice(after + 1 + gap, 0, { kind: 'replay', id: original.id, event });
  }
  return order;
}

async function fire(store: DocumentStore) {
  await store.ensure([webhookDeliveriesContainer]);
  const clock = { now: () => new Date(T0) };
  const rand = random(7);
  const effects = new Map<string, number>();
  const handler: PorticoHttpHandler = async (event) => {
    const { id } = (event as WebhookEvent).webhook!;
    // Some real work: long enough for replays to meet their original in flight.
    await sleep(Math.floor(rand() * 4));
    effects.set(id, (effects.get(id) ?? 0) + 1);
    return json(200, { processed: id });
  };
  // Two hosts: two real stacks (each its own platform) over one store.
  const hosts = [0, 1].map(() => webhookRoute(handler, { store, clock }));
  const deliveries = plan(Number(process.env.WEBHOOK_PROOF_SEED ?? 20261122));
  expect(deliveries).toHaveLength(TOTAL);
  const started = performance.now();
  const results = await mapWithConcurrency(deliveries, 32, (planned, index) => hosts[index % 2]!(planned.event));
  const ms = Math.round(performance.now() - started);

  const outcomes = deliveries.map((planned, index) => {
    const result = results[index]!;
    const body = JSON.parse(result.body ?? '{}') as { status?: string; processed?: string };
    const outcome =
      result.statusCode === 200 ? (body.status === 'duplicate' ? 'duplicate' : 'processed') : `${result.statusCode} ${problemOf(result).code ?? ''}`;
    return { ...planned, status: result.statusCode ?? 0, outcome };
  });
  const validIds = new Set(deliveries.filter((planned) => planned.kind === 'fresh' || planned.kind === 'replay').map((planned) => planned.id));
  const tally = (kind: Kind) => {
    const counts: Record<string, number> = {};
    for (const outcome of outcomes.filter((entry) => entry.kind === kind)) counts[outcome.outcome] = (counts[outcome.outcome] ?? 0) + 1;
    return counts;
  };
  return { outcomes, effects, validIds, ms, tally: { fresh: tally('fresh'), replay: tally('replay'), stale: tally('stale'), bad: tally('bad') } };
}

function expectProof(result: Awaited<ReturnType<typeof fire>>) {
  const { outcomes, effects, validIds } = result;
  // Exactly one side effect per unique valid id, and none for anything else.
  expect(validIds.size).toBe(FRESH);
  expect([...effects.values()].reduce((sum, count) => sum + count, 0)).toBe(validIds.size);
  expect([...effects.keys()].sort()).toEqual([...validIds].sort());
  expect([...effects.values()].every((count) => count === 1)).toBe(true);

  expect(outcomes.filter((entry) => entry.status >= 500)).toEqual([]);
  for (const entry of outcomes) {
    if (entry.kind === 'stale') expect(entry.outcome).toBe('401 stale_webhook');
    else if (entry.kind === 'bad') expect(entry.outcome).toBe('401 invalid_signature');
    else expect(['processed', 'duplicate', '409 webhook_in_progress']).toContain(entry.outcome);
  }
  // Each id was processed by exactly one of its deliveries.
  expect(outcomes.filter((entry) => entry.outcome === 'processed')).toHaveLength(FRESH);
  // The replays really were replays: most found their id done.
  expect(result.tally.replay.duplicate ?? 0).toBeGreaterThan(REPLAYS / 2);
}

describe(`${TOTAL} webhook deliveries on two instances sharing one store`, () => {
  let emulator: CosmosEmulator;
  let cosmos: CosmosDocumentStore;

  beforeAll(async () => {
    emulator = await startCosmosEmulator();
    cosmos = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `webhooks-${randomUUID()}` }, { now: () => new Date(T0) });
  });

  afterAll(async () => {
    await cosmos?.dispose();
    await emulator?.stop();
  });

  it('Cosmos DB (emulator): side effects == unique valid ids, no 5xx, every refusal the right 401', async () => {
    const result = await fire(cosmos);
    expectProof(result);
  }, 300_000);

  it('memory: side effects == unique valid ids, no 5xx, every refusal the right 401', async () => {
    const result = await fire(new MemoryDocumentStore({ now: () => new Date(T0) }));
    expectProof(result);
  });
});
