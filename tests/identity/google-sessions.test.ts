/**
 * The PluckIt clients' sign-in (contract section 2, tests in 10.2), through the real bind and
 * HTTP stack with the platform's own authenticator: Google ID tokens signed by keys that a
 * local JWKS on 127.0.0.1 publishes (GOOGLE_JWKS_URI), traded at `auth/mobile-token` for the
 * session object, refreshed with single-use rotation and a grace window, revoked, and accepted
 * directly as bearer tokens. The clock is the test's: grace windows are crossed by advancing it,
 * and no assertion depends on how long anything takes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { refreshFamiliesContainer, refreshTokensContainer, type RefreshFamilyDoc } from '../../handlers/identity/store.ts';
import { TEST_JWT_SECRET } from '../support/app.ts';
import { startJwksServer, type JwksServer, type RsaTestKey } from '../support/jwks-server.ts';
import { call, setup, type Reply } from './support.ts';

const WEB_CLIENT = '20801742779-web.apps.googleusercontent.com';
const IOS_CLIENT = '20801742779-ios.apps.googleusercontent.com';
const SUB = '108234567890123456789';
const WHOLE_SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Every key the contract's session object has (section 2.3). */
const SESSION_KEYS = [
  'access_token', 'token_type', 'expires_in', 'access_token_expires_at', 'refresh_token', 'refresh_token_expires_in',
  'refresh_token_expires_at', 'refresh_token_rotation', 'refresh_token_revoke_on_logout', 'token', 'session_token', 'app_token',
  'id_token', 'user_id', 'userId', 'email',
];

/** An RS256 key made by jose, in the shape the JWKS server publishes (it reads only `kid` and `publicJwk`). */
async function joseKey(kid: string): Promise<RsaTestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' }, publicPem: '' } as unknown as RsaTestKey;
}

let jwks: JwksServer;
let google: RsaTestKey;
let stranger: RsaTestKey;

beforeAll(async () => {
  google = await joseKey('google-1');
  stranger = await joseKey('not-published');
  jwks = await startJwksServer([google]);
});
afterAll(() => jwks.close());

/** A Google ID token as GIS or GoogleSignIn hands it over; `claims` override, `key` signs. */
function idToken(claims: JWTPayload = {}, key: RsaTestKey = google): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: 'https://accounts.google.com', aud: IOS_CLIENT, sub: SUB, email: 'ada@example.com', email_verified: true, azp: IOS_CLIENT, iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

