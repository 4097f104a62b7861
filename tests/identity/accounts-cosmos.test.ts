/**
 * The races that matter, on the Cosmos DB store (embedded emulator, real SDK, real ETags):
 * a PIN used twice at once, a refresh token used twice at once, a replayed token, and an
 * address claimed by two sign-ups at once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { identityContainers } from '../../handlers/identity/store.ts';
import { testClock } from '../support/jobs.ts';
import { setup } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const clock = testClock(Date.now());
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `identity-${randomUUID()}` }, clock);
  await store.ensure(identityContainers);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('accounts on Cosmos DB', () => {
  it('signs up, logs in, rotates, and revokes the family on replay', async () => {
    const t = setup({ store, clock });
    const { refreshToken: r1, user } = await t.signUp('cosmos-ann@example.com');
    expect((await t.post('login', { email: 'cosmos-ann@example.com', password: PASSWORD })).json).toMatchObject({ user });
    const r2 = ((await t.post('refresh', { refreshToken: r1 })).json as { refreshToken: string }).refreshToken;
    // Past the grace window (REFRESH_GRACE_SECONDS) a rotated token is a replay.
    clock.advance(31_000);
    expect((await t.post('refresh', { refreshToken: r1 })).statusCode).toBe(401);
    expect((await t.post('refresh', { refreshToken: r2 })).statusCode).toBe(401);
  });

  it('answers two concurrent refreshes with the same token with one session: the ETag picks the winner, the loser replays it', async () => {
    const t = setup({ store, clock });
    const { refreshToken } = await t.signUp('cosmos-bob@example.com');
    const replies = await Promise.all([t.post('refresh', { refreshToken }), t.post('refresh', { refreshToken })]);
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200]);
    const [first, second] = replies.map((r) => r.json as { refreshToken: string });
    expect(second!.refreshToken).toBe(first!.refreshToken);
    expect((await t.post('refresh', { refreshToken: first!.refreshToken })).statusCode).toBe(200);
  });

  it('uses a PIN once under concurrency, and one address gets one account', async () => {
    const t = setup({ store, clock });
    await t.post('requestPin', { email: 'cosmos-cy@example.com' });
    const body = { email: 'cosmos-cy@example.com', pin: t.pinFor('cosmos-cy@example.com'), password: PASSWORD };
    const replies = await Promise.all([t.post('confirmSignup', body), t.post('confirmSignup', body), t.post('confirmSignup', body)]);
    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 400, 400]);
    await t.post('requestPin', { email: 'cosmos-cy@example.com' });
    const again = await t.post('confirmSignup', { ...body, pin: t.pinFor('cosmos-cy@example.com') });
    expect(again.json!.code).toBe('account_exists');
  });
});
