/**
 * The Axly seed's sign-in routes and the password reset, through the real bind and HTTP stack on
 * memory ports: the seed's bodies and answers, PIN purposes (a reset PIN never confirms a sign-up
 * and the reverse), expiry by PIN_EXP_MINUTES, the shared hourly quota, the route rate limit, and
 * that a reset signs every other login out.
 */
import { describe, expect, it } from '@jest/globals';
import { setup } from './support.ts';

const ANN = 'ann@example.com';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';

type Setup = ReturnType<typeof setup>;
const post = (t: Setup, name: string, path: string, json: unknown) => t.request(name, { method: 'POST', path, json });

/** Sign-up through the seed's routes. */
async function seedSignUp(t: Setup, email = ANN) {
  expect((await post(t, 'axly-request-pin', '/api/request_pin', { email })).statusCode).toBe(202);
  return post(t, 'axly-confirm-signup', '/api/confirm_signup', { email, password: PASSWORD, pin: t.pinFor(email) });
}

const requestReset = (t: Setup, email = ANN) => post(t, 'axly-request-password-reset-pin', '/api/request_password_reset_pin', { email });
const confirmReset = (t: Setup, pin: string, email = ANN, new_password = NEW_PASSWORD) =>
  post(t, 'axly-confirm-password-reset', '/api/confirm_password_reset', { email, pin, new_password });

describe('the seed sign-in routes', () => {
  it('sign up with {email, password, pin} and log in with {email, password}: the tokens plus user {id, email}', async () => {
    const t = setup();
    const created = await seedSignUp(t);
    expect(created.statusCode).toBe(201);
    const user = (created.json as { user: { id: string } }).user;
    expect(created.json).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'bearer', expires_in: 900, user: { id: user.id, email: ANN } });

    const login = await post(t, 'axly-login', '/api/login', { email: 'Ann@Example.com', password: PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json).toEqual({ access_token: `access:${user.id}:2`, refresh_token: expect.any(String), token_type: 'bearer', expires_in: 900, user: { id: user.id, email: ANN } });
    // The refresh token is the identity service's: it rotates through auth/refresh.
    const refreshed = await t.post('refresh', { refreshToken: (login.json as { refresh_token: string }).refresh_token });
    expect(refreshed.statusCode).toBe(200);
  });

  it("answers the platform's problems with stable codes, not the upstream's plain text", async () => {
    const t = setup();
    await seedSignUp(t);
    const wrong = await post(t, 'axly-login', '/api/login', { email: ANN, password: 'not the password' });
    expect([wrong.statusCode, wrong.headers['content-type'], wrong.json?.code]).toEqual([401, 'application/problem+json', 'invalid_credentials']);
    const missing = await post(t, 'axly-login', '/api/login', { email: ANN });
    expect([missing.statusCode, missing.json?.code]).toEqual([400, 'validation_failed']);
    const badPin = await post(t, 'axly-confirm-signup', '/api/confirm_signup', { email: 'bob@example.com', password: PASSWORD, pin: '000000' });
    expect([badPin.statusCode, badPin.json?.code]).toEqual([400, 'invalid_pin']);
  });

  it('honours PIN_EXP_MINUTES: the mail says it, and the PIN fails one second after', async () => {
    const t = setup({ env: { PIN_EXP_MINUTES: '2' } });
    expect((await post(t, 'axly-request-pin', '/api/request_pin', { email: ANN })).statusCode).toBe(202);
    expect(t.outbox.latest(ANN)?.text).toContain('expires in 2 minutes');
    const pin = t.pinFor(ANN);
    t.clock.advance(2 * 60_000 + 1000);
    const late = await post(t, 'axly-confirm-signup', '/api/confirm_signup', { email: ANN, password: PASSWORD, pin });
    expect([late.statusCode, late.json?.code]).toEqual([400, 'invalid_pin']);
  });

  it('share the auth rate limit with the identity routes', async () => {
    const t = setup({ env: { RATE_LIMITING_ENABLED: 'true', RATE_LIMIT_AUTH: '2/1m' } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(t, 'axly-request-pin', '/api/request_pin', { email: `u${i}@example.com` })).statusCode);
    expect(statuses).toEqual([202, 202, 429]);
  });
});

