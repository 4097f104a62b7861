/**
 * Roles on routes: a route that names roles admits a caller holding one of them in its token
 * (Portico's own tokens and Entra ID / OIDC tokens alike), and refuses others with 403
 * `missing_role`; no credentials stay 401; admin routes behave as before; PIN_USER_ROLES puts
 * the roles in the tokens Portico issues to its own accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defineFunction, type HttpTrigger } from '../../kernel/functions.ts';
import { createAuthenticator } from '../../middleware/auth/authenticator.ts';
import { createOidcVerifier } from '../../middleware/auth/oidc.ts';
import { requireRoles } from '../../middleware/auth/roles.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { createTokenService, type TokenService } from '../../middleware/auth/tokens.ts';
import { httpHandler, json } from '../../middleware/http-stack.ts';
import { DEFAULT_PIN_USER_ROLES, loadIdentitySettings } from '../../handlers/identity/settings.ts';
import { epoch, rsaKey, signRs256, startJwksServer, type JwksServer, type RsaTestKey } from '../support/jwks-server.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

const ISSUER = 'https://login.example.com/tenant/v2.0';
let jwks: JwksServer;
let idpKey: RsaTestKey;
let tokens: TokenService;
const platform = testPlatform();

beforeAll(async () => {
  idpKey = rsaKey('roles-key');
  jwks = await startJwksServer([idpKey]);
  const settings = loadAuthSettings({
    JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256-0123',
    OIDC_ISSUER: ISSUER,
    OIDC_AUDIENCE: 'portico-api',
    OIDC_JWKS_URI: jwks.url,
    ADMIN_USER_IDS: 'portico|the-admin',
  });
  tokens = createTokenService(settings);
  platform.authenticate = createAuthenticator({ settings, tokens, oidc: settings.oidc && createOidcVerifier(settings.oidc), logger: platform.logger });
});
afterAll(() => jwks.close());

function call(trigger: Pick<HttpTrigger, 'auth' | 'roles'>, authorization?: string) {
  const def = defineFunction({
    name: 'roles-probe',
    trigger: { kind: 'http', method: 'POST', route: 'probe', summary: 'probe', responses: {}, ...trigger },
    load: async () => ({ handler: async () => ({ statusCode: 200 }) }),
  });
  const handler = httpHandler(def, async (_event, context) => json(200, { userId: context.principal?.userId }), platform);
  return handler(httpEvent({ method: 'POST', path: '/api/probe', headers: { 'x-request-id': 'req-roles', ...(authorization ? { authorization } : {}) } }), lambdaContext('roles-probe'));
}

const portico = async (userId: string, roles: string[]) => `Bearer ${(await tokens.issueAccessToken({ userId, roles })).accessToken}`;
const entra = async (roles: string[] | undefined) =>
  `Bearer ${await signRs256(idpKey, { iss: ISSUER, aud: 'portico-api', sub: 'entra-user', iat: epoch(), exp: epoch() + 300, ...(roles ? { roles } : { scp: 'access' }) })}`;
const problem = (result: { body?: string }) => JSON.parse(result.body ?? '{}') as { code?: string; status?: number; detail?: string };

describe('roles on routes', () => {
  const enroll = { auth: 'user', roles: ['Voice.Enroll', 'Voice.Admin'] } as const;

  it('admits a Portico token holding one of the roles', async () => {
    const result = await call(enroll, await portico('u1', ['Voice.Admin']));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '{}')).toEqual({ userId: 'u1' });
  });

  it('admits an Entra ID token whose roles claim holds one of them', async () => {
    expect((await call(enroll, await entra(['Voice.Enroll']))).statusCode).toBe(200);
  });

  it('refuses a caller holding none of them with 403 missing_role, naming the roles, and audits it', async () => {
    for (const authorization of [await portico('u2', ['Voice.Synthesize']), await portico('u3', []), await entra(undefined)]) {
      const result = await call(enroll, authorization);
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['content-type']).toMatch(/^application\/problem\+json/);
      expect(problem(result)).toMatchObject({ code: 'missing_role', status: 403, detail: expect.stringContaining('Voice.Enroll, Voice.Admin') });
    }
    const audit = platform.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.reason === 'missing_role');
    expect(audit.at(-1)).toMatchObject({ audit: 'auth_failure', status: 403, principal: `${ISSUER}|entra-user`, required: ['Voice.Enroll', 'Voice.Admin'] });
  });

  it('still answers 401 to a caller without credentials, before any role is looked at', async () => {
    const result = await call(enroll);
    expect(result.statusCode).toBe(401);
    expect(problem(result).code).toBe('unauthorized');
  });

  it('leaves routes without roles, and admin routes, as they were: ADMIN_USER_IDS decides admin, a role does not', async () => {
    expect((await call({ auth: 'user' }, await portico('u4', []))).statusCode).toBe(200);
    expect((await call({ auth: 'admin' }, await portico('the-admin', []))).statusCode).toBe(200);
    const byRole = await call({ auth: 'admin' }, await portico('u5', ['Voice.Admin', 'admin']));
    expect(byRole.statusCode).toBe(403);
    expect(problem(byRole).code).toBe('forbidden');
    // An admin on a route with roles needs one of them like anyone else.
    expect(problem(await call({ auth: ['user', 'admin'], roles: ['Voice.Admin'] }, await portico('the-admin', []))).code).toBe('missing_role');
  });

  it('requireRoles: an empty or absent list requires nothing', () => {
    expect(() => requireRoles({ roles: [] }, undefined)).not.toThrow();
    expect(() => requireRoles({ roles: [] }, [])).not.toThrow();
    expect(() => requireRoles({ roles: ['b'] }, ['a'])).toThrow('needs one of these roles: a');
  });
});

describe('PIN_USER_ROLES', () => {
  it('defaults to Voice.Enroll and Voice.Synthesize, takes a list, or none', () => {
    expect(loadIdentitySettings({}).pinUserRoles).toEqual(DEFAULT_PIN_USER_ROLES);
    expect(loadIdentitySettings({ PIN_USER_ROLES: 'Voice.Enroll, Reports.Read' }).pinUserRoles).toEqual(['Voice.Enroll', 'Reports.Read']);
    expect(loadIdentitySettings({ PIN_USER_ROLES: 'none' }).pinUserRoles).toEqual([]);
    expect(() => loadIdentitySettings({ PIN_USER_ROLES: 'Voice.Enroll,bad role' })).toThrow('PIN_USER_ROLES');
  });
});
