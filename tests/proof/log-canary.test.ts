/**
 * The log canary: sign up, log in, refresh, and fail authentication in every way we know, with
 * planted secret values, through the real handlers, authenticator, limiter and webhook checks (as
 * the composition root builds them from the environment); then scan every log line. None of the
 * secrets may appear, in any encoding we can think of.
 */
import { describe, expect, it } from '@jest/globals';
import type { HttpLambda } from '../../kernel/functions.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { DevOutbox } from '../../adapters/email/dev-outbox.ts';
import { defineFunction } from '../../kernel/functions.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { signWebhook } from '../../middleware/webhooks.ts';
import { identityWith } from '../identity/support.ts';
import { testApp } from '../support/app.ts';
import { captureLogger, httpEvent, lambdaContext } from '../support/platform.ts';

const JWT_SECRET = 'canary-jwt-secret-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c1e';
const API_KEY = 'canary-api-key-4e8b2c6d0f1a3e5c';
const WEBHOOK_KEY = Buffer.from('canary-webhook-key-0123456789abcdef');
const WEBHOOK_SECRET = `whsec_${WEBHOOK_KEY.toString('base64')}`;
const PASSWORD = 'canary-password-Zq9!xw';
const EMAIL = 'canary.person@example.com';

const env = {
  JWT_SECRET,
  API_KEYS: `service:${API_KEY}`,
  ADMIN_USER_IDS: 'portico|nobody',
  CANARY_WEBHOOK_SECRETS: WEBHOOK_SECRET,
  RATE_LIMITING_ENABLED: 'true',
  // A rotated refresh token presented again is a replay at once (no grace window), a failure to provoke.
  REFRESH_GRACE_SECONDS: '0',
};

