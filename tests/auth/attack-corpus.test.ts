/**
 * The auth attack corpus: named attacks, each sent through the full HTTP stack (telemetry,
 * errors, validation, auth) against the HS256 token path and, where the attack applies, the
 * Entra ID / OIDC path. Every one must be answered with exactly the expected 401 or 403 as
 * problem+json, and none may reach the handler or produce a 5xx.
 *
 * Decision recorded here: the scheme name is case-insensitive (RFC 9110 section 11.1), so
 * `bearer <valid token>` is accepted; it is the token, not the spelling, that is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { b64url, signRaw } from '../support/jwks-server.ts';
import { API_KEY, ADMIN, bearer, ENTRA_ADMIN, ENTRA_ISSUER, ENTRA_USER, HS_KID, OTHER_API_KEY, SECRET, startKit, tamper, USER, type Kit, type Path, type RouteAuth } from './corpus-kit.ts';

let kit: Kit;
let started: number;
beforeAll(async () => {
  started = Date.now();
  kit = await startKit();
});
afterAll(() => kit.close());

interface Attack {
  name: string;
  status: 401 | 403;
  route?: RouteAuth;
  /** Which token paths the attack applies to (default both). */
  paths?: readonly Path[];
  /** The audit reason expected, where one check must be the one that stops it. */
  reason?: string;
  headers: (kit: Kit, path: Path) => Record<string, string> | Promise<Record<string, string>>;
}

const now = () => Math.floor(Date.now() / 1000);

