/** The accounts service through the full HTTP stack, on memory ports. */
import { describe, expect, it } from '@jest/globals';
import type { Identity } from '../../middleware/context.ts';
import { accountsContainer, pinsContainer, refreshFamiliesContainer, refreshTokensContainer, type AccountDoc, type PinDoc, type RefreshFamilyDoc } from '../../handlers/identity/store.ts';
import { emailKey } from '../../handlers/identity/secrets.ts';
import identity from '../../handlers/identity/index.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { DevOutbox } from '../../adapters/email/dev-outbox.ts';
import type { Ports } from '../../app/ports.ts';
import { testApp } from '../support/app.ts';
import { call, setup } from './support.ts';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;
type Tokens = { user: { id: string; email: string }; accessToken: string; refreshToken: string; expiresIn: number; tokenType: string };

describe('sign-up', () => {
  it('request-pin mails a PIN; confirm-signup creates the account and signs it in', async () => {
    const t = setup();
    const sent = await t.post('requestPin', { email: 'Ann@Example.COM' });
    expect(sent.statusCode).toBe(202);
    expect(sent.json).toEqual({ status: 'sent' });
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toMatchObject({ to: 'ann@example.com', subject: 'Your Portico sign-up code' });
    const pin = t.pinFor('ann@example.com');
    expect(pin).toMatch(/^\d{6}$/);

    const created = await t.post('confirmSignup', { email: 'ann@example.com', pin, password: PASSWORD });
    expect(created.statusCode).toBe(201);
    const body = created.json as Tokens;
    expect(body.user).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'ann@example.com' });
    expect(body.accessToken).toBe(`access:${body.user.id}:1`);
    expect(body).toMatchObject({ expiresIn: 900, tokenType: 'Bearer' });
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.headers['cache-control']).toBe('no-store');

    const login = await t.post('login', { email: 'ANN@example.com', password: PASSWORD });
    expect(login.statusCode).toBe(200);
    expect((login.json as Tokens).user).toEqual(body.user);
  });

  it('stores neither the PIN nor the password nor the address in an id', async () => {
    const t = setup({ settings: { pinLength: 8 } });
    const { user } = await t.signUp('bob@example.com');
    await t.post('requestPin', { email: 'carol@example.com' });
    const pin = t.pinFor('carol@example.com');
    expect(pin).toMatch(/^\d{8}$/);
    const record = await t.documents.repository<PinDoc>(pinsContainer).get(emailKey('carol@example.com'), emailKey('carol@example.com'));
    expect(record).toMatchObject({ attempts: 0, pinHash: expect.any(String), salt: expect.any(String) });
    expect(JSON.stringify(record)).not.toContain(pin);
    expect(JSON.stringify(record)).not.toContain('carol');
    const account = await t.documents.repository<AccountDoc>(accountsContainer).get(user.id, user.id);
    expect(account?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(account)).not.toContain(PASSWORD);
  });

  it('answers request-pin identically for new and existing addresses, and mails both', async () => {
    const t = setup();
    await t.signUp('known@example.com');
    const before = t.sent.length;
    const known = await t.post('requestPin', { email: 'known@example.com' });
    const unknown = await t.post('requestPin', { email: 'stranger@example.com' });
    expect(t.sent.length - before).toBe(2);
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.body).toBe(unknown.body);
    const { 'x-request-id': _a, ...knownHeaders } = known.headers;
    const { 'x-request-id': _b, ...unknownHeaders } = unknown.headers;
    expect(knownHeaders).toEqual(unknownHeaders);
    // The owner of an existing account is told so, with a PIN that only confirms it.
    expect(t.outbox.latest('known@example.com')?.text).toMatch(/already has an account/);
    expect(t.outbox.latest('known@example.com')?.subject).toBe(t.outbox.latest('stranger@example.com')?.subject);
  });

  it('answers 409 account_exists for an existing address only after a correct PIN', async () => {
    const t = setup();
    await t.signUp('dora@example.com');
    await t.post('requestPin', { email: 'dora@example.com' });
    const pin = t.pinFor('dora@example.com');
    const wrong = await t.post('confirmSignup', { email: 'dora@example.com', pin: pin === '000000' ? '111111' : '000000', password: PASSWORD });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json!.code).toBe('invalid_pin');
    const right = await t.post('confirmSignup', { email: 'dora@example.com', pin, password: PASSWORD });
    expect(right.statusCode).toBe(409);
    expect(right.json!.code).toBe('account_exists');
    // The old password still works: nothing was overwritten.
    expect((await t.post('login', { email: 'dora@example.com', password: PASSWORD })).statusCode).toBe(200);
  });

  it('expires a PIN after PIN_EXP_MINUTES', async () => {
    const t = setup();
    await t.post('requestPin', { email: 'eve@example.com' });
    const pin = t.pinFor('eve@example.com');
    t.clock.advance(15 * MINUTE);
    const late = await t.post('confirmSignup', { email: 'eve@example.com', pin, password: PASSWORD });
    expect(late.statusCode).toBe(400);
    expect(late.json!.code).toBe('invalid_pin');

    await t.post('requestPin', { email: 'eve@example.com' });
    t.clock.advance(14 * MINUTE);
    expect((await t.post('confirmSignup', { email: 'eve@example.com', pin: t.pinFor('eve@example.com'), password: PASSWORD })).statusCode).toBe(201);
  });

  it('kills a PIN after 5 wrong attempts, even for the right PIN after them', async () => {
    const t = setup();
    await t.post('requestPin', { email: 'fay@example.com' });
    const pin = t.pinFor('fay@example.com');
    const wrong = String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await t.post('confirmSignup', { email: 'fay@example.com', pin: wrong, password: PASSWORD }));
    const last = await t.post('confirmSignup', { email: 'fay@example.com', pin, password: PASSWORD });
    for (const answer of [...answers, last]) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json!.code).toBe('invalid_pin');
    }
    // Every PIN failure reads the same, whatever its cause.
    expect(new Set([...answers, last].map((a) => a.json!.detail)).size).toBe(1);
  });

  it('accepts the right PIN on the fifth attempt', async () => {
    const t = setup();
    await t.post('requestPin', { email: 'gus@example.com' });
    const pin = t.pinFor('gus@example.com');
    for (let i = 0; i < 4; i++) await t.post('confirmSignup', { email: 'gus@example.com', pin: pin === '123456' ? '654321' : '123456', password: PASSWORD });
    expect((await t.post('confirmSignup', { email: 'gus@example.com', pin, password: PASSWORD })).statusCode).toBe(201);
  });

  it('uses a PIN once, and racing confirmations cannot both use it', async () => {
    const t = setup();
    await t.post('requestPin', { email: 'hal@example.com' });
    const pin = t.pinFor('hal@example.com');
    const body = { email: 'hal@example.com', pin, password: PASSWORD };
    const [a, b] = await Promise.all([t.post('confirmSignup', body), t.post('confirmSignup', body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400]);
    const again = await t.post('confirmSignup', body);
    expect(again.statusCode).toBe(400);
    expect(again.json!.code).toBe('invalid_pin');
  });

  it('replaces the previous PIN with a new request', async () => {
    const t = setup();
    await t.post('requestPin', { email: 'ida@example.com' });
    const first = t.pinFor('ida@example.com');
    await t.post('requestPin', { email: 'ida@example.com' });
    const second = t.pinFor('ida@example.com');
    if (first !== second) {
      const old = await t.post('confirmSignup', { email: 'ida@example.com', pin: first, password: PASSWORD });
      expect(old.json!.code).toBe('invalid_pin');
    }
    expect((await t.post('confirmSignup', { email: 'ida@example.com', pin: second, password: PASSWORD })).statusCode).toBe(201);
  });

  it('sends at most PIN_MAX_PER_HOUR mails per address, with the same 202', async () => {
    const t = setup({ settings: { pinMaxPerHour: 3 } });
    for (let i = 0; i < 4; i++) expect((await t.post('requestPin', { email: 'jon@example.com' })).json).toEqual({ status: 'sent' });
    expect(t.outbox.messages('jon@example.com')).toHaveLength(3);
    t.clock.advance(60 * MINUTE);
    await t.post('requestPin', { email: 'jon@example.com' });
    expect(t.outbox.messages('jon@example.com')).toHaveLength(4);
  });

  it('refuses invalid addresses and passwords with 400 validation_failed, without spending the PIN', async () => {
    const t = setup();
    for (const email of ['not-an-email', 'a@b', ' ann@example.com', 'x'.repeat(250) + '@example.com']) {
      const reply = await t.post('requestPin', { email });
      expect(reply.statusCode).toBe(400);
      expect(reply.json!.code).toBe('validation_failed');
    }
    expect((await t.post('requestPin', { email: 'kim@example.com', extra: 1 })).statusCode).toBe(400);
    expect(t.sent).toHaveLength(0);

    await t.post('requestPin', { email: 'kim@example.com' });
    const pin = t.pinFor('kim@example.com');
    for (const password of ['short', 'x'.repeat(257), 'kim@example.com', 'KIM@example.com']) {
      const reply = await t.post('confirmSignup', { email: 'kim@example.com', pin, password });
      expect(reply.statusCode).toBe(400);
      expect(reply.json!.code).toBe('validation_failed');
      expect(reply.json!.errors).toEqual([expect.objectContaining({ pointer: '/body/password' })]);
    }
    expect((await t.post('confirmSignup', { email: 'kim@example.com', pin: '12345', password: PASSWORD })).json!.code).toBe('validation_failed');
    expect((await t.post('confirmSignup', { email: 'kim@example.com', pin, password: PASSWORD })).statusCode).toBe(201);
  });
});

