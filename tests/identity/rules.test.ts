/** The accounts service's pure rules, its cryptography, its settings and the token service it is given. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../app/config.ts';
import { parseFrom } from '../../domain/email.ts';
import { AppError } from '../../domain/errors.ts';
import { PIN_WINDOW_MS, decideRefresh, nextPinWindow, normalizeEmail, passwordProblems, pinUsable, redactEmail } from '../../domain/identity.ts';
import { emailKey, hashPassword, hashPin, newPin, newRefreshToken, pinMatches, tokenHash, verifyPassword } from '../../handlers/identity/secrets.ts';
import identity from '../../handlers/identity/index.ts';
import { DEFAULT_SCRYPT, IDENTITY_VARIABLES, loadIdentitySettings } from '../../handlers/identity/settings.ts';
import { testApp } from '../support/app.ts';
import { setup } from './support.ts';

const fast = { N: 2 ** 10, r: 8, p: 1 };

describe('e-mail addresses', () => {
  it.each([
    ['Ann@Example.COM', 'ann@example.com'],
    ['  bob.smith+tag@mail.example.org ', 'bob.smith+tag@mail.example.org'],
    ['zoë@exämple.de', 'zoë@exämple.de'],
  ])('normalises %s', (input, expected) => expect(normalizeEmail(input)).toBe(expected));

  it.each(['', 'plain', '@example.com', 'a@', 'a@b', 'a@@b.com', 'a@b@c.com', 'a b@c.com', '.a@b.com', 'a..b@c.com', 'a@-b.com', 'a@b..com', `${'x'.repeat(65)}@b.com`, `a@${'b'.repeat(250)}.com`])(
    'refuses %j',
    (input) => expect(normalizeEmail(input)).toBeUndefined(),
  );

  it('redacts for logs and keys by hash', () => {
    expect(redactEmail('ann@example.com')).toBe('a***@example.com');
    expect(emailKey('ann@example.com')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(emailKey('ann@example.com')).not.toBe(emailKey('bob@example.com'));
  });

  it('parses EMAIL_FROM', () => {
    expect(parseFrom('no-reply@example.com')).toEqual({ email: 'no-reply@example.com' });
    expect(parseFrom('"Portico" <no-reply@example.com>')).toEqual({ email: 'no-reply@example.com', name: 'Portico' });
  });
});

describe('PINs', () => {
  it('are uniformly random digits of the asked length, leading zeros kept', () => {
    const pins = Array.from({ length: 2000 }, () => newPin(6));
    expect(pins.every((pin) => /^\d{6}$/.test(pin))).toBe(true);
    expect(new Set(pins.map((pin) => pin[0])).size).toBe(10);
    expect(newPin(8)).toMatch(/^\d{8}$/);
  });

  it('are stored as a salted HMAC and verified in constant time', () => {
    const a = hashPin('123456');
    const b = hashPin('123456');
    expect(a.pinHash).not.toBe(b.pinHash);
    expect(pinMatches('123456', a.salt, a.pinHash)).toBe(true);
    expect(pinMatches('123457', a.salt, a.pinHash)).toBe(false);
    expect(pinMatches('123456', a.salt, 'short')).toBe(false);
  });

  it('are usable until used, expired or out of attempts', () => {
    const state = { pinHash: 'h', attempts: 0, pinExpiresAt: 1000 };
    expect(pinUsable(state, 999)).toBe(true);
    expect(pinUsable(state, 1000)).toBe(false);
    expect(pinUsable({ ...state, attempts: 5 }, 0)).toBe(false);
    expect(pinUsable({ ...state, attempts: 4 }, 0)).toBe(true);
    expect(pinUsable({ ...state, pinHash: null }, 0)).toBe(false);
    expect(pinUsable(undefined, 0)).toBe(false);
  });

  it('are sent at most N times per hourly window', () => {
    let window = nextPinWindow(undefined, 0, 2);
    expect(window).toEqual({ windowStart: 0, sentInWindow: 1 });
    window = nextPinWindow(window, 10, 2);
    expect(window).toEqual({ windowStart: 0, sentInWindow: 2 });
    expect(nextPinWindow(window, 20, 2)).toBeUndefined();
    expect(nextPinWindow(window, PIN_WINDOW_MS, 2)).toEqual({ windowStart: PIN_WINDOW_MS, sentInWindow: 1 });
  });
});

describe('passwords', () => {
  it('follow the length policy in code points of the NFC form, and may not be the address', () => {
    expect(passwordProblems('0123456789', 10)).toEqual([]);
    expect(passwordProblems('012345678', 10)).toEqual([{ pointer: '/body/password', detail: 'must be at least 10 characters' }]);
    expect(passwordProblems('😀'.repeat(10), 10)).toEqual([]);
    expect(passwordProblems('e\u0301'.repeat(10), 11)).toHaveLength(1); // 10 "é" after NFC
    expect(passwordProblems('x'.repeat(257), 10)).toHaveLength(1);
    expect(passwordProblems('Someone@Example.com', 10, 'someone@example.com')).toHaveLength(1);
    expect(passwordProblems('longlocalpart', 10, 'longlocalpart@example.com')).toHaveLength(1);
  });

  it('hash to scrypt$N$r$p$salt$hash and verify, NFC-insensitively', async () => {
    const stored = await hashPassword('caf\u00e9 au lait', fast);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('cafe\u0301 au lait', stored, fast)).toEqual({ ok: true, upgrade: false });
    expect(await verifyPassword('cafe au lait', stored, fast)).toEqual({ ok: false, upgrade: false });
    expect(await verifyPassword('caf\u00e9 au lait', stored, { ...fast, N: 2048 })).toEqual({ ok: true, upgrade: true });
    expect(await hashPassword('same', fast)).not.toBe(await hashPassword('same', fast));
  });

  it('refuse corrupt or oversized stored hashes without running them', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA', `scrypt$${2 ** 22}$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`]) {
      expect(await verifyPassword('x', stored, fast)).toEqual({ ok: false, upgrade: false });
    }
  });
});

describe('refresh tokens', () => {
  it('are 32 random bytes, stored as SHA-256', () => {
    const token = newRefreshToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash(token)).not.toBe(token);
  });

  it('rotate only from the current token; any other revokes; a revoked family refuses', () => {
    const family = { current: 'h2', generation: 1, revokedAt: null };
    expect(decideRefresh(family, 'h2')).toEqual({ action: 'rotate' });
    expect(decideRefresh(family, 'h1')).toEqual({ action: 'revoke', reason: 'reuse' });
    expect(decideRefresh({ ...family, revokedAt: '2026-01-01T00:00:00Z' }, 'h2')).toEqual({ action: 'refuse' });
    expect(decideRefresh(undefined, 'h2')).toEqual({ action: 'refuse' });
  });

  it('replay the just-rotated token only within its grace window, and refuse an expired family', () => {
    const family = { current: 'h2', generation: 1, revokedAt: null, previous: 'h1', graceUntil: 1_000, expiresAt: 10_000 };
    expect(decideRefresh(family, 'h1', 999)).toEqual({ action: 'replay' });
    expect(decideRefresh(family, 'h1', 1_000)).toEqual({ action: 'revoke', reason: 'reuse' });
    expect(decideRefresh(family, 'h0', 500)).toEqual({ action: 'revoke', reason: 'reuse' });
    expect(decideRefresh({ ...family, revokedAt: '2026-01-01T00:00:00Z' }, 'h1', 500)).toEqual({ action: 'refuse' });
    expect(decideRefresh(family, 'h2', 10_000)).toEqual({ action: 'refuse' });
  });
});

describe('settings', () => {
  it('default to the seed values and a strong scrypt', () => {
    const settings = loadIdentitySettings({});
    expect(settings).toMatchObject({ pinLength: 6, pinExpMinutes: 15, passwordMinLength: 10, refreshTtlDays: 30, pinMaxPerHour: 5, sendgridKey: undefined });
    expect(settings.scrypt).toEqual(DEFAULT_SCRYPT);
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(loadIdentitySettings({ PASSWORD_SCRYPT_LOG2N: '17' }).scrypt.N).toBe(2 ** 17);
  });

  it.each([
    [{ PIN_LENGTH: '5' }, 'PIN_LENGTH'],
    [{ PIN_LENGTH: '9' }, 'PIN_LENGTH'],
    [{ PIN_EXP_MINUTES: 'soon' }, 'PIN_EXP_MINUTES'],
    [{ PASSWORD_MIN_LENGTH: '4' }, 'PASSWORD_MIN_LENGTH'],
    [{ REFRESH_TTL_DAYS: '0' }, 'REFRESH_TTL_DAYS'],
    [{ PASSWORD_SCRYPT_LOG2N: '12' }, 'PASSWORD_SCRYPT_LOG2N'],
    [{ SENDGRID_KEY: 'SG.x' }, 'EMAIL_FROM'],
    [{ SENDGRID_KEY: 'SG.x', EMAIL_FROM: 'nobody' }, 'EMAIL_FROM'],
  ])('refuse %j, naming %s', (env, variable) => {
    expect(() => loadIdentitySettings(env)).toThrow(ConfigError);
    expect(() => loadIdentitySettings(env)).toThrow(variable);
  });

  it('accept a SendGrid key with a sender', () => {
    expect(loadIdentitySettings({ SENDGRID_KEY: 'SG.x', EMAIL_FROM: 'Portico <no-reply@example.com>', PIN_LENGTH: '8' })).toMatchObject({ sendgridKey: 'SG.x', pinLength: 8 });
  });

  it('read exactly the variables the manifest declares', () => {
    const read = new Set<string>();
    loadIdentitySettings(new Proxy({}, { get: (_target, name) => (typeof name === 'string' && read.add(name), undefined) }));
    expect([...read].sort()).toEqual([...IDENTITY_VARIABLES].sort());
    expect(identity.settings.variables).toBe(IDENTITY_VARIABLES);
  });
});

describe('the token service', () => {
  it('answers 503 not_configured when asked for a token without JWT_SECRET', async () => {
    const { ports } = testApp({ services: [identity], env: { JWT_SECRET: '' } });
    const failure = await ports.auth.tokens.issueAccessToken({ userId: 'u' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ status: 503, code: 'not_configured' });
  });

  it('is the one the accounts routes sign in with', async () => {
    const unconfigured = setup({ platformTokens: true, env: { JWT_SECRET: '' } });
    expect((await unconfigured.post('requestPin', { email: 'jwt@example.com' })).statusCode).toBe(202);
    const refused = await unconfigured.post('confirmSignup', { email: 'jwt@example.com', pin: unconfigured.pinFor('jwt@example.com'), password: 'correct horse battery' });
    expect(refused).toMatchObject({ statusCode: 503, json: expect.objectContaining({ code: 'not_configured' }) });

    const configured = setup({ platformTokens: true });
    const { accessToken } = await configured.signUp('jwt@example.com');
    expect(accessToken.split('.')).toHaveLength(3);
    // A PIN-signed-up account's token carries PIN_USER_ROLES (its default here), which routes with roles read.
    expect((await configured.app.ports.auth.tokens.verifyAccessToken(accessToken)).roles).toEqual(['Voice.Enroll', 'Voice.Synthesize']);
  });

  it('puts PIN_USER_ROLES in the tokens of Portico accounts', async () => {
    const configured = setup({ platformTokens: true, env: { PIN_USER_ROLES: 'Reports.Read' } });
    const { accessToken } = await configured.signUp('roles@example.com');
    expect((await configured.app.ports.auth.tokens.verifyAccessToken(accessToken)).roles).toEqual(['Reports.Read']);
  });
});
