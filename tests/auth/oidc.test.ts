import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuthFailure } from '../../middleware/auth/failure.ts';
import { createOidcVerifier, type OidcVerifier } from '../../middleware/auth/oidc.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { b64url, epoch, rsaKey, signRs256, startJwksServer, type JwksServer, type RsaTestKey } from '../support/jwks-server.ts';

const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'portico-api';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let server: JwksServer;
let keyA: RsaTestKey;
let keyB: RsaTestKey;
let stranger: RsaTestKey;

beforeAll(async () => {
  [keyA, keyB, stranger] = [rsaKey('key-a'), rsaKey('key-b'), rsaKey('key-x')];
  server = await startJwksServer([keyA]);
});
afterAll(() => server.close());
afterEach(() => {
  jest.restoreAllMocks();
  server.mode = 'up';
  for (const kid of server.kids()) server.retire(kid);
  server.publish(keyA);
  server.resetCount();
});

/** Moves jose's cache clock (Date.now) forward; token times (`new Date()`) stay real. */
/** A frozen clock that moves only when told, so a slow machine cannot carry a burst past a cooldown. */
function clockOffset() {
  const base = REAL_NOW();
  let offset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => base + offset);
  return (ms: number) => {
    offset += ms;
  };
}

function generic(env: Record<string, string> = {}): OidcVerifier {
  const settings = loadAuthSettings({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URI: server.url, ...env });
  if (!settings.oidc) throw new Error('expected OIDC settings');
  return createOidcVerifier(settings.oidc);
}

function entra(env: Record<string, string> = {}): OidcVerifier {
  const settings = loadAuthSettings({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, OIDC_JWKS_URI: server.url, ...env });
  if (!settings.oidc) throw new Error('expected OIDC settings');
  return createOidcVerifier(settings.oidc);
}

// Token times follow the real clock even while a test moves Date.now (jose's cache clock).
const REAL_NOW = Date.now.bind(Date);
const now = () => epoch(REAL_NOW());
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now(), exp: now() + 600, ...extra });
const entraClaims = (extra: Record<string, unknown> = {}) =>
  claims({ iss: ENTRA_ISSUER, aud: CLIENT, sub: 'pairwise-sub', oid: 'b6a0e4f2-0000-4000-8000-000000000001', tid: TENANT, scp: 'access_as_user', ...extra });

async function failure(promise: Promise<unknown>): Promise<AuthFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthFailure);
    return error as AuthFailure;
  }
  throw new Error('expected the token to be refused');
}

