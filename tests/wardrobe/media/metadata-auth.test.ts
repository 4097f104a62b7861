/**
 * The metadata route's auth through the composition root: the real manifest, the real `bind`
 * (which takes the route's own authenticator), the real authenticator, memory ports. The function
 * table declares API keys and users whatever the environment says; METADATA_EXTRACT_AUTH_MODE,
 * read with the settings at bind time, narrows what the route accepts, and a refused class is
 * answered exactly as on a route that never declared it.
 */
import { describe, expect, it } from '@jest/globals';
import type { HttpLambda } from '../../../kernel/functions.ts';
import type { Env } from '../../../kernel/env.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { acceptOnly } from '../../../handlers/wardrobe/media/route-auth.ts';
import { testApp } from '../../support/app.ts';
import { httpEvent } from '../../support/platform.ts';
import { call, fakeModel, png, ROUTE_KEY, SERVICE_KEY, testAuthenticator } from './support.ts';

const NAME = 'wardrobe-extract-clothing-metadata';

function setup(env: Env = {}) {
  const t = testApp({
    services: [wardrobe],
    env: { API_KEYS: `service:${SERVICE_KEY}`, METADATA_EXTRACT_API_KEY: ROUTE_KEY, ...env },
    ports: { model: fakeModel() },
  });
  const image = async () => Buffer.from(await png(20, 20, { r: 27, g: 42, b: 74 })).toString('base64');
  async function extract(headers: Record<string, string>) {
    const handler = await t.handler<HttpLambda>(NAME);
    return call(handler, { method: 'POST', path: '/api/extract-clothing-metadata', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ imageBase64: await image() }) });
  }
  const bearer = async (userId: string) => ({ authorization: `Bearer ${(await t.ports.auth.tokens.issueAccessToken({ userId })).accessToken}` });
  const audits = () => t.records().filter((record) => record.audit === 'auth_failure');
  return { ...t, extract, bearer, audits };
}

describe('POST /api/extract-clothing-metadata: METADATA_EXTRACT_AUTH_MODE', () => {
  it('declares API keys and users in the function table, whatever the mode', () => {
    for (const mode of [undefined, 'api_key', 'entra', 'either', 'anyone']) {
      const t = setup(mode === undefined ? {} : { METADATA_EXTRACT_AUTH_MODE: mode });
      expect(t.app.find(NAME)?.trigger).toMatchObject({ kind: 'http', auth: ['apiKey', 'user'] });
    }
  });

  it('either (the default): an API key, the route key and a bearer token are all accepted', async () => {
    const t = setup();
    expect((await t.extract({ 'x-api-key': SERVICE_KEY })).statusCode).toBe(200);
    expect((await t.extract({ 'x-api-key': ROUTE_KEY })).statusCode).toBe(200);
    expect((await t.extract(await t.bearer('alice'))).statusCode).toBe(200);
    expect((await t.extract({})).statusCode).toBe(401);
  });

  it.each(['api_key', 'api-key'])('%s: refuses a valid bearer token with 401 (bearer_not_accepted), as an API-key-only route does; keys still work', async (mode) => {
    const t = setup({ METADATA_EXTRACT_AUTH_MODE: mode });
    const refused = await t.extract(await t.bearer('alice'));
    expect([refused.statusCode, refused.json?.code, refused.headers['content-type'], refused.headers['www-authenticate']]).toEqual([
      401,
      'unauthorized',
      'application/problem+json',
      'Bearer error="invalid_token"',
    ]);
    expect(t.audits()).toEqual([expect.objectContaining({ reason: 'bearer_not_accepted', status: 401, accepted: ['apiKey'], scheme: 'bearer' })]);
    expect((await t.extract({ 'x-api-key': SERVICE_KEY })).statusCode).toBe(200);
    expect((await t.extract({ 'x-api-key': ROUTE_KEY })).statusCode).toBe(200);
  });

  it.each(['entra', 'azure-ad'])('%s: refuses API keys (API_KEYS and the route key) with 401 (api_key_not_accepted); bearer tokens work', async (mode) => {
    const t = setup({ METADATA_EXTRACT_AUTH_MODE: mode });
    for (const key of [SERVICE_KEY, ROUTE_KEY]) {
      const refused = await t.extract({ 'x-api-key': key });
      expect([refused.statusCode, refused.json?.code]).toEqual([401, 'unauthorized']);
    }
    expect(t.audits()).toEqual([
      expect.objectContaining({ reason: 'api_key_not_accepted', accepted: ['user'], scheme: 'apiKey' }),
      expect.objectContaining({ reason: 'api_key_not_accepted', accepted: ['user'], scheme: 'apiKey' }),
    ]);
    expect((await t.extract(await t.bearer('alice'))).statusCode).toBe(200);
  });

  it('an invalid mode stops the route at bind time (and validation), naming the variable; the table still loads', async () => {
    const t = setup({ METADATA_EXTRACT_AUTH_MODE: 'anyone' });
    expect(t.app.functions.some((def) => def.name === NAME)).toBe(true);
    await expect(t.handler(NAME)).rejects.toThrow(/METADATA_EXTRACT_AUTH_MODE must be api_key, entra or either/);
    expect(() => t.app.validate()).toThrow(/METADATA_EXTRACT_AUTH_MODE/);
  });
});

describe('acceptOnly', () => {
  it('passes on the accepted classes the settings allow, never more', async () => {
    const seen: unknown[] = [];
    const authenticate = acceptOnly(async (event, accepted, context) => {
      seen.push(accepted);
      return testAuthenticator(event, accepted, context);
    }, ['apiKey']);
    const event = httpEvent({ method: 'POST', headers: { authorization: 'Bearer user:alice' } });
    await expect(authenticate(event, ['apiKey', 'user'])).rejects.toMatchObject({ status: 401 });
    // Never widened: a route that takes only users stays that way.
    await expect(authenticate(event, ['user'])).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual([['apiKey'], []]);
    await expect(acceptOnly(testAuthenticator, ['apiKey', 'user'])(event, ['apiKey', 'user'])).resolves.toMatchObject({ userId: 'alice' });
  });
});
