/**
 * Audit logging: every authentication and authorization failure is one warn line with a stable
 * reason code and the request id, and no credential ever reaches a log line. The authenticator
 * gets a raw pino logger WITHOUT the redaction layer here, so the proof is that it never passes
 * a credential to the logger at all, not that redaction caught it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { defineFunction, type HttpTrigger } from '../../kernel/functions.ts';
import { createAuthenticator, type PorticoAuthenticator } from '../../middleware/auth/authenticator.ts';
import { createOidcVerifier } from '../../middleware/auth/oidc.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { createTokenService, type TokenService } from '../../middleware/auth/tokens.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { epoch, rsaKey, signRaw, signRs256, startJwksServer, type JwksServer, type RsaTestKey } from '../support/jwks-server.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

// Distinctive values: if any of them, or any token built from them, shows up in a log, we fail.
const SECRET = 'PLANTED-JWT-SECRET-7f3a9c1e5b2d8f4a6c0e';
const API_KEY = 'PLANTEDAPIKEY9d8c7b6a5f4e3d2c1b0a';
const WRONG_KEY = 'PLANTEDWRONGKEY1a2b3c4d5e6f7a8b9c';
const PASSWORD = 'PLANTED-PASSWORD-q9w8e7r6';
const REFRESH = 'PLANTEDREFRESHTOKENx1y2z3w4v5u6t7s8r9';
const ISSUER = 'https://idp.example.com';

let jwks: JwksServer;
let idpKey: RsaTestKey;
let tokens: TokenService;
let authenticate: PorticoAuthenticator;
const rawLines: string[] = [];
const platform = testPlatform();

beforeAll(async () => {
  idpKey = rsaKey('audit-key');
  jwks = await startJwksServer([idpKey]);
  const settings = loadAuthSettings({
    JWT_SECRET: SECRET,
    OIDC_ISSUER: ISSUER,
    OIDC_AUDIENCE: 'portico-api',
    OIDC_JWKS_URI: jwks.url,
    OIDC_JWKS_TIMEOUT_MS: '300',
    API_KEYS: `svc:${API_KEY}`,
    ADMIN_USER_IDS: 'portico|the-admin',
  });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      rawLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  tokens = createTokenService(settings);
  authenticate = createAuthenticator({ settings, tokens, oidc: settings.oidc && createOidcVerifier(settings.oidc), logger: pino({ level: 'debug' }, destination) });
  platform.authenticate = authenticate;
});
afterAll(() => jwks.close());

function route(auth: HttpTrigger['auth']) {
  const def = defineFunction({
    name: 'audit-probe',
    trigger: { kind: 'http', method: 'GET', route: 'probe', auth, summary: 'probe', responses: {} },
    load: async () => ({ handler: async () => ({ statusCode: 200 }) }),
  });
  return httpHandler(def, async (_event, context) => json(200, context.principal), platform);
}

async function call(auth: HttpTrigger['auth'], headers: Record<string, string>) {
  return route(auth)(httpEvent({ method: 'GET', path: '/api/probe', headers }), lambdaContext('audit-probe'));
}

const audits = () => rawLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === 'auth_failure');
const auditFor = (requestId: string) => audits().filter((line) => line.requestId === requestId);

describe('audit log', () => {
  it('logs each failure once, at warn, with a reason code, the request id, route and scheme', async () => {
    const cases: [string, HttpTrigger['auth'], Record<string, string>, number, string, string][] = [
      ['req-missing', 'user', {}, 401, 'credentials_missing', 'none'],
      ['req-basic', 'user', { authorization: `Basic ${Buffer.from(`u:${PASSWORD}`).toString('base64')}` }, 401, 'scheme_not_bearer', 'other'],
      ['req-refresh', 'user', { authorization: `Bearer ${REFRESH}` }, 401, 'token_segments', 'bearer'],
      ['req-wrong-key', 'apiKey', { 'x-api-key': WRONG_KEY }, 401, 'api_key_invalid', 'apiKey'],
      ['req-key-on-user', 'user', { 'x-api-key': API_KEY }, 401, 'api_key_not_accepted', 'apiKey'],
    ];
    for (const [requestId, auth, headers, status, reason, scheme] of cases) {
      const result = await call(auth, { 'x-request-id': requestId, ...headers });
      expect(result.statusCode).toBe(status);
      const lines = auditFor(requestId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, audit: 'auth_failure', reason, status, requestId, route: 'GET /api/probe', scheme, sourceIp: '127.0.0.1' });
    }
  });

  it('names the proven caller on a 403, and only then', async () => {
    const { accessToken } = await tokens.issueAccessToken({ userId: 'plain-user', roles: ['admin'] });
    const result = await call('admin', { 'x-request-id': 'req-403', authorization: `Bearer ${accessToken}` });
    expect(result.statusCode).toBe(403);
    expect(auditFor('req-403')[0]).toMatchObject({ reason: 'not_admin', status: 403, principal: 'portico|plain-user', scheme: 'bearer' });
    expect(audits().filter((line) => line.status === 401).every((line) => line.principal === undefined)).toBe(true);
  });

  it('an IdP outage is audited as idp_unavailable with its cause, and answered 503', async () => {
    jwks.mode = 'hang';
    try {
      const token = await signRs256(idpKey, { iss: ISSUER, aud: 'portico-api', sub: 'u', iat: epoch(), exp: epoch() + 300 });
      const result = await call('user', { 'x-request-id': 'req-idp', authorization: `Bearer ${token}` });
      expect(result.statusCode).toBe(503);
      expect(result.headers?.['retry-after']).toBe('5');
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({ code: 'idp_unavailable' });
      expect(auditFor('req-idp')[0]).toMatchObject({ reason: 'idp_unavailable', status: 503, cause: expect.stringMatching(/^JwksFetchError: /) });
    } finally {
      jwks.mode = 'up';
    }
  });

  it('uses the request id the middleware passes, else the caller id, else the API Gateway id', async () => {
    const event = httpEvent({ headers: { 'x-request-id': 'from-header' } });
    await authenticate(event, ['user'], { requestId: 'from-context', correlationId: 'corr-1' }).catch(() => undefined);
    expect(audits().at(-1)).toMatchObject({ requestId: 'from-context', correlationId: 'corr-1' });
    await authenticate(event, ['user']).catch(() => undefined);
    expect(audits().at(-1)).toMatchObject({ requestId: 'from-header' });
    const unsafe = httpEvent({ headers: { 'x-request-id': 'forged id\nlevel=error' } });
    await authenticate(unsafe, ['user']).catch(() => undefined);
    expect(audits().at(-1)?.requestId).toBe(unsafe.requestContext.requestId);
  });

  it('a success writes no audit failure', async () => {
    const before = audits().length;
    const { accessToken } = await tokens.issueAccessToken({ userId: 'the-admin' });
    expect((await call('admin', { authorization: `Bearer ${accessToken}` })).statusCode).toBe(200);
    expect((await call('apiKey', { 'x-api-key': API_KEY })).statusCode).toBe(200);
    expect(audits().length).toBe(before);
  });

  it('no credential text appears in any log line, redacted or raw', async () => {
    // Valid and invalid tokens built from the planted secret, and keys in every position.
    const { accessToken } = await tokens.issueAccessToken({ userId: 'someone' });
    const forged = signRaw({ alg: 'HS256', typ: 'at+jwt', kid: 'x' }, { sub: 'someone', exp: epoch() + 60 }, { hmac: SECRET });
    const attempts: [HttpTrigger['auth'], Record<string, string>][] = [
      ['admin', { authorization: `Bearer ${accessToken}` }],
      ['apiKey', { authorization: `Bearer ${accessToken}` }],
      ['user', { authorization: `Bearer ${forged}` }],
      ['user', { authorization: `Bearer ${accessToken}, Bearer ${accessToken}` }],
      ['user', { authorization: `Bearer ${accessToken}x` }],
      ['user', { authorization: `Bearer ${accessToken.replaceAll('.', '!')}` }],
      ['user', { authorization: `Basic ${PASSWORD}` }],
      ['apiKey', { 'x-api-key': WRONG_KEY }],
      ['apiKey', { 'x-api-key': `${API_KEY}, ${WRONG_KEY}` }],
      ['user', { 'x-api-key': API_KEY, authorization: `Bearer ${REFRESH}` }],
      [['apiKey', 'user'], { 'x-api-key': WRONG_KEY, authorization: `Bearer ${accessToken}` }],
    ];
    for (const [auth, headers] of attempts) expect((await call(auth, headers)).statusCode).toBeGreaterThanOrEqual(401);

    const everything = [...rawLines, ...platform.lines].join('\n');
    const signatures = [accessToken, forged].map((token) => token.split('.')[2] ?? '');
    for (const planted of [SECRET, API_KEY, WRONG_KEY, PASSWORD, REFRESH, accessToken, forged, ...signatures]) {
      expect(everything).not.toContain(planted);
    }
    expect(everything).not.toMatch(/PLANTED/);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
  });
});