describe('login', () => {
  it('answers an unknown address and a wrong password with the same 401 body', async () => {
    const t = setup();
    await t.signUp('lea@example.com');
    const wrongPassword = await t.post('login', { email: 'lea@example.com', password: 'not the password' });
    const unknown = await t.post('login', { email: 'nobody@example.com', password: 'not the password' });
    for (const reply of [wrongPassword, unknown]) {
      expect(reply.statusCode).toBe(401);
      expect(reply.json!.code).toBe('invalid_credentials');
    }
    const strip = (json: Record<string, unknown>) => ({ ...json, requestId: undefined });
    expect(strip(wrongPassword.json!)).toEqual(strip(unknown.json!));
    const { 'x-request-id': _a, ...h1 } = wrongPassword.headers;
    const { 'x-request-id': _b, ...h2 } = unknown.headers;
    expect(h1).toEqual(h2);
  });

  it('upgrades a hash made with weaker scrypt parameters at the next login', async () => {
    const first = setup();
    const { user } = await first.signUp('max@example.com');
    const stronger = setup({ store: first.documents, clock: first.clock, settings: { scrypt: { N: 2 ** 11, r: 8, p: 1 } } });
    expect((await stronger.post('login', { email: 'max@example.com', password: PASSWORD })).statusCode).toBe(200);
    const account = await first.documents.repository<AccountDoc>(accountsContainer).get(user.id, user.id);
    expect(account?.passwordHash).toMatch(/^scrypt\$2048\$8\$1\$/);
    expect((await stronger.post('login', { email: 'max@example.com', password: PASSWORD })).statusCode).toBe(200);
    expect((await stronger.post('login', { email: 'max@example.com', password: 'wrong password' })).statusCode).toBe(401);
  });
});

