import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { ConfigError } from '../../app/config.ts';
import { loadAuthSettings } from '../../middleware/auth/settings.ts';

const SECRET = 'a-very-long-jwt-secret-of-at-least-32-bytes!';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6e74172b-be56-4843-9ff4-e66a39bb12e3';

function refused(env: Record<string, string>, variable: string, pattern?: RegExp): ConfigError {
  let caught: unknown;
  try {
    loadAuthSettings(env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.variable).toBe(variable);
  expect(error.message).toContain(variable);
  if (pattern) expect(error.message).toMatch(pattern);
  return error;
}

describe('auth settings', () => {
  it('has safe defaults: no secret, no IdP, no keys, no admins', () => {
    const settings = loadAuthSettings({});
    expect(settings.tokens).toMatchObject({
      secret: undefined,
      previousSecret: undefined,
      issuer: 'portico',
      audience: 'portico-api',
      accessTtlSeconds: 900,
      clockToleranceSeconds: 30,
    });
    expect(settings.oidc).toBeUndefined();
    expect(settings.apiKeys).toEqual([]);
    expect([...settings.adminUserIds]).toEqual([]);
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('refuses a JWT_SECRET under 32 bytes, naming the variable and never echoing the value', () => {
    const error = refused({ JWT_SECRET: 'short-but-secret-value' }, 'JWT_SECRET', /at least 32 bytes/);
    expect(error.message).not.toContain('short-but-secret-value');
    refused({ JWT_SECRET: 'x'.repeat(31) }, 'JWT_SECRET');
    // Bytes, not characters: 11 three-byte characters are 33 bytes.
    expect(loadAuthSettings({ JWT_SECRET: '€'.repeat(11) }).tokens.secret).toBeDefined();
    expect(loadAuthSettings({ JWT_SECRET: 'x'.repeat(32) }).tokens.secret?.symmetricKeySize).toBe(32);
  });

  it('holds secrets as KeyObjects that print no key material', () => {
    const settings = loadAuthSettings({ JWT_SECRET: SECRET, JWT_SECRET_PREVIOUS: `${SECRET}-old` });
    expect(settings.tokens.secret?.type).toBe('secret');
    expect(JSON.stringify(settings)).not.toContain(SECRET);
  });

  it('validates the previous secret and its relation to the current one', () => {
    refused({ JWT_SECRET: SECRET, JWT_SECRET_PREVIOUS: 'too-short' }, 'JWT_SECRET_PREVIOUS', /32 bytes/);
    refused({ JWT_SECRET: SECRET, JWT_SECRET_PREVIOUS: SECRET }, 'JWT_SECRET_PREVIOUS', /differ/);
    refused({ JWT_SECRET_PREVIOUS: SECRET }, 'JWT_SECRET', /required/);
  });

  it('bounds the token lifetime and the clock tolerance', () => {
    expect(loadAuthSettings({ JWT_ACCESS_TTL_SECONDS: '3600', JWT_CLOCK_TOLERANCE_SECONDS: '0' }).tokens).toMatchObject({
      accessTtlSeconds: 3600,
      clockToleranceSeconds: 0,
    });
    refused({ JWT_ACCESS_TTL_SECONDS: '59' }, 'JWT_ACCESS_TTL_SECONDS');
    refused({ JWT_ACCESS_TTL_SECONDS: '86401' }, 'JWT_ACCESS_TTL_SECONDS');
    refused({ JWT_ACCESS_TTL_SECONDS: '15m' }, 'JWT_ACCESS_TTL_SECONDS', /whole number/);
    refused({ JWT_CLOCK_TOLERANCE_SECONDS: '61' }, 'JWT_CLOCK_TOLERANCE_SECONDS');
  });

  it('keeps issuers unambiguous in qualified ids', () => {
    expect(loadAuthSettings({ JWT_ISSUER: 'https://portico.example.com', JWT_AUDIENCE: 'aud-1' }).tokens).toMatchObject({
      issuer: 'https://portico.example.com',
      audience: 'aud-1',
    });
    refused({ JWT_ISSUER: 'por|tico' }, 'JWT_ISSUER', /\|/);
    refused({ JWT_ISSUER: 'api-key' }, 'JWT_ISSUER');
  });

  describe('API_KEYS', () => {
    it('parses named and unnamed keys and keeps only their SHA-256 digests', () => {
      const first = 'svc-key-0123456789abcdef';
      const second = 'another-key-fedcba9876543210';
      const settings = loadAuthSettings({ API_KEYS: ` ingest:${first} , ${second} ,` });
      expect(settings.apiKeys).toHaveLength(2);
      expect(settings.apiKeys[0]?.name).toBe('ingest');
      expect(settings.apiKeys[0]?.digest).toEqual(createHash('sha256').update(first).digest());
      expect(settings.apiKeys[1]?.name).toMatch(/^key-[0-9a-f]{8}$/);
      expect(settings.apiKeys[1]?.digest).toEqual(createHash('sha256').update(second).digest());
      const dump = JSON.stringify(settings) + String(settings.apiKeys.map((entry) => entry.digest.toString('hex')));
      expect(dump).not.toContain(first);
      expect(dump).not.toContain(second);
      // The derived name is stable: the same key gets the same name wherever it is listed.
      expect(loadAuthSettings({ API_KEYS: `x:${first},${second}` }).apiKeys[1]?.name).toBe(settings.apiKeys[1]?.name);
    });

    it('refuses keys shorter than 16 characters, naming the variable but not the key', () => {
      const error = refused({ API_KEYS: 'svc:short-key-123' }, 'API_KEYS', /at least 16/);
      expect(error.message).not.toContain('short-key-123');
      refused({ API_KEYS: 'fifteen-chars-x' }, 'API_KEYS', /at least 16/);
      expect(loadAuthSettings({ API_KEYS: 'sixteen-chars-xx' }).apiKeys).toHaveLength(1);
    });

    it('refuses bad names, duplicates, spaces and over-long keys', () => {
      refused({ API_KEYS: 'bad name:0123456789abcdef' }, 'API_KEYS', /name/);
      refused({ API_KEYS: 'a:0123456789abcdef,a:fedcba9876543210' }, 'API_KEYS', /twice/);
      refused({ API_KEYS: 'a:0123456789abcdef,b:0123456789abcdef' }, 'API_KEYS', /twice/);
      refused({ API_KEYS: 'a:0123456789 abcdef' }, 'API_KEYS', /printable/);
      refused({ API_KEYS: `a:${'k'.repeat(257)}` }, 'API_KEYS', /at most 256/);
    });
  });

  describe('ADMIN_USER_IDS', () => {
    it('holds issuer-qualified ids', () => {
      const settings = loadAuthSettings({ ADMIN_USER_IDS: 'portico|3f1e9a, https://login.microsoftonline.com/t/v2.0|oid-1' });
      expect(settings.adminUserIds.has('portico|3f1e9a')).toBe(true);
      expect(settings.adminUserIds.has('https://login.microsoftonline.com/t/v2.0|oid-1')).toBe(true);
    });

    it('refuses bare ids (they would never match) and API-key admins', () => {
      refused({ ADMIN_USER_IDS: 'portico|ok,3f1e9a' }, 'ADMIN_USER_IDS', /<issuer>\|<subject>/);
      refused({ ADMIN_USER_IDS: '|3f1e9a' }, 'ADMIN_USER_IDS');
      refused({ ADMIN_USER_IDS: 'portico|' }, 'ADMIN_USER_IDS');
      refused({ ADMIN_USER_IDS: 'api-key|ops' }, 'ADMIN_USER_IDS', /API key/);
    });
  });

  describe('OIDC', () => {
    it('derives Entra ID issuer, audiences and JWKS from tenant and client', () => {
      const { oidc } = loadAuthSettings({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT });
      expect(oidc).toMatchObject({
        kind: 'entra',
        issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        audiences: [CLIENT, `api://${CLIENT}`],
        tenantId: TENANT,
        jwksTimeoutMs: 3000,
        clockToleranceSeconds: 30,
      });
      expect(oidc?.jwksUri.href).toBe(`https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`);
    });

    it('requires both Entra variables, as GUIDs', () => {
      refused({ AZURE_TENANT_ID: TENANT }, 'AZURE_CLIENT_ID', /required/);
      refused({ AZURE_CLIENT_ID: CLIENT }, 'AZURE_TENANT_ID', /required/);
      refused({ AZURE_TENANT_ID: 'common', AZURE_CLIENT_ID: CLIENT }, 'AZURE_TENANT_ID', /GUID/);
      refused({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: 'my-app' }, 'AZURE_CLIENT_ID', /GUID/);
    });

    it('configures a generic issuer with the default JWKS location and no discovery', () => {
      const { oidc } = loadAuthSettings({ OIDC_ISSUER: 'https://idp.example.com/', OIDC_AUDIENCE: 'portico', OIDC_JWKS_TIMEOUT_MS: '1500' });
      expect(oidc).toMatchObject({ kind: 'generic', issuer: 'https://idp.example.com/', audiences: ['portico'], tenantId: undefined, jwksTimeoutMs: 1500 });
      expect(oidc?.jwksUri.href).toBe('https://idp.example.com/.well-known/jwks.json');
    });

    it('accepts an explicit JWKS URI: https anywhere, plain http only on loopback', () => {
      const env = { OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'portico' };
      expect(loadAuthSettings({ ...env, OIDC_JWKS_URI: 'https://keys.example.com/jwks' }).oidc?.jwksUri.href).toBe('https://keys.example.com/jwks');
      expect(loadAuthSettings({ ...env, OIDC_JWKS_URI: 'http://127.0.0.1:9999/keys' }).oidc?.jwksUri.port).toBe('9999');
      refused({ ...env, OIDC_JWKS_URI: 'http://keys.example.com/jwks' }, 'OIDC_JWKS_URI', /https/);
      refused({ ...env, OIDC_JWKS_URI: 'not a url' }, 'OIDC_JWKS_URI');
      refused({ OIDC_ISSUER: 'http://idp.example.com', OIDC_AUDIENCE: 'portico' }, 'OIDC_ISSUER', /https/);
      // Entra may point elsewhere too (sovereign clouds, tests).
      expect(loadAuthSettings({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, OIDC_JWKS_URI: 'http://localhost:1/keys' }).oidc?.jwksUri.host).toBe('localhost:1');
    });

    it('refuses half or double configurations', () => {
      refused({ OIDC_ISSUER: 'https://idp.example.com' }, 'OIDC_AUDIENCE', /required/);
      refused({ OIDC_AUDIENCE: 'portico' }, 'OIDC_ISSUER', /required/);
      refused({ OIDC_JWKS_URI: 'https://keys.example.com/jwks' }, 'OIDC_JWKS_URI', /no identity provider/);
      refused({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'x' }, 'OIDC_ISSUER', /one identity provider/);
      refused({ OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'x', OIDC_JWKS_TIMEOUT_MS: '0' }, 'OIDC_JWKS_TIMEOUT_MS');
      refused({ OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'x', JWT_ISSUER: 'https://idp.example.com' }, 'JWT_ISSUER', /differ/);
    });
  });
});
