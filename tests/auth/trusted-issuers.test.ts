/**
 * Several trusted issuers at once: Entra ID and Google side by side, each with its own keys
 * (two local JWKS servers) and audiences; the token's `iss` picks the verifier. Plus Google's
 * settings, Portico tokens that carry a trusted `idp`, and the local-host-only development user.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ConfigError } from '../../app/config.ts';
import { createApp } from '../../app/app.ts';
import { services } from '../../app/services.ts';
import { createAuth, type Auth } from '../../middleware/auth/index.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';
import { AuthFailure } from '../../middleware/auth/failure.ts';
import { captureLogger } from '../support/platform.ts';
import { epoch, rsaKey, signRs256, startJwksServer, type JwksServer, type RsaTestKey } from '../support/jwks-server.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const GOOGLE_CLIENT = '1234-web.apps.googleusercontent.com';
const SECRET = 'a-very-long-jwt-secret-of-at-least-32-bytes!';
const OID = 'b6a0e4f2-0000-4000-8000-000000000001';
const SUB = '108234567890123456789';

let entraKeys: JwksServer;
let googleKeys: JwksServer;
let entraKey: RsaTestKey;
let googleKey: RsaTestKey;

beforeAll(async () => {
  [entraKey, googleKey] = [rsaKey('entra-1'), rsaKey('google-1')];
  [entraKeys, googleKeys] = await Promise.all([startJwksServer([entraKey]), startJwksServer([googleKey])]);
});
afterAll(() => Promise.all([entraKeys.close(), googleKeys.close()]));

const env = (extra: Record<string, string> = {}) => ({
  JWT_SECRET: SECRET,
  AZURE_TENANT_ID: TENANT,
  AZURE_CLIENT_ID: CLIENT,
  OIDC_JWKS_URI: entraKeys.url,
  GOOGLE_CLIENT_IDS: GOOGLE_CLIENT,
  GOOGLE_JWKS_URI: googleKeys.url,
  ...extra,
});

function auth(extra: Record<string, string> = {}, localHost = false): Auth {
  return createAuth(loadAuthSettings(env(extra), { localHost }), captureLogger().logger);
}

const request = (token?: string): APIGatewayProxyEventV2 =>
  ({ headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, routeKey: 'GET /api/test', requestContext: { requestId: 'r-1', http: { sourceIp: '127.0.0.1' } } }) as unknown as APIGatewayProxyEventV2;

const t0 = () => epoch(Date.now());
const entraToken = (extra: Record<string, unknown> = {}, key = entraKey) =>
  signRs256(key, { iss: ENTRA_ISSUER, aud: CLIENT, sub: 'pairwise', oid: OID, tid: TENANT, scp: 'access_as_user', iat: t0(), exp: t0() + 600, ...extra });
const googleToken = (extra: Record<string, unknown> = {}, key = googleKey) =>
  signRs256(key, { iss: 'https://accounts.google.com', aud: GOOGLE_CLIENT, sub: SUB, email: 'ada@example.com', email_verified: true, iat: t0(), exp: t0() + 600, ...extra });

async function refusal(promise: Promise<unknown>): Promise<AuthFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthFailure);
    return error as AuthFailure;
  }
  throw new Error('expected a refusal');
}

describe('Entra ID and Google trusted at once', () => {
  it("accepts each issuer's token against its own keys and audiences, with its own user id", async () => {
    const { authenticate } = auth();
    await expect(authenticate(request(await entraToken()), ['user'])).resolves.toMatchObject({ userId: OID, qualifiedId: `${ENTRA_ISSUER}|${OID}`, via: 'oidc' });
    await expect(authenticate(request(await googleToken()), ['user'])).resolves.toMatchObject({
      userId: SUB, issuer: 'https://accounts.google.com', qualifiedId: `https://accounts.google.com|${SUB}`, email: 'ada@example.com', via: 'oidc',
    });
    // Google's second spelling of its issuer is the same issuer.
    await expect(authenticate(request(await googleToken({ iss: 'accounts.google.com' })), ['user'])).resolves.toMatchObject({ qualifiedId: `https://accounts.google.com|${SUB}` });
  });

  it("refuses a token signed with the other issuer's key, for the other's audience, or from an issuer nobody trusts", async () => {
    const { authenticate } = auth();
    expect((await refusal(authenticate(request(await googleToken({}, entraKey)), ['user']))).status).toBe(401);
    expect((await refusal(authenticate(request(await entraToken({}, googleKey)), ['user']))).status).toBe(401);
    expect((await refusal(authenticate(request(await googleToken({ aud: CLIENT })), ['user']))).reason).toBe('claim_invalid_aud');
    expect((await refusal(authenticate(request(await googleToken({ iss: 'https://idp.example.com' })), ['user']))).reason).toBe('issuer_unknown');
  });

  it("keeps Google's address only when Google verified it", async () => {
    const { authenticate } = auth();
    const user = await authenticate(request(await googleToken({ email_verified: false })), ['user']);
    expect(user.email).toBeUndefined();
  });

  it("gives a Portico token issued for a Google user that user's qualified id; a token naming an untrusted idp is refused", async () => {
    const { authenticate, tokens } = auth();
    const { accessToken, expiresIn } = await tokens.issueAccessToken({ userId: SUB, idp: 'https://accounts.google.com', ttlSeconds: 1800 });
    expect(expiresIn).toBe(1800);
    await expect(authenticate(request(accessToken), ['user'])).resolves.toMatchObject({ userId: SUB, qualifiedId: `https://accounts.google.com|${SUB}`, via: 'token' });
    await expect(tokens.issueAccessToken({ userId: SUB, idp: 'https://idp.example.com' })).rejects.toThrow(TypeError);
    // Google no longer trusted: its users' Portico tokens stop working too.
    const withoutGoogle = auth({ GOOGLE_CLIENT_IDS: '', GOOGLE_JWKS_URI: '' });
    expect((await refusal(withoutGoogle.authenticate(request(accessToken), ['user']))).reason).toBe('claim_invalid_idp');
  });
});

describe('Google settings', () => {
  const refused = (extra: Record<string, string>, variable: string) => {
    expect(() => loadAuthSettings(extra)).toThrow(ConfigError);
    try {
      loadAuthSettings(extra);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  };

  it('reads the client ids, both issuer spellings and the default key URL', () => {
    const settings = loadAuthSettings({ GOOGLE_CLIENT_IDS: `${GOOGLE_CLIENT}, 1234-ios.apps.googleusercontent.com` });
    expect(settings.google).toMatchObject({
      kind: 'google',
      issuer: 'https://accounts.google.com',
      issuerAliases: ['https://accounts.google.com', 'accounts.google.com'],
      audiences: [GOOGLE_CLIENT, '1234-ios.apps.googleusercontent.com'],
    });
    expect(settings.google?.jwksUri.href).toBe('https://www.googleapis.com/oauth2/v3/certs');
    expect(loadAuthSettings({}).google).toBeUndefined();
  });

  it('refuses a value that is not a client id, a key URL without client ids, and a generic issuer beside Google', () => {
    refused({ GOOGLE_CLIENT_IDS: 'GOCSPX-secret' }, 'GOOGLE_CLIENT_IDS');
    refused({ GOOGLE_JWKS_URI: 'https://keys.example.com' }, 'GOOGLE_JWKS_URI');
    refused({ GOOGLE_CLIENT_IDS: GOOGLE_CLIENT, GOOGLE_JWKS_URI: 'http://keys.example.com/keys' }, 'GOOGLE_JWKS_URI');
    refused({ GOOGLE_CLIENT_IDS: GOOGLE_CLIENT, OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'portico-api' }, 'GOOGLE_CLIENT_IDS');
  });
});

describe('the development user (LOCAL_DEV_AUTH)', () => {
  it('is who a request without credentials is on the local host, never an admin; a bad token is still 401', async () => {
    const { authenticate } = auth({ LOCAL_DEV_AUTH: 'true' }, true);
    await expect(authenticate(request(), ['user'])).resolves.toEqual({
      userId: 'dev-user-001', issuer: 'local-dev', qualifiedId: 'local-dev|dev-user-001', via: 'dev', roles: [], isAdmin: false,
    });
    expect((await refusal(authenticate(request(), ['admin']))).reason).toBe('credentials_missing');
    expect((await refusal(authenticate(request('not.a.token'), ['user']))).status).toBe(401);
    const named = auth({ LOCAL_DEV_AUTH: 'true', LOCAL_DEV_USER_ID: 'me-on-my-laptop' }, true);
    await expect(named.authenticate(request(), ['user'])).resolves.toMatchObject({ userId: 'me-on-my-laptop' });
  });

  it('stops start-up anywhere but the local host, by its name', () => {
    const start = (localHost: boolean) => () => createApp({ services, env: { LOCAL_DEV_AUTH: 'true' }, localHost }).validate();
    expect(start(true)).not.toThrow();
    expect(start(false)).toThrow(ConfigError);
    expect(start(false)).toThrow(/LOCAL_DEV_AUTH works only on the local host/);
    // A host that skips validate() (a Lambda cold start) still cannot build the authenticator with it.
    expect(() => createApp({ services, env: { LOCAL_DEV_AUTH: 'true' } }).ports.auth).toThrow(/LOCAL_DEV_AUTH/);
    expect(() => loadAuthSettings({ LOCAL_DEV_USER_ID: 'dev-user-001' }, { localHost: true })).toThrow(/LOCAL_DEV_AUTH is not true/);
    expect(() => loadAuthSettings({ LOCAL_DEV_AUTH: 'true', LOCAL_DEV_USER_ID: 'x y' }, { localHost: true })).toThrow(/LOCAL_DEV_USER_ID/);
  });
});
