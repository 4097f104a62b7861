import { describe, expect, it } from '@jest/globals';
import { createSecretKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { AppError } from '../../domain/errors.ts';
import { AuthFailure } from '../../middleware/auth/failure.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { createTokenService, keyId, type TokenService } from '../../middleware/auth/tokens.ts';
import { epoch, signRaw } from '../support/jwks-server.ts';

const SECRET = 'current-secret-current-secret-current-42';
const OLD = 'previous-secret-previous-secret-prev-1234';
const T0 = Date.parse('2026-11-22T10:00:00Z');

function service(env: Record<string, string> = {}, at = T0) {
  let now = at;
  const tokens = createTokenService(loadAuthSettings({ JWT_SECRET: SECRET, ...env }), () => now);
  return { tokens, advance: (ms: number) => (now += ms) };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthFailure);
    expect((error as AuthFailure).status).toBe(401);
    return (error as AuthFailure).reason;
  }
  throw new Error('expected the token to be refused');
}

/** A token signed with `secret` (default: the current one) with these claims and header. */
function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}, secret = SECRET) {
  const kid = keyId(createSecretKey(Buffer.from(secret)));
  const now = epoch(T0);
  return signRaw(
    { alg: 'HS256', typ: 'at+jwt', kid, ...header },
    { iss: 'portico', aud: 'portico-api', sub: 'u1', iat: now, exp: now + 900, ...claims },
    { hmac: secret },
  );
}