/** Attacks on the token itself: run against the HS256 path and the OIDC path. */
const TOKEN_ATTACKS: Attack[] = [
  ...['none', 'None', 'NONE', 'nOnE'].map(
    (alg): Attack => ({ name: `alg "${alg}" with the signature stripped`, status: 401, headers: (k, p) => bearer(k.mint(p, { header: { alg }, signer: { signature: '' } })) }),
  ),
  ...['none', 'None', 'NONE', 'nOnE'].map(
    (alg): Attack => ({ name: `alg "${alg}" keeping a valid-looking signature`, reason: 'alg_none', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { alg } })) }),
  ),
  { name: 'alg header missing', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { alg: undefined } })) },
  { name: 'alg as a non-string', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { alg: ['HS256'] } })) },
  { name: 'alg HS512', reason: 'alg_not_allowed', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { alg: 'HS512' } })) },
  { name: 'alg PS256 / ES256 swaps', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { alg: p === 'hs' ? 'ES256' : 'PS256' } })) },
  { name: 'expired', reason: 'token_expired', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { iat: now() - 1200, exp: now() - 300 } })) },
  { name: 'nbf in the future', reason: 'claim_invalid_nbf', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { nbf: now() + 3600 } })) },
  { name: 'no exp', reason: 'claim_missing_exp', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { exp: undefined } })) },
  { name: 'exp as a string', reason: 'claim_invalid_exp', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { exp: String(now() + 600) } })) },
  { name: 'exp far in the future with an old iat', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { iat: now() - 200_000, exp: now() + 10 ** 9 } })) },
  { name: 'iat in the future', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { iat: now() + 3600 } })) },
  { name: 'no iat', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { iat: undefined } })) },
  { name: 'wrong aud', reason: 'claim_invalid_aud', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { aud: 'some-other-api' } })) },
  { name: 'aud as a list without ours', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { aud: ['a', 'b'] } })) },
  { name: 'wrong iss', reason: 'claim_invalid_iss', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { iss: 'https://evil.example.com' } })) },
  { name: 'no sub', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { sub: undefined, oid: undefined } })) },
  { name: 'sub with control characters', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { sub: 'a\nb', oid: 'a\u0000b' } })) },
  { name: 'tampered payload (sub changed after signing)', reason: 'signature_invalid', status: 401, headers: (k, p) => bearer(tamper(k.mint(p), 1, (c) => ({ ...c, sub: ADMIN, oid: ENTRA_ADMIN }))) },
  { name: 'tampered header (typ changed after signing)', status: 401, headers: (k, p) => bearer(tamper(k.mint(p), 0, (h) => ({ ...h, typ: 'at+jwt', x: 1 }))) },
  { name: 'missing kid', reason: 'kid_missing', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { kid: undefined } })) },
  { name: 'unknown kid', reason: 'kid_unknown', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { kid: 'kid-nobody-knows' } })) },
  { name: 'kid with path characters (../../etc/passwd)', reason: 'kid_unknown', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { kid: '../../etc/passwd' } })) },
  { name: 'kid with injection text', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { kid: "x' OR '1'='1\u0000" } })) },
  { name: 'kid as an object', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { kid: { $ne: null } } })) },
  { name: 'signature stripped (header.payload.)', status: 401, headers: (k, p) => bearer(k.mint(p, { signer: { signature: '' } })) },
  { name: 'signature from a key we do not trust', status: 401, headers: (k, p) => bearer(k.mint(p, { signer: p === 'hs' ? { hmac: 'another-secret-of-sufficient-length-000000' } : { rsa: k.stranger.privateKey } })) },
  { name: 'signature truncated by one byte', status: 401, headers: (k, p) => bearer(k.mint(p).slice(0, -2)) },
  { name: 'token with 2 segments', status: 401, headers: (k, p) => bearer(k.mint(p).split('.').slice(0, 2).join('.')) },
  { name: 'token with 4 segments', status: 401, headers: (k, p) => bearer(`${k.mint(p)}.${b64url('extra')}`) },
  { name: 'token with 5 segments (JWE shape)', status: 401, headers: (k, p) => bearer(`${k.mint(p)}.a.b`) },
  { name: 'crit header', reason: 'header_rejected', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { crit: ['exp'], exp: 1 } })) },
  { name: 'crit b64=false (unencoded payload)', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { crit: ['b64'], b64: false } })) },
  { name: 'jku header pointing at an attacker key set', reason: 'header_rejected', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { jku: 'https://attacker.example/keys', kid: k.stranger.kid }, signer: { rsa: k.stranger.privateKey } })) },
  { name: 'x5u header pointing at an attacker certificate', reason: 'header_rejected', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { x5u: 'https://attacker.example/cert.pem' }, signer: { rsa: k.stranger.privateKey } })) },
  { name: 'jwk header embedding the attacker key', reason: 'header_rejected', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { jwk: k.stranger.publicJwk, kid: k.stranger.kid }, signer: { rsa: k.stranger.privateKey } })) },
  { name: 'x5c header with a certificate chain', status: 401, headers: (k, p) => bearer(k.mint(p, { header: { x5c: ['MIIB'] } })) },
  { name: 'header that is not JSON', reason: 'token_malformed', status: 401, headers: (k, p) => bearer(`${b64url('not json')}.${k.mint(p).split('.').slice(1).join('.')}`) },
  { name: 'header that is a JSON array', reason: 'token_malformed', status: 401, headers: (k, p) => bearer(`${b64url('["HS256"]')}.${k.mint(p).split('.').slice(1).join('.')}`) },
  { name: 'header that is JSON null', reason: 'token_malformed', status: 401, headers: (k, p) => bearer(`${b64url('null')}.${k.mint(p).split('.').slice(1).join('.')}`) },
  { name: 'header that is a JSON string', reason: 'token_malformed', status: 401, headers: (k, p) => bearer(`${b64url('"HS256"')}.${k.mint(p).split('.').slice(1).join('.')}`) },
  // Decoded by jose's decodeProtectedHeader, which reads the header as strict UTF-8.
  { name: 'header JSON with bytes that are not UTF-8', reason: 'token_malformed', status: 401, headers: (k, p) => bearer(`${Buffer.from([0x7b, 0x22, 0x61, 0x6c, 0x67, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64url')}.${k.mint(p).split('.').slice(1).join('.')}`) },
  { name: 'header that is not base64url (a lone trailing character)', reason: 'token_malformed', status: 401, headers: (k, p) => bearer(`${b64url('{"alg":"HS256"}')}A.${k.mint(p).split('.').slice(1).join('.')}`) },
  { name: 'validly signed payload that is not JSON', status: 401, headers: (k, p) => bearer(signRaw(p === 'hs' ? { alg: 'HS256', typ: 'at+jwt', kid: HS_KID } : { alg: 'RS256', kid: k.idpKey.kid }, 'hello', p === 'hs' ? { hmac: SECRET } : { rsa: k.idpKey.privateKey })) },
  { name: 'validly signed payload that is a JSON array', status: 401, headers: (k, p) => bearer(signRaw(p === 'hs' ? { alg: 'HS256', typ: 'at+jwt', kid: HS_KID } : { alg: 'RS256', kid: k.idpKey.kid }, '[1,2]', p === 'hs' ? { hmac: SECRET } : { rsa: k.idpKey.privateKey })) },
  { name: 'token over 8 KB', reason: 'token_too_large', status: 401, headers: (k, p) => bearer(k.mint(p, { claims: { pad: 'x'.repeat(9000) } })) },
  { name: 'deeply nested header JSON', status: 401, headers: (k, p) => bearer(`${b64url(`{"alg":"HS256","n":${'['.repeat(2500)}${']'.repeat(2500)}}`)}.${k.mint(p).split('.').slice(1).join('.')}`) },
  { name: 'admin claims spoofed (isAdmin, roles admin, qualifiedId) on an admin route', reason: 'not_admin', status: 403, route: 'admin', headers: (k, p) => bearer(k.mint(p, { claims: { isAdmin: true, roles: ['admin'], qualifiedId: p === 'hs' ? `portico|${ADMIN}` : `${ENTRA_ISSUER}|${ENTRA_ADMIN}`, admin: true } })) },
  { name: 'admin subject under the other issuer (issuer confusion)', status: 403, route: 'admin', headers: (k, p) => bearer(k.mint(p, { claims: p === 'hs' ? { sub: ENTRA_ADMIN } : { oid: ADMIN } })) },
  { name: 'non-admin user on an admin route', reason: 'not_admin', status: 403, route: 'admin', headers: (k, p) => bearer(k.mint(p)) },
  { name: 'valid user token on an API-key-only route', reason: 'bearer_not_accepted', status: 401, route: 'apiKey', headers: (k, p) => bearer(k.mint(p)) },
  { name: 'valid admin token on an API-key-only route', status: 401, route: 'apiKey', headers: (k, p) => bearer(k.mint(p, { admin: true })) },
];