function app(env: Record<string, string> = {}) {
  const t = setup({
    platformTokens: true,
    env: { JWT_SECRET: TEST_JWT_SECRET, GOOGLE_CLIENT_IDS: `${WEB_CLIENT},${IOS_CLIENT}`, GOOGLE_JWKS_URI: jwks.url, ...env },
  });
  const post = async (name: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    call(await t.handler(name), { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const exchange = (body: unknown) => post('auth-mobile-token', '/api/auth/mobile-token', body);
  const refresh = (body: unknown) => post('auth-refresh', '/api/auth/refresh', body);
  const revoke = (body: unknown, headers: Record<string, string> = {}) => post('auth-revoke', '/api/auth/revoke', body, headers);
  const me = async (bearer?: string) =>
    call(await t.handler('auth-me'), { method: 'GET', path: '/api/auth/me', headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });
  const signIn = async () => {
    const reply = await exchange({ id_token: await idToken() });
    expect(reply.statusCode).toBe(200);
    return reply.json as Record<string, string>;
  };
  return { ...t, exchange, refresh, revoke, me, signIn };
}

const isProblem = (reply: Reply, status: number) => {
  expect(reply.statusCode).toBe(status);
  expect(reply.headers['content-type']).toContain('application/problem+json');
  expect(typeof reply.json?.detail).toBe('string');
};

describe('POST /api/auth/mobile-token', () => {
  it('trades a valid Google ID token for the session object with every key, whole-second UTC times and the contract values', async () => {
    const t = app();
    const reply = await t.exchange({ id_token: await idToken() });
    expect(reply.statusCode).toBe(200);
    const session = reply.json!;
    for (const key of SESSION_KEYS) expect(session).toHaveProperty(key);
    expect(session).toMatchObject({
      token_type: 'Bearer',
      expires_in: 1800,
      refresh_token_expires_in: 2_592_000,
      refresh_token_rotation: 'single-use',
      refresh_token_revoke_on_logout: true,
      user_id: SUB,
      userId: SUB,
      email: 'ada@example.com',
    });
    const access = session.access_token as string;
    for (const alias of ['token', 'session_token', 'app_token', 'id_token']) expect(session[alias]).toBe(access);
    expect(session.access_token_expires_at).toMatch(WHOLE_SECONDS_UTC);
    expect(session.refresh_token_expires_at).toMatch(WHOLE_SECONDS_UTC);
    const now = t.clock.now().getTime();
    expect(Date.parse(session.access_token_expires_at as string)).toBe(now + 1800 * 1000);
    expect(Date.parse(session.refresh_token_expires_at as string)).toBe(now + 2_592_000 * 1000);
    // Stored server-side only as SHA-256 hashes.
    const stored = JSON.stringify([
      ...(await t.documents.repository(refreshTokensContainer).query({ limit: 10 })).items,
      ...(await t.documents.repository(refreshFamiliesContainer).query({ limit: 10 })).items,
    ]);
    expect(stored).not.toContain(session.refresh_token as string);
    expect(stored).toContain(createHash('sha256').update(session.refresh_token as string).digest('base64url'));
  });

  it("carries Google's display name in the access tokens of the login and of each refresh (GET /api/user/me answers it)", async () => {
    const t = app();
    const session = (await t.exchange({ id_token: await idToken({ name: 'Ada Lovelace' }) })).json!;
    expect(decodeJwt(session.access_token as string)).toMatchObject({ sub: SUB, email: 'ada@example.com', name: 'Ada Lovelace' });
    const refreshed = (await t.refresh({ refresh_token: session.refresh_token })).json!;
    expect(decodeJwt(refreshed.access_token as string)).toMatchObject({ sub: SUB, name: 'Ada Lovelace' });
    // A token without a name (no `profile` scope) gives a session without one.
    const nameless = (await t.exchange({ id_token: await idToken() })).json!;
    expect(decodeJwt(nameless.access_token as string)).not.toHaveProperty('name');
    expect(decodeJwt((await t.refresh({ refresh_token: nameless.refresh_token })).json!.access_token as string)).not.toHaveProperty('name');
  });

  it('takes the token under id_token, token, idToken or idTokenValue, and any configured client id as audience', async () => {
    const t = app();
    for (const key of ['id_token', 'token', 'idToken', 'idTokenValue']) {
      expect((await t.exchange({ [key]: await idToken({ aud: WEB_CLIENT, iss: 'accounts.google.com' }) })).statusCode).toBe(200);
    }
  });

  it('answers 400 problem+json for a missing token or a body that is not JSON', async () => {
    const t = app();
    isProblem(await t.exchange({}), 400);
    isProblem(await t.exchange('id_token=abc'), 400);
    isProblem(await t.exchange({ id_token: 42 }), 400);
  });

  it.each<[string, JWTPayload]>([
    ['another audience', { aud: '999-other.apps.googleusercontent.com' }],
    ['another issuer', { iss: 'https://accounts.example.com' }],
    ['an expired token', { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }],
    ['a sub that is not a Google account id', { sub: '6e74172b-be56-4843-9ff4-e66a39bb12e3' }],
  ])('refuses %s with 401 problem+json', async (_name, claims) => {
    isProblem(await app().exchange({ id_token: await idToken(claims) }), 401);
  });

  it('refuses a bad signature (a key Google does not publish, or a tampered payload) with 401', async () => {
    const t = app();
    isProblem(await t.exchange({ id_token: await idToken({}, { ...stranger, kid: google.kid }) }), 401);
    const [header, , signature] = (await idToken()).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: 'https://accounts.google.com', aud: IOS_CLIENT, sub: '1', iat: 1, exp: 9_999_999_999 })).toString('base64url');
    isProblem(await t.exchange({ id_token: `${header}.${forged}.${signature}` }), 401);
  });

  it('answers 503 not_configured when Google sign-in is not configured', async () => {
    const reply = await app({ GOOGLE_CLIENT_IDS: '', GOOGLE_JWKS_URI: '' }).exchange({ id_token: await idToken() });
    isProblem(reply, 503);
    expect(reply.json!.code).toBe('not_configured');
  });
});