describe('OIDC verifier', () => {
  it('accepts a valid RS256 token and maps subject, roles, email and name', async () => {
    const verifier = generic();
    const token = await signRs256(keyA, claims({ roles: ['reader', 'writer'], email: 'ann@example.com', name: ' Ann Smith ' }));
    await expect(verifier.verifyAccessToken(token)).resolves.toEqual({
      userId: 'user-1',
      issuer: ISSUER,
      qualifiedId: `${ISSUER}|user-1`,
      via: 'oidc',
      roles: ['reader', 'writer'],
      email: 'ann@example.com',
      name: 'Ann Smith',
    });
    // Roles that are not an array of strings are no roles.
    await expect(verifier.verifyAccessToken(await signRs256(keyA, claims({ roles: 'admin' })))).resolves.toMatchObject({ roles: [] });
    // A name that is not a displayable string is no name.
    for (const name of [42, '', '   ', 'a\u0000b', 'x'.repeat(257)]) {
      await expect(verifier.verifyAccessToken(await signRs256(keyA, claims({ name })))).resolves.not.toHaveProperty('name');
    }
    expect(server.fetches).toBe(1);
  });

  it('Entra ID: oid is the subject, tid must be the tenant, and either audience form is accepted', async () => {
    const verifier = entra();
    const oid = 'b6a0e4f2-0000-4000-8000-000000000001';
    await expect(verifier.verifyAccessToken(await signRs256(keyA, entraClaims({ roles: ['Tasks.Admin'] })))).resolves.toMatchObject({
      userId: oid,
      qualifiedId: `${ENTRA_ISSUER}|${oid}`,
      roles: ['Tasks.Admin'],
    });
    await expect(verifier.verifyAccessToken(await signRs256(keyA, entraClaims({ aud: `api://${CLIENT}` })))).resolves.toMatchObject({ userId: oid });
    // App-only token: application roles, no scp.
    await expect(verifier.verifyAccessToken(await signRs256(keyA, entraClaims({ scp: undefined, roles: ['Jobs.Run'] })))).resolves.toBeDefined();

    const refused: [string, Record<string, unknown>, string][] = [
      ['another tenant', { tid: '00000000-0000-4000-8000-000000000000' }, 'tenant_mismatch'],
      ['no tenant', { tid: undefined }, 'tenant_mismatch'],
      ['an ID token (no scp, no roles)', { scp: undefined }, 'not_access_token'],
      ['a v1 issuer', { iss: `https://sts.windows.net/${TENANT}/` }, 'claim_invalid_iss'],
      ['another app', { aud: '11111111-1111-4111-8111-111111111111' }, 'claim_invalid_aud'],
      ['a non-string oid', { oid: 7 }, 'claim_invalid_sub'],
    ];
    for (const [name, extra, reason] of refused) {
      const error = await failure(verifier.verifyAccessToken(await signRs256(keyA, entraClaims(extra))));
      expect([name, error.status, error.reason]).toEqual([name, 401, reason]);
    }
  });

  it('pins RS256, iss, aud, exp, iat and sub', async () => {
    const verifier = generic();
    const cases: [string, Record<string, unknown>, string][] = [
      ['expired', { exp: now() - 120 }, 'token_expired'],
      ['no exp', { exp: undefined }, 'claim_missing_exp'],
      ['no iat', { iat: undefined }, 'claim_missing_iat'],
      ['nbf in the future', { nbf: now() + 600 }, 'claim_invalid_nbf'],
      ['wrong iss', { iss: 'https://evil.example.com' }, 'claim_invalid_iss'],
      ['wrong aud', { aud: 'someone-else' }, 'claim_invalid_aud'],
      ['no sub', { sub: undefined }, 'claim_missing_sub'],
    ];
    for (const [name, extra, reason] of cases) {
      const error = await failure(verifier.verifyAccessToken(await signRs256(keyA, claims(extra))));
      expect([name, error.reason]).toEqual([name, reason]);
    }
  });

  it('picks up a rotated key: a new kid triggers one refetch once the 30 s cooldown has passed', async () => {
    const advance = clockOffset();
    const verifier = generic();
    await verifier.verifyAccessToken(await signRs256(keyA, claims()));
    expect(server.fetches).toBe(1);

    server.publish(keyB);
    const tokenB = await signRs256(keyB, claims());
    // Within the cooldown an unknown kid is refused without asking the IdP again.
    advance(10_000);
    expect((await failure(verifier.verifyAccessToken(tokenB))).reason).toBe('kid_unknown');
    expect(server.fetches).toBe(1);

    advance(21_000);
    await expect(verifier.verifyAccessToken(tokenB)).resolves.toMatchObject({ userId: 'user-1' });
    expect(server.fetches).toBe(2);
    await expect(verifier.verifyAccessToken(await signRs256(keyA, claims()))).resolves.toBeDefined();
    expect(server.fetches).toBe(2);

    // A retired key stops working once the cached set ages out (10 min).
    server.retire(keyA.kid);
    advance(601_000);
    expect((await failure(verifier.verifyAccessToken(await signRs256(keyA, claims())))).reason).toBe('kid_unknown');
    expect(server.fetches).toBe(3);
  });

  describe('an IdP that is down answers 503 idp_unavailable, never 401 or 500', () => {
    for (const mode of ['reset', 'hang', 'error500', 'garbage'] as const) {
      it(`when the JWKS endpoint ${mode === 'reset' ? 'resets the connection' : mode === 'hang' ? 'hangs past the timeout' : mode === 'error500' ? 'answers 500' : 'returns no key set'}`, async () => {
        server.mode = mode;
        // A hang ends at the 200 ms timeout (without it, the test would hang until Jest's own
        // timeout); how long that takes on a busy machine is not asserted.
        const verifier = generic({ OIDC_JWKS_TIMEOUT_MS: '200' });
        const error = await failure(verifier.verifyAccessToken(await signRs256(keyA, claims())));
        expect(error.status).toBe(503);
        expect(error.code).toBe('idp_unavailable');
        expect(error.headers?.['retry-after']).toBe('5');
        expect(server.fetches).toBe(1);
      });
    }

    it('backs off after a failure, then recovers', async () => {
      const advance = clockOffset();
      server.mode = 'error500';
      const verifier = generic();
      const token = await signRs256(keyA, claims());
      expect((await failure(verifier.verifyAccessToken(token))).status).toBe(503);
      // The next requests within the backoff do not hit the IdP.
      for (let i = 0; i < 20; i += 1) expect((await failure(verifier.verifyAccessToken(token))).status).toBe(503);
      expect(server.fetches).toBe(1);

      server.mode = 'up';
      advance(5_001);
      await expect(verifier.verifyAccessToken(token)).resolves.toBeDefined();
      expect(server.fetches).toBe(2);
    });

    it('keeps verifying known keys from the last key set while the IdP is down', async () => {
      const advance = clockOffset();
      const verifier = generic();
      await verifier.verifyAccessToken(await signRs256(keyA, claims()));
      server.mode = 'reset';
      advance(11 * 60_000); // the cached set is stale: jose refetches, and that fails
      await expect(verifier.verifyAccessToken(await signRs256(keyA, claims()))).resolves.toBeDefined();
      expect(server.fetches).toBe(2);
      // A kid we have never seen might be a new key: we cannot say it is invalid.
      expect((await failure(verifier.verifyAccessToken(await signRs256(keyB, claims())))).status).toBe(503);
      // After an hour without the IdP, old keys are no longer trusted either.
      advance(60 * 60_000);
      expect((await failure(verifier.verifyAccessToken(await signRs256(keyA, claims())))).status).toBe(503);
    });
  });

  describe('JWKS flood', () => {
    /** Tokens with made-up kids; the signature never matters because no key is ever found. */
    const floodTokens = (count: number) =>
      Array.from({ length: count }, () => {
        const header = b64url({ alg: 'RS256', typ: 'JWT', kid: randomUUID() });
        return `${header}.${b64url(claims())}.${randomBytes(256).toString('base64url')}`;
      });

    it('1,000 tokens with random kids cause at most one JWKS fetch per 30 s', async () => {
      const advance = clockOffset();
      const verifier = generic();
      // Cold cache: the whole burst shares one fetch.
      const first = await Promise.allSettled(floodTokens(1000).map((token) => verifier.verifyAccessToken(token)));
      expect(first.every((result) => result.status === 'rejected' && (result.reason as AuthFailure).reason === 'kid_unknown')).toBe(true);
      expect(server.fetches).toBe(1);

      // Sequential bursts spread over 29 s: still no refetch.
      for (let step = 0; step < 29; step += 1) {
        advance(1_000);
        await Promise.allSettled(floodTokens(50).map((token) => verifier.verifyAccessToken(token)));
      }
      expect(server.fetches).toBe(1);

      // Each following 30 s window allows exactly one refetch, however many tokens arrive.
      for (let window = 1; window <= 3; window += 1) {
        advance(30_000);
        await Promise.allSettled(floodTokens(1000).map((token) => verifier.verifyAccessToken(token)));
        expect(server.fetches).toBe(1 + window);
      }
      // Valid tokens keep working throughout.
      await expect(verifier.verifyAccessToken(await signRs256(keyA, claims()))).resolves.toBeDefined();
    });

    it('in real time: 1,000 random-kid tokens fired in bursts make at most one fetch per 30 s elapsed', async () => {
      const verifier = generic();
      const tokens = floodTokens(1000);
      const started = Date.now();
      for (let batch = 0; batch < 10; batch += 1) {
        await Promise.allSettled(tokens.slice(batch * 100, batch * 100 + 100).map((token) => verifier.verifyAccessToken(token)));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // However long a loaded machine took, the cooldown bounds the fetches by the time that passed.
      expect(server.fetches).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / 30_000));
    });

    it('while the IdP is down, a flood is held to one fetch per backoff', async () => {
      server.mode = 'error500';
      const verifier = generic();
      const results = await Promise.allSettled(floodTokens(1000).map((token) => verifier.verifyAccessToken(token)));
      expect(results.every((result) => result.status === 'rejected' && (result.reason as AuthFailure).status === 503)).toBe(true);
      expect(server.fetches).toBe(1);
      const later = await Promise.allSettled(floodTokens(1000).map((token) => verifier.verifyAccessToken(token)));
      expect(later.every((result) => result.status === 'rejected')).toBe(true);
      expect(server.fetches).toBe(1);
    });

    it('a token signed by a key the IdP never published is refused with 401', async () => {
      const verifier = generic();
      const error = await failure(verifier.verifyAccessToken(await signRs256(stranger, claims())));
      expect([error.status, error.reason]).toEqual([401, 'kid_unknown']);
      // The right kid with the wrong key is a bad signature.
      const forged = await signRs256(stranger, claims(), { kid: keyA.kid });
      expect((await failure(verifier.verifyAccessToken(forged))).reason).toBe('signature_invalid');
    });
  });
});
