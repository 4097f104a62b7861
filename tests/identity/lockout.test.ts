/**
 * Lock-out by a stranger (issue 11): the real accounts routes with the credential limits on, as
 * the composition root builds them. Failed guesses count per e-mail and client address, so the
 * guessing address is refused while the owner signs in from another; an attacker spread over
 * many addresses meets the per-e-mail ceiling, which still lets in an address that never failed.
 */
import { describe, expect, it } from '@jest/globals';
import { httpEvent, lambdaContext } from '../support/platform.ts';
import { setup } from './support.ts';

const OWNER = 'owner@example.com';
const PASSWORD = 'correct horse battery';

async function world() {
  // The route limit (`auth`, 20 a minute per address) is raised so every 429 here is a credential limit's.
  const t = setup({ env: { RATE_LIMITING_ENABLED: 'true', RATE_LIMIT_AUTH: '1000' } });
  await t.signUp(OWNER, PASSWORD);
  const login = await t.route('login');
  const from = async (address: string, password: string) => {
    const event = httpEvent({ method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: OWNER, password }) });
    event.requestContext.http.sourceIp = address;
    const result = await login(event, lambdaContext());
    return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body ?? '{}') as { code?: string } };
  };
  return { t, from };
}

describe('a stranger cannot lock the owner out', () => {
  it('five wrong passwords from one address get that address 429, and the owner still signs in from another', async () => {
    const { from } = await world();
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.9', 'wrong password!')).status).toBe(401);
    const refused = await from('203.0.113.9', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect((await from('198.51.100.7', PASSWORD)).status).toBe(200);
  });

  it('an attacker spread over 25 addresses is stopped at the per-e-mail ceiling; the owner, from an address that has not failed, is not', async () => {
    const { from } = await world();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 25; i++) expect((await from(`192.0.2.${i + 1}`, `wrong password ${round}`)).status).toBe(401);
    }
    // Each address has failed only twice (its own limit is 5), but together they reached 50.
    for (let i = 0; i < 25; i++) {
      const refused = await from(`192.0.2.${i + 1}`, PASSWORD);
      expect([refused.status, refused.body.code]).toEqual([429, 'rate_limited']);
    }
    expect((await from('198.51.100.7', PASSWORD)).status).toBe(200);
  });
});