/** Attacks that only make sense on one of the two paths. */
const PATH_ATTACKS: Attack[] = [
  { name: 'HS256 signed with the IdP RSA public key PEM as the HMAC secret (alg confusion)', reason: 'kid_unknown', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { header: { alg: 'HS256' }, signer: { hmac: k.idpKey.publicPem } })) },
  { name: 'HS256 signed with the PEM, naming the Portico kid', reason: 'signature_invalid', status: 401, paths: ['hs'], headers: (k) => bearer(k.mint('hs', { signer: { hmac: k.idpKey.publicPem } })) },
  { name: 'HS256 signed with the JWK modulus as the secret', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { header: { alg: 'HS256' }, signer: { hmac: String(k.idpKey.publicJwk.n) } })) },
  { name: 'HS token on the JWKS path (Entra claims, signed with our secret)', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { header: { alg: 'HS256', kid: HS_KID }, signer: { hmac: SECRET } })) },
  { name: 'RS token on the HS path (Portico claims, signed by the IdP key)', status: 401, paths: ['hs'], headers: (k) => bearer(k.mint('hs', { header: { alg: 'RS256', kid: k.idpKey.kid }, signer: { rsa: k.idpKey.privateKey } })) },
  { name: 'RS256 header with an HMAC signature from our secret', status: 401, paths: ['hs'], headers: (k) => bearer(k.mint('hs', { header: { alg: 'RS256' } })) },
  { name: 'PIN token (typ pin+jwt) signed with the same secret', reason: 'claim_invalid_typ', status: 401, paths: ['hs'], headers: (k) => bearer(k.mint('hs', { header: { typ: 'pin+jwt' } })) },
  { name: 'plain JWT typ signed with the same secret', status: 401, paths: ['hs'], headers: (k) => bearer(k.mint('hs', { header: { typ: 'JWT' } })) },
  { name: 'token from another deployment (aud portico-staging)', status: 401, paths: ['hs'], headers: (k) => bearer(k.mint('hs', { claims: { aud: 'portico-staging' } })) },
  { name: 'wrong tenant', reason: 'tenant_mismatch', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { claims: { tid: '00000000-0000-4000-8000-000000000000' } })) },
  { name: 'tenant missing', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { claims: { tid: undefined } })) },
  { name: 'Entra ID token used as an access token', reason: 'not_access_token', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { claims: { scp: undefined, nonce: 'n' } })) },
  { name: 'Entra v1 issuer', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { claims: { iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/' } })) },
  { name: 'token for another app registration', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { claims: { aud: '11111111-1111-4111-8111-111111111111' } })) },
  { name: 'signed by a key the IdP never published', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { header: { kid: k.stranger.kid }, signer: { rsa: k.stranger.privateKey } })) },
  { name: 'IdP kid with an attacker signature', status: 401, paths: ['oidc'], headers: (k) => bearer(k.mint('oidc', { signer: { rsa: k.stranger.privateKey } })) },
];

