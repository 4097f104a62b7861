/**
 * Property, on every route that takes `?continuation=` (wardrobe items, chat
 * conversations and one conversation's turns, digest history, dead letters), on the memory store
 * and on the Cosmos DB store (embedded emulator): a forged continuation token, of any shape and
 * wrapped in any of the envelopes the routes issue, is never a 5xx; a refusal is problem+json
 * `invalid_continuation` (or `validation_failed` for what the query schema refuses).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { unauthorized } from '../../domain/errors.ts';
import type { DocumentStore } from '../../domain/ports.ts';
import operations from '../../handlers/operations/index.ts';
import { conversationsContainer, type ConversationDoc } from '../../handlers/wardrobe/chat/store.ts';
import wardrobe from '../../handlers/wardrobe/index.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import type { Auth } from '../../middleware/auth/index.ts';
import { testApp } from '../support/app.ts';
import { testClock } from '../support/jobs.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';

const RUNS = Math.max(100, Math.ceil(Number(process.env.FUZZ_RUNS ?? 1000) / 10));
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The shapes from issue 11, and the near misses of the shapes the stores issue. */
const NAMED: unknown[] = [null, 1, [], {}, { token: 1 }, { compositeToken: null }, 'x', { token: null }, { token: 'x', range: 1 }, { rangeMappings: [null] }, { k: {}, s: 1 }, { k: 'a', s: 'x' }];
const inner = fc.oneof(
  fc.constantFrom(...NAMED),
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({ token: fc.jsonValue({ maxDepth: 1 }), range: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
  fc.record({ k: fc.jsonValue({ maxDepth: 1 }), s: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
);

interface PagedRoute {
  name: string;
  path: string;
  user: string;
  id?: string;
  /** Wraps a store token as the route's own tokens wrap it. */
  wrap: (storeToken: string) => string;
  /** The token's query parameter (the PluckIt wardrobe list names it `continuationToken`). */
  param?: string;
}

async function world(store: DocumentStore, clock: ReturnType<typeof testClock>) {
  const auth = {
    authenticate: async (event: { headers?: Record<string, string | undefined> }) => {
      const match = /^Bearer user:([a-z]+)$/.exec(event.headers?.authorization ?? '');
      if (!match?.[1]) throw unauthorized();
      return { userId: match[1], qualifiedId: `portico|${match[1]}`, issuer: 'portico', via: 'token', roles: [], isAdmin: match[1] === 'root' };
    },
    tokens: undefined,
    oidc: undefined,
  } as unknown as Auth;
  const t = testApp({ services: [wardrobe, operations], ports: { documents: store, clock, auth } });
  await store.ensure(t.app.containers);
  const call = async (name: string, user: string, init: { method?: string; path: string; query?: string; body?: unknown; id?: string }) => {
    const handler = await t.handler<HttpLambda>(name);
    const event = httpEvent({ method: init.method ?? 'GET', path: init.path, headers: { authorization: `Bearer user:${user}`, 'content-type': 'application/json' }, ...(init.query ? { query: init.query } : {}), ...(init.body ? { body: JSON.stringify(init.body) } : {}) });
    if (init.id) event.pathParameters = { id: init.id };
    const result = await handler(event, lambdaContext());
    return { status: result.statusCode ?? 0, headers: result.headers ?? {}, json: JSON.parse(result.body || '{}') as { code?: string; continuation?: string; nextContinuationToken?: string } };
  };

  // Two of each, so a first page of one has a real token, whose envelope the forgeries copy.
  for (const category of ['Coats', 'Shirts']) expect((await call('wardrobe-create', 'ann', { method: 'POST', path: '/api/wardrobe', body: { category } })).status).toBe(201);
  const now = clock.now().toISOString();
  await store.repository<ConversationDoc>(conversationsContainer).create({ id: 'conv-1', userId: 'ann', title: 'Hello', messageCount: 0, createdAt: now, updatedAt: now });
  const itemsPage = await call('wardrobe-list', 'ann', { path: '/api/wardrobe', query: 'pageSize=1' });
  const itemsQuery = (JSON.parse(Buffer.from(itemsPage.json.nextContinuationToken!, 'base64url').toString('utf8')) as { q: unknown }).q;
  const raw = (token: string) => token;
  const routes: PagedRoute[] = [
    { name: 'wardrobe-list', path: '/api/wardrobe', user: 'ann', param: 'continuationToken', wrap: (token) => b64({ q: itemsQuery, t: token }) },
    { name: 'wardrobe-chat-conversations-list', path: '/api/chat/conversations', user: 'ann', wrap: raw },
    { name: 'wardrobe-chat-conversations-get', path: '/api/chat/conversations/conv-1', id: 'conv-1', user: 'ann', wrap: raw },
    { name: 'wardrobe-digest-history', path: '/api/digest', user: 'ann', wrap: raw },
    { name: 'admin-dead-letters-list', path: '/api/admin/dead-letters', user: 'root', wrap: (token) => b64([0, token]) },
  ];
  return { call, routes };
}

function describeStore(label: string, open: () => Promise<{ store: DocumentStore; close(): Promise<void> }>) {
  describe(`forged continuation tokens on every paged route: ${label}`, () => {
    let opened: { store: DocumentStore; close(): Promise<void> };
    let w: Awaited<ReturnType<typeof world>>;
    beforeAll(async () => {
      opened = await open();
      w = await world(opened.store, testClock());
    });
    afterAll(async () => opened?.close());

    it('the shapes from issue 11, in each route\'s own envelope, are 400 invalid_continuation', async () => {
      const outcomes: string[] = [];
      for (const route of w.routes) {
        for (const value of NAMED) {
          const reply = await w.call(route.name, route.user, { path: route.path, query: `${route.param ?? 'continuation'}=${route.wrap(b64(value))}`, ...(route.id ? { id: route.id } : {}) });
          outcomes.push(`${route.name} ${JSON.stringify(value)} -> ${reply.status} ${reply.json.code} ${reply.headers['content-type']}`);
        }
      }
      expect(outcomes.filter((line) => !line.endsWith('-> 400 invalid_continuation application/problem+json'))).toEqual([]);
    });

    it(`any forged token is never a 5xx (${RUNS} runs per route)`, async () => {
      for (const route of w.routes) {
        const token = fc.oneof(
          inner.map((value) => route.wrap(b64(value))),
          inner.map((value) => b64(value)),
          fc.string({ minLength: 1, maxLength: 40 }).map((text) => encodeURIComponent(text)),
        );
        await fc.assert(
          fc.asyncProperty(token, async (continuation) => {
            const reply = await w.call(route.name, route.user, { path: route.path, query: `${route.param ?? 'continuation'}=${continuation}`, ...(route.id ? { id: route.id } : {}) });
            expect([route.name, reply.status < 500]).toEqual([route.name, true]);
            if (reply.status >= 400) {
              expect(reply.headers['content-type']).toBe('application/problem+json');
              expect(['invalid_continuation', 'validation_failed']).toContain(reply.json.code);
            }
          }),
          { numRuns: RUNS },
        );
      }
    });
  });
}

describeStore('memory', async () => ({ store: new MemoryDocumentStore(testClock()), close: async () => undefined }));

let emulator: CosmosEmulator | undefined;
describeStore('Cosmos DB emulator', async () => {
  emulator = await startCosmosEmulator();
  const store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `fuzz-${randomUUID()}` }, testClock());
  return {
    store,
    close: async () => {
      await store.dispose();
      await emulator?.stop();
    },
  };
});