describe('log canary', () => {
  it('no credential or secret ever reaches a log line', async () => {
    const { logger, lines } = captureLogger();
    const store = new MemoryDocumentStore();
    const outbox = new DevOutbox({ logger });
    const app = testApp({ services: [identityWith()], env, ports: { logger, documents: store, clock: { now: () => new Date() }, email: outbox, devOutbox: outbox } });
    const platform = app.ports.platform;
    const http = {
      requestPin: await app.handler<HttpLambda>('auth-request-pin'),
      confirmSignup: await app.handler<HttpLambda>('auth-confirm-signup'),
      login: await app.handler<HttpLambda>('auth-login'),
      refresh: await app.handler<HttpLambda>('auth-refresh'),
      me: await app.handler<HttpLambda>('auth-me'),
    };
    const protectedRoute = (name: string, classes: 'user' | 'apiKey' | 'admin') =>
      httpHandler(defineFunction({ name, trigger: { kind: 'http', method: 'GET', route: name, auth: classes, summary: name, responses: {} }, load: async () => ({ handler: async () => ({ statusCode: 200 }) }) }), async () => json(200, { ok: true }), platform);
    const hook = httpHandler(
      defineFunction({ name: 'hook', trigger: { kind: 'http', method: 'POST', route: 'hook', auth: 'public', webhook: { secretsVariable: 'CANARY_WEBHOOK_SECRETS' }, summary: 'hook', responses: {} }, load: async () => ({ handler: async () => ({ statusCode: 200 }) }) }),
      async () => json(200, { ok: true }),
      platform,
    );
    const call = (handler: HttpLambda, method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      handler(httpEvent({ method, path, headers: { 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) }), lambdaContext());

    // The happy path, with every secret in play.
    await call(http.requestPin, 'POST', '/api/auth/request-pin', {}, { email: EMAIL });
    const pin = /(\d{6,8})/.exec(outbox.latest(EMAIL)!.text)![1]!;
    const wrongPin = pin === '000000' ? '111111' : '000000';
    expect((await call(http.confirmSignup, 'POST', '/api/auth/confirm-signup', {}, { email: EMAIL, pin: wrongPin, password: PASSWORD })).statusCode).toBe(400);
    const signup = JSON.parse((await call(http.confirmSignup, 'POST', '/api/auth/confirm-signup', {}, { email: EMAIL, pin, password: PASSWORD })).body!) as Record<string, string>;
    const login = JSON.parse((await call(http.login, 'POST', '/api/auth/login', {}, { email: EMAIL, password: PASSWORD })).body!) as Record<string, string>;
    const refreshed = JSON.parse((await call(http.refresh, 'POST', '/api/auth/refresh', {}, { refreshToken: login.refreshToken })).body!) as Record<string, string>;
    const tokens = [signup.accessToken!, signup.refreshToken!, login.accessToken!, login.refreshToken!, refreshed.accessToken!, refreshed.refreshToken!];
    expect((await call(http.me, 'GET', '/api/auth/me', { authorization: `Bearer ${login.accessToken}` })).statusCode).toBe(200);

    // Every failure we can provoke, each carrying a secret.
    const failures: [HttpLambda, string, Record<string, string>, unknown?][] = [
      [http.login, 'POST', {}, { email: EMAIL, password: `${PASSWORD}x` }],
      [http.login, 'POST', {}, { email: 'nobody@example.com', password: PASSWORD }],
      [http.refresh, 'POST', {}, { refreshToken: login.refreshToken }], // reuse: revokes the family
      [http.refresh, 'POST', {}, { refreshToken: `${refreshed.refreshToken}x` }],
      [http.me, 'GET', { authorization: `Bearer ${login.accessToken}x` }],
      [http.me, 'GET', { authorization: `Bearer ${login.refreshToken}` }],
      [http.me, 'GET', { authorization: `Basic ${Buffer.from(`${EMAIL}:${PASSWORD}`).toString('base64')}` }],
      [http.me, 'GET', { authorization: `Bearer ${login.accessToken}, Bearer ${signup.accessToken}` }],
      [http.me, 'GET', { authorization: `Bearer ${JWT_SECRET}` }],
      [http.me, 'GET', { 'x-api-key': API_KEY }],
      [protectedRoute('service', 'apiKey'), 'GET', { 'x-api-key': `${API_KEY}0` }],
      [protectedRoute('service', 'apiKey'), 'GET', { 'x-api-key': API_KEY.slice(0, 10) }],
      [protectedRoute('service', 'apiKey'), 'GET', { authorization: `Bearer ${login.accessToken}` }],
      [protectedRoute('admin', 'admin'), 'GET', { authorization: `Bearer ${login.accessToken}` }],
    ];
    for (const [handler, method, headers, body] of failures) {
      const result = await call(handler, method, '/api/x', headers, body);
      expect([400, 401, 403]).toContain(result.statusCode);
    }
    const stamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(WEBHOOK_SECRET, 'msg_1', stamp, '{"a":1}');
    for (const [id, sig] of [['msg_1', signature], ['msg_2', signature], ['msg_3', `v1,${WEBHOOK_KEY.toString('base64')}`]] as const) {
      await call(hook, 'POST', '/api/hook', { 'webhook-id': id, 'webhook-timestamp': String(stamp), 'webhook-signature': sig }, '{"a":1}');
    }
    // Something was logged for all of that, so the scan below means something.
    expect(lines.length).toBeGreaterThan(failures.length);
    expect(lines.some((line) => line.includes('auth_failure'))).toBe(true);

    const secrets = [
      JWT_SECRET, API_KEY, API_KEY.slice(0, 10), WEBHOOK_SECRET, WEBHOOK_KEY.toString('base64'), WEBHOOK_KEY.toString('utf8'), PASSWORD,
      signature.slice(3), Buffer.from(`${EMAIL}:${PASSWORD}`).toString('base64'),
      ...tokens, ...tokens.map((token) => token.split('.').pop()!),
    ];
    const all = lines.join('\n');
    for (const secret of secrets) expect({ secret, leaked: all.includes(secret) }).toEqual({ secret, leaked: false });
    // The PIN is short: look for it as a whole number, so a timestamp cannot match by chance.
    expect(new RegExp(`(?<![0-9])${pin}(?![0-9])`).test(all)).toBe(false);
  });
});