describe('POST /api/auth/refresh', () => {
  it('rotates single-use under every body key, answering the whole session again', async () => {
    const t = app();
    let current = (await t.signIn()).refresh_token;
    for (const key of ['refresh_token', 'token', 'refreshToken', 'tokenValue']) {
      const reply = await t.refresh({ [key]: current });
      expect(reply.statusCode).toBe(200);
      for (const field of SESSION_KEYS) expect(reply.json).toHaveProperty(field);
      expect(reply.json).toMatchObject({ user_id: SUB, email: 'ada@example.com', success: true, expires_in: 1800 });
      expect(reply.json!.refresh_token).not.toBe(current);
      current = reply.json!.refresh_token as string;
    }
    const [family] = (await t.documents.repository<RefreshFamilyDoc>(refreshFamiliesContainer).query({ limit: 10 })).items;
    expect(family).toMatchObject({ generation: 4, revokedAt: null, idp: 'https://accounts.google.com' });
  });

  it('answers a retry with the just-rotated token within the grace window with the same new session', async () => {
    const t = app();
    const { refresh_token: r1 } = await t.signIn();
    const first = await t.refresh({ refresh_token: r1 });
    t.clock.advance(10_000);
    const retry = await t.refresh({ refresh_token: r1 });
    expect(retry.statusCode).toBe(200);
    expect(retry.json).toEqual(first.json);
    // The login goes on: the new token rotates as usual.
    expect((await t.refresh({ refresh_token: first.json!.refresh_token })).statusCode).toBe(200);
  });

  it('treats the rotated token after the grace window as a replay: 401 and the login is revoked', async () => {
    const t = app();
    const { refresh_token: r1 } = await t.signIn();
    const r2 = (await t.refresh({ refresh_token: r1 })).json!.refresh_token as string;
    t.clock.advance(31_000);
    const replay = await t.refresh({ refresh_token: r1 });
    isProblem(replay, 401);
    expect(replay.json!.detail).toBe('Invalid or expired refresh token.');
    expect((await t.refresh({ refresh_token: r2 })).statusCode).toBe(401);
    const [family] = (await t.documents.repository<RefreshFamilyDoc>(refreshFamiliesContainer).query({ limit: 10 })).items;
    expect(family).toMatchObject({ revokedReason: 'reuse' });
  });

  it('answers 401 "Invalid or expired refresh token." for unknown and expired tokens, 400 for none', async () => {
    const t = app();
    const unknown = await t.refresh({ refresh_token: 'A'.repeat(43) });
    isProblem(unknown, 401);
    expect(unknown.json!.detail).toBe('Invalid or expired refresh token.');
    const { refresh_token } = await t.signIn();
    t.clock.advance(2_592_000 * 1000);
    expect((await t.refresh({ refresh_token })).json!.detail).toBe('Invalid or expired refresh token.');
    isProblem(await t.refresh({}), 400);
  });

  it("keeps Axly's and Portico's own refresh working on the same route", async () => {
    const t = app();
    const { refresh_token } = await t.signIn();
    const reply = await t.refresh({ refresh_token });
    // Axly reads success, access_token and refresh_token; Portico's clients the camelCase session.
    expect(reply.json).toMatchObject({ success: true, access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(reply.json).toMatchObject({ accessToken: reply.json!.access_token, refreshToken: reply.json!.refresh_token, tokenType: 'Bearer', user: { id: SUB } });
  });
});

describe('POST /api/auth/revoke', () => {
  it('revokes by refresh token: {revoked: true}, the token stops working; again is {revoked: false}', async () => {
    const t = app();
    const { refresh_token } = await t.signIn();
    const reply = await t.revoke({ refresh_token });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toMatchObject({ revoked: true, message: expect.any(String) });
    expect((await t.refresh({ refresh_token })).statusCode).toBe(401);
    expect((await t.revoke({ token: refresh_token })).json).toMatchObject({ revoked: false });
  });

  it('revokes every login of the user when the mobile app sends refresh_token and user_id', async () => {
    const t = app();
    const phone = await t.signIn();
    const tablet = await t.signIn();
    expect((await t.revoke({ refresh_token: phone.refresh_token, user_id: SUB })).json).toMatchObject({ revoked: true });
    expect((await t.refresh({ refresh_token: tablet.refresh_token })).statusCode).toBe(401);
  });

  it("revokes by user id alone for the bearer's own user; 403 for another user's; 401 without a bearer; 400 with neither", async () => {
    const t = app();
    const { access_token, refresh_token } = await t.signIn();
    isProblem(await t.revoke({ user_id: '100000000000000000001' }, { authorization: `Bearer ${access_token}` }), 403);
    isProblem(await t.revoke({ userId: SUB }), 401);
    isProblem(await t.revoke({}), 400);
    expect((await t.refresh({ refresh_token })).statusCode).toBe(200);
    const own = await t.revoke({ userId: SUB }, { authorization: `Bearer ${access_token}` });
    expect(own.json).toMatchObject({ revoked: true });
  });
});

describe('bearer tokens on protected routes', () => {
  it("refuses a session issued before the user erased their account, but not one issued after (a Google sub stays the same)", async () => {
    const t = app();
    const before = await t.signIn();
    const erase = await call(await t.handler('axly-delete-account'), { method: 'DELETE', path: '/api/delete_account', headers: { authorization: `Bearer ${before.access_token}` } });
    expect(erase.statusCode).toBe(204);
    isProblem(await t.me(before.access_token), 401);
    // Signing in again in a later second (iat has whole seconds) is a fresh session for the same Google user.
    await new Promise((resolve) => setTimeout(resolve, 1_005 - (Date.now() % 1_000)));
    const after = await t.signIn();
    expect(after.user_id).toBe(before.user_id);
    expect((await t.me(after.access_token)).statusCode).toBe(200);
    isProblem(await t.me(before.access_token), 401);
  });
  it("accepts the web app's Google ID token directly and the session's access token, as one user", async () => {
    const t = app();
    const direct = await t.me(await idToken({ aud: WEB_CLIENT }));
    expect(direct.statusCode).toBe(200);
    expect(direct.json).toMatchObject({ id: SUB, email: 'ada@example.com' });
    const { access_token } = await t.signIn();
    const viaSession = await t.me(access_token);
    expect(viaSession.statusCode).toBe(200);
    expect(viaSession.json).toEqual(direct.json);
  });

  it('refuses a Google ID token for another audience, and no token at all, with 401', async () => {
    const t = app();
    isProblem(await t.me(await idToken({ aud: '999-other.apps.googleusercontent.com' })), 401);
    isProblem(await t.me(), 401);
  });
});

describe('fuzzing the PluckIt session routes', () => {
  const RUNS = Math.ceil(Number(process.env.FUZZ_RUNS ?? 1000) / 5);
  const field = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9_-]{40,45}$/), fc.stringMatching(/^[0-9]{15,21}$/), fc.jsonValue({ maxDepth: 2 }));
  const keys = ['id_token', 'token', 'idToken', 'idTokenValue', 'refresh_token', 'refreshToken', 'tokenValue', 'user_id', 'userId', 'extra'];
  const body = fc.oneof(fc.dictionary(fc.constantFrom(...keys), field, { maxKeys: 4 }), fc.jsonValue({ maxDepth: 3 }));

  it(`never answers 5xx, refuses with problem+json, and stores no login when refused (${RUNS} runs per route)`, async () => {
    const t = app();
    const families = t.documents.repository(refreshFamiliesContainer);
    for (const send of [t.exchange, t.refresh, t.revoke]) {
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const before = (await families.query({ limit: 1000 })).items.length;
          const reply = await send(value);
          expect(reply.statusCode).toBeLessThan(500);
          // Nothing random signs anyone in (revoke answers 200 `revoked: false` for a token it does not know).
          if (send !== t.revoke) expect(reply.statusCode).not.toBe(200);
          if (reply.statusCode >= 400) {
            expect(reply.headers['content-type']).toContain('application/problem+json');
            expect((await families.query({ limit: 1000 })).items).toHaveLength(before);
          }
        }),
        { numRuns: RUNS },
      );
    }
  });
});