describe('refresh tokens', () => {
  const refresh = (t: ReturnType<typeof setup>, refreshToken: string) => t.post('refresh', { refreshToken });

  it('rotates on every use', async () => {
    const t = setup();
    const { refreshToken: r1, user } = await t.signUp('ned@example.com');
    const first = await refresh(t, r1);
    expect(first.statusCode).toBe(200);
    const r2 = (first.json as Tokens).refreshToken;
    expect(r2).not.toBe(r1);
    expect(first.json).toMatchObject({ user, tokenType: 'Bearer', accessToken: `access:${user.id}:2` });
    const second = await refresh(t, r2);
    expect(second.statusCode).toBe(200);
    expect((second.json as Tokens).refreshToken).not.toBe(r2);
  });

  it('revokes the whole family when a rotated token is replayed; other logins are untouched', async () => {
    const t = setup();
    const { refreshToken: r1 } = await t.signUp('ola@example.com');
    const other = (await t.post('login', { email: 'ola@example.com', password: PASSWORD })).json as Tokens;
    const r2 = ((await refresh(t, r1)).json as Tokens).refreshToken;
    const r3 = ((await refresh(t, r2)).json as Tokens).refreshToken;

    const replay = await refresh(t, r1);
    expect(replay.statusCode).toBe(401);
    expect(replay.json!.code).toBe('invalid_refresh_token');
    // The newest token of the family stops working too: the thief and the victim are both out.
    const newest = await refresh(t, r3);
    expect(newest.statusCode).toBe(401);
    expect(newest.json!.code).toBe('invalid_refresh_token');
    expect(t.lines.some((line) => line.includes('refresh token replayed'))).toBe(true);

    expect((await refresh(t, other.refreshToken)).statusCode).toBe(200);
  });

  it('answers two concurrent refreshes with the same token with one new session (the loser replays the winner\'s rotation)', async () => {
    const t = setup();
    const { refreshToken: r1 } = await t.signUp('pia@example.com');
    const replies = await Promise.all([refresh(t, r1), refresh(t, r1)]);
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200]);
    const [first, second] = replies.map((r) => r.json as Tokens);
    expect(second).toEqual(first);
    expect((await refresh(t, first!.refreshToken)).statusCode).toBe(200);
    const families = await t.documents.repository<RefreshFamilyDoc>(refreshFamiliesContainer).query({ limit: 10 });
    expect(families.items).toEqual([expect.objectContaining({ revokedAt: null, generation: 2 })]);
    // Both got as far as minting a child token: the ETag on the family, not luck, decided the winner.
    expect((await t.documents.repository(refreshTokensContainer).query({ limit: 10 })).items).toHaveLength(4);
  });

  it('refuses unknown and expired tokens', async () => {
    const t = setup({ settings: { refreshTtlDays: 1 } });
    const unknown = await refresh(t, 'A'.repeat(43));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json!.code).toBe('invalid_refresh_token');
    expect((await refresh(t, 'not a token!')).statusCode).toBe(400);
    const { refreshToken } = await t.signUp('quin@example.com');
    t.clock.advance(86_400_000);
    expect((await refresh(t, refreshToken)).statusCode).toBe(401);
  });

  it('logout revokes the family (204, idempotent), and refresh then fails', async () => {
    const t = setup();
    const { refreshToken: r1 } = await t.signUp('rae@example.com');
    const r2 = ((await refresh(t, r1)).json as Tokens).refreshToken;
    const out = await t.post('logout', { refreshToken: r2 });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect((await refresh(t, r2)).statusCode).toBe(401);
    expect((await t.post('logout', { refreshToken: r2 })).statusCode).toBe(204);
    expect((await t.post('logout', { refreshToken: 'B'.repeat(43) })).statusCode).toBe(204);
    // Signing in again starts a new family.
    expect((await t.post('login', { email: 'rae@example.com', password: PASSWORD })).statusCode).toBe(200);
  });
});