describe('password reset', () => {
  it('answers the same for an unknown address and mails nothing to it', async () => {
    const t = setup();
    await seedSignUp(t);
    const known = await requestReset(t);
    const unknown = await requestReset(t, 'nobody@example.com');
    expect([known.statusCode, known.json]).toEqual([202, { status: 'sent' }]);
    expect([unknown.statusCode, unknown.json]).toEqual([202, { status: 'sent' }]);
    expect(t.outbox.latest('nobody@example.com')).toBeUndefined();
    expect(t.outbox.latest(ANN)?.subject).toBe('Your Portico password reset code');
  });

  it('sets the new password, answers the login answer, and revokes every refresh token of the user', async () => {
    const t = setup();
    const signedUp = (await seedSignUp(t)).json as { refresh_token: string; user: { id: string } };
    const other = (await post(t, 'axly-login', '/api/login', { email: ANN, password: PASSWORD })).json as { refresh_token: string };
    await requestReset(t);
    const reset = await confirmReset(t, t.pinFor(ANN));
    expect(reset.statusCode).toBe(200);
    expect(reset.json).toMatchObject({ token_type: 'bearer', user: { id: signedUp.user.id, email: ANN }, refresh_token: expect.any(String) });

    for (const old of [signedUp.refresh_token, other.refresh_token]) expect((await t.post('refresh', { refreshToken: old })).json?.code).toBe('invalid_refresh_token');
    expect((await t.post('refresh', { refreshToken: (reset.json as { refresh_token: string }).refresh_token })).statusCode).toBe(200);
    expect((await post(t, 'axly-login', '/api/login', { email: ANN, password: PASSWORD })).statusCode).toBe(401);
    expect((await post(t, 'axly-login', '/api/login', { email: ANN, password: NEW_PASSWORD })).statusCode).toBe(200);
  });

  it('refuses a sign-up PIN at reset, and a reset PIN at sign-up', async () => {
    const t = setup();
    await seedSignUp(t);
    // An existing address asking for a sign-up PIN gets one (of purpose signup): it cannot reset.
    await post(t, 'axly-request-pin', '/api/request_pin', { email: ANN });
    const wrongPurpose = await confirmReset(t, t.pinFor(ANN));
    expect([wrongPurpose.statusCode, wrongPurpose.json?.code]).toEqual([400, 'invalid_pin']);
    expect((await post(t, 'axly-login', '/api/login', { email: ANN, password: PASSWORD })).statusCode).toBe(200);

    // A reset PIN cannot confirm a sign-up (the upstream had no purpose filter).
    await requestReset(t);
    const resetPin = t.pinFor(ANN);
    const asSignup = await post(t, 'axly-confirm-signup', '/api/confirm_signup', { email: ANN, password: NEW_PASSWORD, pin: resetPin });
    expect([asSignup.statusCode, asSignup.json?.code]).toEqual([400, 'invalid_pin']);
    // ...and it still works for what it was mailed for.
    expect((await confirmReset(t, resetPin)).statusCode).toBe(200);
  });

  it('refuses an expired PIN, a used one, and a weak password without spending the PIN', async () => {
    const t = setup({ env: { PIN_EXP_MINUTES: '5' } });
    await seedSignUp(t);
    await requestReset(t);
    const pin = t.pinFor(ANN);
    const weak = await confirmReset(t, pin, ANN, 'short');
    expect([weak.statusCode, weak.json?.code]).toEqual([400, 'validation_failed']);
    expect(JSON.stringify(weak.json)).toContain('/body/new_password');
    expect((await confirmReset(t, pin)).statusCode).toBe(200);
    expect((await confirmReset(t, pin)).json?.code).toBe('invalid_pin');

    t.clock.advance(60 * 60_000);
    await requestReset(t);
    const next = t.pinFor(ANN);
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await confirmReset(t, next, ANN, 'yet another passphrase');
    expect([expired.statusCode, expired.json?.code]).toEqual([400, 'invalid_pin']);
  });

  it('mails at most PIN_MAX_PER_HOUR PINs an hour, sign-up and reset together', async () => {
    const t = setup({ env: { PIN_MAX_PER_HOUR: '2' } });
    await seedSignUp(t); // one PIN mailed
    for (let i = 0; i < 3; i++) expect((await requestReset(t)).statusCode).toBe(202);
    expect(t.sent.filter((mail) => mail.to === ANN)).toHaveLength(2);
  });

  it('has its own identity routes with camelCase bodies', async () => {
    const t = setup();
    await seedSignUp(t);
    expect((await post(t, 'auth-request-password-reset', '/api/auth/request-password-reset', { email: ANN })).statusCode).toBe(202);
    const reset = await post(t, 'auth-confirm-password-reset', '/api/auth/confirm-password-reset', { email: ANN, pin: t.pinFor(ANN), newPassword: NEW_PASSWORD });
    expect(reset.statusCode).toBe(200);
    expect(reset.json).toMatchObject({ tokenType: 'Bearer', user: { email: ANN } });
  });
});