/** Attacks on how credentials are presented, independent of any token path. */
const CREDENTIAL_ATTACKS: Attack[] = [
  { name: 'no credentials at all', reason: 'credentials_missing', status: 401, headers: () => ({}) },
  { name: 'Basic scheme', reason: 'scheme_not_bearer', status: 401, headers: () => ({ authorization: `Basic ${Buffer.from(`${USER}:password`).toString('base64')}` }) },
  { name: 'Basic scheme carrying a valid token', reason: 'scheme_not_bearer', status: 401, headers: (k) => ({ authorization: `Basic ${k.mint('hs')}` }) },
  { name: 'unknown scheme (Token)', status: 401, headers: (k) => ({ authorization: `Token ${k.mint('hs')}` }) },
  { name: 'token without a scheme', status: 401, headers: (k) => ({ authorization: k.mint('hs') }) },
  { name: 'lowercase bearer with an invalid token', status: 401, headers: () => ({ authorization: 'bearer a.b.c' }) },
  { name: 'empty bearer', status: 401, headers: () => ({ authorization: 'Bearer' }) },
  { name: 'bearer followed by spaces only', status: 401, headers: () => ({ authorization: 'Bearer    ' }) },
  { name: 'empty Authorization header', status: 401, headers: () => ({ authorization: '' }) },
  { name: 'two Authorization headers (joined by the HTTP layer)', reason: 'authorization_multiple', status: 401, headers: (k) => ({ authorization: `Bearer ${k.mint('hs')}, Bearer ${k.mint('oidc')}` }) },
  { name: 'two Authorization headers, both the same valid token', reason: 'authorization_multiple', status: 401, headers: (k) => ({ authorization: `Bearer ${k.mint('hs')}, Bearer ${k.mint('hs')}` }) },
  { name: 'two Bearer credentials in one header', reason: 'authorization_multiple', status: 401, headers: (k) => ({ authorization: `Bearer ${k.mint('hs')} Bearer ${k.mint('hs')}` }) },
  { name: 'Authorization and authorization as separate keys', reason: 'authorization_multiple', status: 401, headers: (k) => ({ authorization: `Bearer ${k.mint('hs')}`, Authorization: `Bearer ${k.mint('hs', { admin: true })}` }) },
  { name: 'refresh token (opaque random string) used as an access token', reason: 'token_segments', status: 401, headers: () => bearer(randomBytes(32).toString('base64url')) },
  { name: 'non-JWT characters (percent-encoded dots)', reason: 'token_charset', status: 401, headers: (k) => bearer(k.mint('hs').replaceAll('.', '%2E')) },
  { name: 'non-JWT characters (standard base64 padding)', reason: 'token_charset', status: 401, headers: (k) => bearer(`${k.mint('hs')}==`) },
  { name: 'non-JWT characters (unicode look-alike dot)', reason: 'token_charset', status: 401, headers: (k) => bearer(k.mint('hs').replace('.', '\u2024')) },
  { name: 'header injection attempt (CRLF in the token)', status: 401, headers: (k) => bearer(`${k.mint('hs')}\r\nX-Admin: 1`) },
  { name: 'bearer of only dots', status: 401, headers: () => bearer('..') },
  { name: 'token of 100 KB', status: 401, headers: () => bearer(`${'a'.repeat(50_000)}.${'b'.repeat(50_000)}.c`) },
  { name: 'API key missing on an API-key route', status: 401, route: 'apiKey', headers: () => ({}) },
  { name: 'API key empty', reason: 'api_key_empty', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': '' }) },
  { name: 'API key of the wrong length (short)', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': API_KEY.slice(0, 8) }) },
  { name: 'API key of the wrong length (valid key plus a suffix)', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': `${API_KEY}x` }) },
  { name: 'API key of the wrong length (10 KB)', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': 'k'.repeat(10_240) }) },
  { name: 'API key with the right length and the wrong value', reason: 'api_key_invalid', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': `${API_KEY.slice(0, -1)}${API_KEY.endsWith('0') ? '1' : '0'}` }) },
  { name: 'API key in another case', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': API_KEY.toUpperCase() }) },
  { name: 'API key as its name:key config entry', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': `ingest:${API_KEY}` }) },
  { name: 'two X-API-Key headers (joined)', reason: 'api_key_multiple', status: 401, route: 'apiKey', headers: () => ({ 'x-api-key': `${API_KEY}, ${OTHER_API_KEY}` }) },
  { name: 'API key sent as a bearer token', status: 401, route: 'apiKey', headers: () => bearer(API_KEY) },
  { name: 'valid API key on a user route', reason: 'api_key_not_accepted', status: 401, route: 'user', headers: () => ({ 'x-api-key': API_KEY }) },
  { name: 'valid API key on an admin route', status: 401, route: 'admin', headers: () => ({ 'x-api-key': API_KEY }) },
  { name: 'valid API key plus a valid token on a user route', status: 401, route: 'user', headers: (k) => ({ 'x-api-key': API_KEY, ...bearer(k.mint('hs')) }) },
  { name: 'wrong API key plus a valid token on an any-of route (no fallback)', reason: 'api_key_invalid', status: 401, route: ['apiKey', 'user'], headers: (k) => ({ 'x-api-key': 'wrong-key-but-long-enough', ...bearer(k.mint('hs')) }) },
  { name: 'invalid token on an any-of route', status: 401, route: ['apiKey', 'user'], headers: (k) => bearer(k.mint('oidc', { claims: { aud: 'x' } })) },
  { name: 'nothing on an any-of route', status: 401, route: ['apiKey', 'user'], headers: () => ({}) },
];

let sequence = 0;

/** Sends the attack with a known request id and returns the response and its audit line. */
async function run(attack: Attack, path: Path) {
  const requestId = `corpus-${(sequence += 1)}`;
  const result = await kit.call(attack.route ?? 'user', { 'x-request-id': requestId, ...(await attack.headers(kit, path)) });
  const audit = kit.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.audit === 'auth_failure' && line.requestId === requestId);
  expect(audit).toMatchObject({ status: attack.status, reason: attack.reason ?? expect.any(String) });
  // Every refusal comes from a deliberate check, never from an unexpected exception.
  expect(audit?.reason).not.toBe('verification_error');
  return result;
}

async function expectRefused(result: APIGatewayProxyStructuredResultV2, status: 401 | 403) {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  const problem = JSON.parse(result.body ?? '{}') as Record<string, unknown>;
  expect(problem).toMatchObject({ status, code: status === 401 ? 'unauthorized' : 'forbidden' });
  expect(problem).not.toHaveProperty('userId');
  if (status === 401) expect(result.headers?.['www-authenticate']).toMatch(/^Bearer( error="invalid_token")?$/);
}

const namedCases = TOKEN_ATTACKS.length + PATH_ATTACKS.length + CREDENTIAL_ATTACKS.length;

describe('auth attack corpus', () => {
  it(`has at least 40 named attacks (${namedCases})`, () => {
    const names = [...TOKEN_ATTACKS, ...PATH_ATTACKS, ...CREDENTIAL_ATTACKS].map((attack) => attack.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  describe('controls: the same fixture admits legitimate callers', () => {
    const ok = async (auth: RouteAuth, headers: Record<string, string>) => {
      const result = await kit.call(auth, headers);
      expect(result.statusCode).toBe(200);
      return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
    };
    it('HS256 user, Entra user, admins, API keys and any-of routes', async () => {
      expect(await ok('user', bearer(kit.mint('hs')))).toMatchObject({ qualifiedId: `portico|${USER}`, via: 'token', isAdmin: false });
      expect(await ok('user', bearer(kit.mint('oidc')))).toMatchObject({ qualifiedId: `${ENTRA_ISSUER}|${ENTRA_USER}`, via: 'oidc', isAdmin: false });
      expect(await ok('admin', bearer(kit.mint('hs', { admin: true })))).toMatchObject({ isAdmin: true });
      expect(await ok('admin', bearer(kit.mint('oidc', { admin: true })))).toMatchObject({ isAdmin: true });
      expect(await ok('user', bearer(kit.mint('hs', { admin: true })))).toMatchObject({ isAdmin: true });
      expect(await ok('apiKey', { 'x-api-key': API_KEY })).toMatchObject({ via: 'apiKey', userId: 'ingest', qualifiedId: 'api-key|ingest' });
      expect(await ok('apiKey', { 'x-api-key': OTHER_API_KEY })).toMatchObject({ via: 'apiKey', userId: expect.stringMatching(/^key-/) });
      expect(await ok(['apiKey', 'user'], { 'x-api-key': API_KEY })).toMatchObject({ via: 'apiKey' });
      expect(await ok(['apiKey', 'user'], bearer(kit.mint('oidc')))).toMatchObject({ via: 'oidc' });
      expect(await ok(['apiKey', 'admin'], bearer(kit.mint('hs', { admin: true })))).toMatchObject({ isAdmin: true });
      // Decision: the scheme is case-insensitive.
      expect(await ok('user', { authorization: `bearer ${kit.mint('hs')}` })).toMatchObject({ via: 'token' });
      expect(await ok('user', { authorization: `BEARER ${kit.mint('oidc')}` })).toMatchObject({ via: 'oidc' });
    });
  });

  for (const path of ['hs', 'oidc'] as const) {
    describe(`${path === 'hs' ? 'HS256 (Portico token)' : 'RS256 (Entra ID via JWKS)'} path`, () => {
      for (const attack of [...TOKEN_ATTACKS, ...PATH_ATTACKS].filter((a) => (a.paths ?? ['hs', 'oidc']).includes(path))) {
        it(`${attack.name} -> ${attack.status}`, async () => {
          const result = await run(attack, path);
          await expectRefused(result, attack.status);
        });
      }
    });
  }

  describe('credential presentation and API keys', () => {
    for (const attack of CREDENTIAL_ATTACKS) {
      it(`${attack.name} -> ${attack.status}`, async () => {
        const result = await run(attack, 'hs');
        await expectRefused(result, attack.status);
        if (attack.name.startsWith('no credentials') || attack.name === 'API key missing on an API-key route') {
          expect(result.headers?.['www-authenticate']).toBe('Bearer');
        }
      });
    }
  });

  it('the corpus never flooded the IdP: at most one refetch beyond the first key-set fetch', () => {
    expect(kit.jwks.fetches).toBeGreaterThanOrEqual(1);
    // One refetch per 30 s cooldown window the corpus spanned: 2 when it runs in under 30 s, and
    // still a bound, not a speed assertion, on a machine slow enough to take longer.
    expect(kit.jwks.fetches).toBeLessThanOrEqual(2 + Math.floor((Date.now() - started) / 30_000));
  });

  it('every refusal was audited, and no line holds a credential', () => {
    const records = kit.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const audits = records.filter((record) => record.audit === 'auth_failure');
    expect(audits.length).toBeGreaterThanOrEqual(namedCases);
    expect(records.every((record) => record.status === undefined || Number(record.status) < 500)).toBe(true);
    const text = kit.lines.join('\n');
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(OTHER_API_KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