describe('me', () => {
  const identity = (overrides: Partial<Identity> = {}): Identity => ({
    userId: 'u-1', qualifiedId: 'portico|u-1', issuer: 'portico', via: 'token', roles: [], isAdmin: false, email: 'sam@example.com', ...overrides,
  });
  const me = async (t: ReturnType<typeof setup>) => call(await t.route('me'), { method: 'GET', path: '/api/auth/me' });

  it('answers the principal, isAdmin included', async () => {
    expect((await me(setup({ authenticate: async () => identity() }))).json).toEqual({ id: 'u-1', email: 'sam@example.com', isAdmin: false });
    expect((await me(setup({ authenticate: async () => identity({ isAdmin: true }) }))).json).toEqual({ id: 'u-1', email: 'sam@example.com', isAdmin: true });
  });

  it("looks up the address when a Portico token does not carry it", async () => {
    let principal = identity();
    const t = setup({ authenticate: async () => principal });
    const { user } = await t.signUp('tia@example.com');
    principal = identity({ userId: user.id, email: undefined });
    expect((await me(t)).json).toEqual({ id: user.id, email: 'tia@example.com', isAdmin: false });
    principal = identity({ userId: 'entra-oid', via: 'oidc', email: undefined });
    expect((await me(t)).json).toEqual({ id: 'entra-oid', email: null, isAdmin: false });
  });

  it('is 401 without a signed-in caller', async () => {
    expect((await me(setup())).statusCode).toBe(401);
  });
});