describe('token service', () => {
  it('issues an HS256 at+jwt with a key id, pinned claims and the configured lifetime, and verifies it', async () => {
    const { tokens } = service({ JWT_ACCESS_TTL_SECONDS: '600' });
    const issued = await tokens.issueAccessToken({ userId: 'u-123', email: 'a@example.com', roles: ['reader'] });
    expect(issued).toMatchObject({ tokenType: 'Bearer', expiresIn: 600 });
    const header = decodeProtectedHeader(issued.accessToken);
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    expect(header.kid).not.toContain(SECRET.slice(0, 8));
    const claims = decodeJwt(issued.accessToken);
    expect(claims).toMatchObject({ iss: 'portico', aud: 'portico-api', sub: 'u-123', email: 'a@example.com', roles: ['reader'], iat: epoch(T0), exp: epoch(T0) + 600 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    await expect(tokens.verifyAccessToken(issued.accessToken)).resolves.toEqual({
      userId: 'u-123',
      issuer: 'portico',
      qualifiedId: 'portico|u-123',
      via: 'token',
      roles: ['reader'],
      email: 'a@example.com',
      issuedAt: epoch(T0),
    });
  });

  it('gives every token its own jti and a stable kid per secret', async () => {
    const { tokens } = service();
    const [a, b] = await Promise.all([tokens.issueAccessToken({ userId: 'u' }), tokens.issueAccessToken({ userId: 'u' })]);
    expect(decodeJwt(a.accessToken).jti).not.toBe(decodeJwt(b.accessToken).jti);
    expect(decodeProtectedHeader(a.accessToken).kid).toBe(decodeProtectedHeader(b.accessToken).kid);
    const other = service({ JWT_SECRET: `${SECRET}-other` }).tokens;
    const c = await other.issueAccessToken({ userId: 'u' });
    expect(decodeProtectedHeader(c.accessToken).kid).not.toBe(decodeProtectedHeader(a.accessToken).kid);
  });

  it('without JWT_SECRET, issuance is a 503 not_configured and every HS256 token is refused', async () => {
    const tokens = createTokenService(loadAuthSettings({}));
    expect(tokens.enabled).toBe(false);
    const error = await tokens.issueAccessToken({ userId: 'u' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 503, code: 'not_configured' });
    expect(await reason(tokens.verifyAccessToken(forge({})))).toBe('token_scheme_disabled');
  });

  it('rotation: tokens from the previous secret pass while JWT_SECRET_PREVIOUS is set, and fail after', async () => {
    const before = createTokenService(loadAuthSettings({ JWT_SECRET: OLD }), () => T0);
    const oldToken = (await before.issueAccessToken({ userId: 'u1' })).accessToken;

    const during = createTokenService(loadAuthSettings({ JWT_SECRET: SECRET, JWT_SECRET_PREVIOUS: OLD }), () => T0);
    await expect(during.verifyAccessToken(oldToken)).resolves.toMatchObject({ userId: 'u1' });
    // New tokens are signed with the new secret only.
    const fresh = (await during.issueAccessToken({ userId: 'u2' })).accessToken;
    expect(decodeProtectedHeader(fresh).kid).toBe(keyId(createSecretKey(Buffer.from(SECRET))));

    const after = createTokenService(loadAuthSettings({ JWT_SECRET: SECRET }), () => T0);
    expect(await reason(after.verifyAccessToken(oldToken))).toBe('kid_unknown');
    await expect(after.verifyAccessToken(fresh)).resolves.toMatchObject({ userId: 'u2' });
  });

  it('picks the key by kid only: a missing, unknown or mismatched kid fails', async () => {
    const { tokens } = service({ JWT_SECRET_PREVIOUS: OLD });
    const { kid: _kid, ...noKid } = decodeProtectedHeader(forge({}));
    expect(await reason(tokens.verifyAccessToken(signRaw(noKid, decodeJwt(forge({})), { hmac: SECRET })))).toBe('kid_missing');
    expect(await reason(tokens.verifyAccessToken(forge({}, { kid: 'nope' })))).toBe('kid_unknown');
    expect(await reason(tokens.verifyAccessToken(forge({}, { kid: 42 })))).toBe('kid_unknown');
    // Signed with the old secret but naming the current one's kid.
    expect(await reason(tokens.verifyAccessToken(forge({}, { kid: keyId(createSecretKey(Buffer.from(SECRET))) }, OLD)))).toBe('signature_invalid');
  });

  it('pins exp, iat, iss, aud, sub and typ', async () => {
    const { tokens } = service();
    await expect(tokens.verifyAccessToken(forge({}))).resolves.toMatchObject({ userId: 'u1' });
    const now = epoch(T0);
    const cases: [string, string, Record<string, unknown>, Record<string, unknown>?][] = [
      ['expired', 'token_expired', { exp: now - 31 }],
      ['no exp', 'claim_missing_exp', { exp: undefined }],
      ['exp as a string', 'claim_invalid_exp', { exp: String(now + 900) }],
      ['no iat', 'claim_missing_iat', { iat: undefined }],
      ['iat in the future', 'claim_invalid_iat', { iat: now + 120 }],
      ['older than the lifetime', 'token_too_old', { iat: now - 2000, exp: now + 900 }],
      ['nbf in the future', 'claim_invalid_nbf', { nbf: now + 120 }],
      ['wrong issuer', 'claim_invalid_iss', { iss: 'someone-else' }],
      ['no issuer', 'claim_missing_iss', { iss: undefined }],
      ['wrong audience', 'claim_invalid_aud', { aud: 'other-api' }],
      ['no audience', 'claim_missing_aud', { aud: undefined }],
      ['no subject', 'claim_missing_sub', { sub: undefined }],
      ['numeric subject', 'claim_invalid_sub', { sub: 42 }],
      ['empty subject', 'claim_invalid_sub', { sub: '' }],
      ['typ JWT', 'claim_invalid_typ', {}, { typ: 'JWT' }],
      ['typ pin+jwt', 'claim_invalid_typ', {}, { typ: 'pin+jwt' }],
      ['no typ', 'claim_invalid_typ', {}, { typ: undefined }],
      ['alg HS512', 'alg_not_allowed', {}, { alg: 'HS512' }],
    ];
    for (const [name, expected, claims, header] of cases) {
      const token = forge(claims, header);
      expect([name, await reason(tokens.verifyAccessToken(token))]).toEqual([name, expected]);
    }
  });

  it('applies the clock tolerance to exp, nbf and iat, and no more', async () => {
    const { tokens } = service({ JWT_CLOCK_TOLERANCE_SECONDS: '30' });
    const now = epoch(T0);
    await expect(tokens.verifyAccessToken(forge({ exp: now - 29 }))).resolves.toBeDefined();
    expect(await reason(tokens.verifyAccessToken(forge({ exp: now - 30 })))).toBe('token_expired');
    await expect(tokens.verifyAccessToken(forge({ nbf: now + 30 }))).resolves.toBeDefined();
    expect(await reason(tokens.verifyAccessToken(forge({ nbf: now + 31 })))).toBe('claim_invalid_nbf');
    await expect(tokens.verifyAccessToken(forge({ iat: now + 30 }))).resolves.toBeDefined();
    expect(await reason(tokens.verifyAccessToken(forge({ iat: now + 31 })))).toBe('claim_invalid_iat');

    const strict = service({ JWT_CLOCK_TOLERANCE_SECONDS: '0' }).tokens;
    expect(await reason(strict.verifyAccessToken(forge({ exp: now })))).toBe('token_expired');
  });

  it('a token expires after its lifetime, on the injected clock', async () => {
    const { tokens, advance } = service({ JWT_ACCESS_TTL_SECONDS: '60', JWT_CLOCK_TOLERANCE_SECONDS: '5' });
    const { accessToken } = await tokens.issueAccessToken({ userId: 'u1' });
    advance(64_000);
    await expect(tokens.verifyAccessToken(accessToken)).resolves.toBeDefined();
    advance(2_000);
    expect(await reason(tokens.verifyAccessToken(accessToken))).toBe('token_expired');
  });

  it('a token from another Portico deployment (another issuer or audience) fails even with the same secret', async () => {
    const other = createTokenService(loadAuthSettings({ JWT_SECRET: SECRET, JWT_AUDIENCE: 'staging-api' }), () => T0);
    const { accessToken } = await other.issueAccessToken({ userId: 'u1' });
    expect(await reason(service().tokens.verifyAccessToken(accessToken))).toBe('claim_invalid_aud');
  });

  it('a token minted by jose with the right secret but a foreign typ (a PIN token) is refused', async () => {
    const key = createSecretKey(Buffer.from(SECRET));
    const pin = await new SignJWT({ purpose: 'pin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'pin+jwt', kid: keyId(key) })
      .setIssuer('portico')
      .setAudience('portico-api')
      .setSubject('u1')
      .setIssuedAt(epoch(T0))
      .setExpirationTime(epoch(T0) + 300)
      .sign(key);
    expect(await reason(service().tokens.verifyAccessToken(pin))).toBe('claim_invalid_typ');
  });

  it('ignores roles that are not an array of strings', async () => {
    const tokens: TokenService = service().tokens;
    await expect(tokens.verifyAccessToken(forge({ roles: 'admin' }))).resolves.toMatchObject({ roles: [] });
    await expect(tokens.verifyAccessToken(forge({ roles: ['a', 1] }))).resolves.toMatchObject({ roles: [] });
    await expect(tokens.verifyAccessToken(forge({ email: 42 }))).resolves.not.toHaveProperty('email');
    await expect(tokens.verifyAccessToken(forge({ name: ['Ann'] }))).resolves.not.toHaveProperty('name');
  });

  it('carries a display name as the `name` claim and verifies it back', async () => {
    const { tokens } = service();
    const issued = await tokens.issueAccessToken({ userId: 'u-1', email: 'a@example.com', name: 'Ada Lovelace' });
    expect(decodeJwt(issued.accessToken)).toMatchObject({ sub: 'u-1', name: 'Ada Lovelace' });
    await expect(tokens.verifyAccessToken(issued.accessToken)).resolves.toMatchObject({ userId: 'u-1', email: 'a@example.com', name: 'Ada Lovelace' });
    // Without one, there is no claim and no name.
    const plain = await tokens.issueAccessToken({ userId: 'u-2' });
    expect(decodeJwt(plain.accessToken)).not.toHaveProperty('name');
    await expect(tokens.verifyAccessToken(plain.accessToken)).resolves.not.toHaveProperty('name');
  });
});