describe('secrets stay out of the logs', () => {
  it('logs no PIN, password or refresh token anywhere in a full session', async () => {
    const t = setup();
    const secrets: string[] = [PASSWORD, 'not the password'];
    const session = await t.signUp('uma@example.com');
    secrets.push(t.pinFor('uma@example.com'), session.refreshToken);
    await t.post('requestPin', { email: 'uma@example.com' });
    secrets.push(t.pinFor('uma@example.com'));
    await t.post('confirmSignup', { email: 'uma@example.com', pin: t.pinFor('uma@example.com'), password: PASSWORD });
    await t.post('login', { email: 'uma@example.com', password: 'not the password' });
    const r2 = ((await t.post('refresh', { refreshToken: session.refreshToken })).json as Tokens).refreshToken;
    secrets.push(r2);
    await t.post('refresh', { refreshToken: session.refreshToken });
    await t.post('logout', { refreshToken: r2 });
    expect(t.lines.length).toBeGreaterThan(5);
    expect(t.lines.some((line) => line.includes('email queued for u***@example.com'))).toBe(true);
    for (const secret of secrets) expect(t.lines.filter((line) => line.includes(secret))).toEqual([]);
    expect(t.lines.filter((line) => line.includes('uma@example.com'))).toEqual([]);
  });
});

describe('the development outbox route', () => {
  const outboxRoute = (ports: Pick<Ports, 'email' | 'devOutbox'> | undefined, env?: Record<string, string>) =>
    testApp({ services: [identity], ...(ports ? { ports } : {}), ...(env ? { env } : {}) }).handler<HttpLambda>('dev-outbox');

  it('lists the mail for an address, and is 404 when mail really goes out', async () => {
    const outbox = new DevOutbox();
    await outbox.send({ to: 'vic@example.com', subject: 'Hi', text: 'code is 123456' });
    const route = await outboxRoute({ email: outbox, devOutbox: outbox });
    const reply = await call(route, { method: 'GET', path: '/api/dev/outbox', query: 'email=VIC%40example.com' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toEqual({ messages: [{ to: 'vic@example.com', subject: 'Hi', text: 'code is 123456', queuedAt: expect.any(String) }] });
    expect((await call(route, { method: 'GET', path: '/api/dev/outbox' })).statusCode).toBe(400);
    const none = await outboxRoute({ email: { send: async () => undefined }, devOutbox: outbox });
    expect((await call(none, { method: 'GET', path: '/api/dev/outbox', query: 'email=vic%40example.com' })).statusCode).toBe(404);
  });

  it('serves the outbox the app mails to without SENDGRID_KEY, and is 404 with it', async () => {
    const local = await outboxRoute(undefined);
    expect((await call(local, { method: 'GET', path: '/api/dev/outbox', query: 'email=vic%40example.com' })).json).toEqual({ messages: [] });
    const sendgrid = await outboxRoute(undefined, { SENDGRID_KEY: 'SG.test', EMAIL_FROM: 'no-reply@example.com' });
    expect((await call(sendgrid, { method: 'GET', path: '/api/dev/outbox', query: 'email=vic%40example.com' })).statusCode).toBe(404);
  });

  it('keeps the last N messages per address', async () => {
    const outbox = new DevOutbox({ perAddress: 2, maxAddresses: 2 });
    for (const n of [1, 2, 3]) await outbox.send({ to: 'w@example.com', subject: `m${n}`, text: '' });
    expect(outbox.messages('w@example.com').map((m) => m.subject)).toEqual(['m2', 'm3']);
    await outbox.send({ to: 'x@example.com', subject: 'x', text: '' });
    await outbox.send({ to: 'y@example.com', subject: 'y', text: '' });
    expect(outbox.messages('w@example.com')).toEqual([]);
  });
});
