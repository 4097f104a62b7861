/**
 * Authentication settings, read once at start-up and validated (docs/architecture.md section 6).
 * Secrets are held as KeyObjects and API keys only as SHA-256 digests, so neither can reach a
 * log line by accident; every problem names its variable.
 */
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { boolean, ConfigError, integer, list, text, type Env } from '../../kernel/env.ts';


export interface TokenSettings {
  /** HS256 signing secret; absent means Portico issues and accepts no tokens of its own. */
  secret: KeyObject | undefined;
  /** The secret being rotated out: still accepted for verification, never used to sign. */
  previousSecret: KeyObject | undefined;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  clockToleranceSeconds: number;
}

export interface OidcSettings {
  kind: 'entra' | 'generic' | 'google';
  /** The issuer's canonical name: the `<issuer>` of its users' qualified ids. */
  issuer: string;
  /** Every `iss` value its tokens may carry (Google signs with two spellings of one issuer). */
  issuerAliases: readonly string[];
  /** Any one of these must be in `aud`. */
  audiences: readonly string[];
  jwksUri: URL;
  /** Entra only: the `tid` every token must carry. */
  tenantId: string | undefined;
  jwksTimeoutMs: number;
  /** JWT_CLOCK_TOLERANCE_SECONDS, shared with Portico's own tokens. */
  clockToleranceSeconds: number;
}

export interface ApiKeyEntry {
  name: string;
  /** SHA-256 of the key; the key itself is not kept. */
  digest: Buffer;
}

export interface AuthSettings {
  tokens: TokenSettings;
  /** The organisation's IdP: Entra ID or one generic OIDC issuer. */
  oidc: OidcSettings | undefined;
  /** Google Sign-In (GOOGLE_CLIENT_IDS): trusted beside `oidc`, each with its own audiences and keys. */
  google: OidcSettings | undefined;
  /**
   * LOCAL_DEV_AUTH (local host only): the user a request without credentials is taken to be, as
   * the upstream's local development does; undefined everywhere else.
   */
  localDevUserId: string | undefined;
  apiKeys: readonly ApiKeyEntry[];
  /** Issuer-qualified ids, `<issuer>|<subject>`. */
  adminUserIds: ReadonlySet<string>;
}

/** The issuer name of API-key identities; reserved so no token issuer can impersonate it. */
export const API_KEY_ISSUER = 'api-key';
/** The issuer name of the local host's development user (LOCAL_DEV_AUTH); reserved likewise. */
export const LOCAL_DEV_ISSUER = 'local-dev';
export const MIN_SECRET_BYTES = 32;
export const MIN_API_KEY_LENGTH = 16;
export const MAX_API_KEY_LENGTH = 256;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
// Printable ASCII without spaces or commas (commas separate the list).
const KEY_CHARS = /^[\x21-\x2b\x2d-\x7e]+$/;

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();



function secret(env: Env, name: string): KeyObject | undefined {
  // Not trimmed: the bytes are the key. Never echo the value in the message.
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new ConfigError(name, `must be at least ${MIN_SECRET_BYTES} bytes (it has ${bytes.length}); generate one with: openssl rand -base64 48`);
  }
  return createSecretKey(bytes);
}

function issuerName(env: Env, name: string, fallback: string): string {
  const value = text(env, name) ?? fallback;
  // `|` separates issuer from subject in qualified ids, so an issuer may not contain it.
  if (value.includes('|') || /[\s\p{Cc}]/u.test(value)) throw new ConfigError(name, 'may not contain "|", spaces or control characters');
  if (value === API_KEY_ISSUER) throw new ConfigError(name, `may not be "${API_KEY_ISSUER}", which names API-key callers`);
  if (value === LOCAL_DEV_ISSUER) throw new ConfigError(name, `may not be "${LOCAL_DEV_ISSUER}", which names the local development user`);
  return value;
}

function tokenSettings(env: Env): TokenSettings {
  const current = secret(env, 'JWT_SECRET');
  const previous = secret(env, 'JWT_SECRET_PREVIOUS');
  if (previous && !current) throw new ConfigError('JWT_SECRET', 'is required when JWT_SECRET_PREVIOUS is set');
  if (current && previous && current.equals(previous)) throw new ConfigError('JWT_SECRET_PREVIOUS', 'must differ from JWT_SECRET');
  const audience = text(env, 'JWT_AUDIENCE') ?? 'portico-api';
  return {
    secret: current,
    previousSecret: previous,
    issuer: issuerName(env, 'JWT_ISSUER', 'portico'),
    audience,
    accessTtlSeconds: integer(env, 'JWT_ACCESS_TTL_SECONDS', 900, 60, 86_400),
    clockToleranceSeconds: integer(env, 'JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 60),
  };
}

/** https, or plain http to a loopback host (local JWKS servers in tests and development). */
function jwksUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new ConfigError(name, 'must be an https URL');
  if (url.username || url.password) throw new ConfigError(name, 'may not carry credentials');
  return url;
}

function oidcSettings(env: Env, clockToleranceSeconds: number): OidcSettings | undefined {
  const tenant = text(env, 'AZURE_TENANT_ID');
  const client = text(env, 'AZURE_CLIENT_ID');
  const issuer = text(env, 'OIDC_ISSUER');
  const audience = text(env, 'OIDC_AUDIENCE');
  const jwksOverride = text(env, 'OIDC_JWKS_URI');
  const jwksTimeoutMs = integer(env, 'OIDC_JWKS_TIMEOUT_MS', 3000, 50, 30_000);
  const entra = Boolean(tenant || client);
  const generic = Boolean(issuer || audience);
  if (entra && generic) throw new ConfigError('OIDC_ISSUER', 'cannot be combined with AZURE_TENANT_ID/AZURE_CLIENT_ID; configure one identity provider');
  if (entra) {
    if (!tenant) throw new ConfigError('AZURE_TENANT_ID', 'is required when AZURE_CLIENT_ID is set');
    if (!client) throw new ConfigError('AZURE_CLIENT_ID', 'is required when AZURE_TENANT_ID is set');
    // `common`/`organizations` would need per-tenant issuer logic; the issuer must be pinned.
    if (!GUID.test(tenant)) throw new ConfigError('AZURE_TENANT_ID', 'must be the tenant GUID (multi-tenant "common" is not supported)');
    if (!GUID.test(client)) throw new ConfigError('AZURE_CLIENT_ID', "must be the API app registration's client id (a GUID)");
    const authority = `https://login.microsoftonline.com/${tenant.toLowerCase()}`;
    return {
      kind: 'entra',
      issuer: `${authority}/v2.0`,
      issuerAliases: [`${authority}/v2.0`],
      audiences: [client.toLowerCase(), `api://${client.toLowerCase()}`],
      // The override exists for tests and sovereign clouds; the default is the public cloud's.
      jwksUri: jwksUrl('OIDC_JWKS_URI', jwksOverride ?? `${authority}/discovery/v2.0/keys`),
      tenantId: tenant.toLowerCase(),
      jwksTimeoutMs,
      clockToleranceSeconds,
    };
  }
  if (!generic) {
    if (jwksOverride) throw new ConfigError('OIDC_JWKS_URI', 'is set but no identity provider is (set OIDC_ISSUER and OIDC_AUDIENCE)');
    return undefined;
  }
  if (!issuer) throw new ConfigError('OIDC_ISSUER', 'is required when OIDC_AUDIENCE is set');
  if (!audience) throw new ConfigError('OIDC_AUDIENCE', 'is required when OIDC_ISSUER is set');
  jwksUrl('OIDC_ISSUER', issuer);
  issuerName(env, 'OIDC_ISSUER', issuer);
  // No discovery at start-up: a cold start must not depend on the IdP being reachable.
  return {
    kind: 'generic',
    issuer,
    issuerAliases: [issuer],
    audiences: [audience],
    jwksUri: jwksUrl('OIDC_JWKS_URI', jwksOverride ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`),
    tenantId: undefined,
    jwksTimeoutMs,
    clockToleranceSeconds,
  };
}

/** Google's issuer, canonical form first; its ID tokens carry either spelling. */
export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'] as const;
const GOOGLE_CLIENT_ID = /^[A-Za-z0-9-]{1,128}\.apps\.googleusercontent\.com$/;

function googleSettings(env: Env, jwksTimeoutMs: number, clockToleranceSeconds: number): OidcSettings | undefined {
  const clients = list(env, 'GOOGLE_CLIENT_IDS');
  const jwksOverride = text(env, 'GOOGLE_JWKS_URI');
  if (clients.length === 0) {
    if (jwksOverride) throw new ConfigError('GOOGLE_JWKS_URI', 'is set but GOOGLE_CLIENT_IDS is not');
    return undefined;
  }
  // A client secret or a project number pasted here would make every token fail its audience check.
  const bad = clients.find((client) => !GOOGLE_CLIENT_ID.test(client));
  if (bad !== undefined) throw new ConfigError('GOOGLE_CLIENT_IDS', `has "${bad}", which is not an OAuth client id like 1234-abc.apps.googleusercontent.com`);
  return {
    kind: 'google',
    issuer: GOOGLE_ISSUERS[0],
    issuerAliases: [...GOOGLE_ISSUERS],
    audiences: [...new Set(clients)],
    jwksUri: jwksUrl('GOOGLE_JWKS_URI', jwksOverride ?? 'https://www.googleapis.com/oauth2/v3/certs'),
    tenantId: undefined,
    jwksTimeoutMs,
    clockToleranceSeconds,
  };
}

/** The one id a development user may have: what the logs and ids elsewhere take safely. */
const DEV_USER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const DEFAULT_LOCAL_DEV_USER_ID = 'dev-user-001';

/**
 * LOCAL_DEV_AUTH / LOCAL_DEV_USER_ID: a request without credentials acts as one fixed user. A
 * deployment with it would be open to anyone, so anywhere but the local host it stops start-up.
 */
function localDevUser(env: Env, localHost: boolean): string | undefined {
  const enabled = boolean(env, 'LOCAL_DEV_AUTH', false);
  const id = text(env, 'LOCAL_DEV_USER_ID');
  if (id !== undefined && !DEV_USER_ID.test(id)) throw new ConfigError('LOCAL_DEV_USER_ID', `must be 1 to 128 letters, digits, ".", "_", ":" or "-", got "${id}"`);
  if (!enabled) {
    if (id !== undefined) throw new ConfigError('LOCAL_DEV_USER_ID', 'is set but LOCAL_DEV_AUTH is not true');
    return undefined;
  }
  if (!localHost) throw new ConfigError('LOCAL_DEV_AUTH', 'works only on the local host (npm start); a deployment with it would let anyone in as the development user');
  return id ?? DEFAULT_LOCAL_DEV_USER_ID;
}

function apiKeys(env: Env): ApiKeyEntry[] {
  const name = 'API_KEYS';
  const entries = (env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const names = new Set<string>();
  const digests = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const label = colon >= 0 ? entry.slice(0, colon) : undefined;
    const key = colon >= 0 ? entry.slice(colon + 1) : entry;
    const where = `entry ${index + 1}${label ? ` ("${label}")` : ''}`;
    if (label !== undefined && !KEY_NAME.test(label)) throw new ConfigError(name, `${where}: a key name may hold only letters, digits, ".", "_" and "-" (at most 64)`);
    if (key.length < MIN_API_KEY_LENGTH) throw new ConfigError(name, `${where}: a key must be at least ${MIN_API_KEY_LENGTH} characters`);
    if (key.length > MAX_API_KEY_LENGTH) throw new ConfigError(name, `${where}: a key may be at most ${MAX_API_KEY_LENGTH} characters`);
    if (!KEY_CHARS.test(key)) throw new ConfigError(name, `${where}: a key may hold only printable ASCII without spaces or commas`);
    const digest = sha256(key);
    // Unnamed keys get a name derived from (but not revealing) the key, stable across reordering.
    const keyName = label ?? `key-${createHash('sha256').update('portico.api-key-name\0').update(key).digest('hex').slice(0, 8)}`;
    if (names.has(keyName)) throw new ConfigError(name, `${where}: the name "${keyName}" is used twice`);
    if (digests.has(digest.toString('hex'))) throw new ConfigError(name, `${where}: the same key is listed twice`);
    names.add(keyName);
    digests.add(digest.toString('hex'));
    return { name: keyName, digest };
  });
}

function adminUserIds(env: Env): Set<string> {
  const name = 'ADMIN_USER_IDS';
  const ids = (env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  for (const id of ids) {
    const bar = id.indexOf('|');
    // A bare id would never match anyone, silently locking the admins out.
    if (bar <= 0 || bar === id.length - 1) throw new ConfigError(name, `has "${id}"; write each id as <issuer>|<subject>, e.g. portico|<user id>`);
    if (id.startsWith(`${API_KEY_ISSUER}|`)) throw new ConfigError(name, `has "${id}"; an API key cannot be an admin`);
  }
  return new Set(ids);
}

export interface AuthHost {
  /** True only on the local host (adapters/local/main.ts): enables LOCAL_DEV_AUTH. */
  localHost?: boolean;
}

export function loadAuthSettings(env: Env = process.env, host: AuthHost = {}): AuthSettings {
  const tokens = tokenSettings(env);
  const oidc = oidcSettings(env, tokens.clockToleranceSeconds);
  const google = googleSettings(env, integer(env, 'OIDC_JWKS_TIMEOUT_MS', 3000, 50, 30_000), tokens.clockToleranceSeconds);
  if (oidc && oidc.issuer === tokens.issuer) throw new ConfigError('JWT_ISSUER', 'must differ from the OIDC issuer');
  if (google && GOOGLE_ISSUERS.some((issuer) => issuer === tokens.issuer)) throw new ConfigError('JWT_ISSUER', "must differ from Google's issuer");
  // Users are keyed by subject alone (Identity.userId). Entra object ids and Portico ids are GUIDs
  // and Google subjects are decimal strings, so they cannot meet; a generic issuer's subjects
  // could be anything, so it is not combined with Google.
  if (google && oidc?.kind === 'generic') throw new ConfigError('GOOGLE_CLIENT_IDS', 'cannot be combined with OIDC_ISSUER (their user ids could collide); use Entra ID (AZURE_TENANT_ID) beside Google, or one of them');
  return Object.freeze({
    tokens: Object.freeze(tokens),
    oidc: oidc && Object.freeze(oidc),
    google: google && Object.freeze(google),
    localDevUserId: localDevUser(env, host.localHost === true),
    apiKeys: Object.freeze(apiKeys(env)),
    adminUserIds: adminUserIds(env),
  });
}

/** The organisation's IdP settings alone (what a service that calls Entra-protected APIs needs). */
export function loadOidcSettings(env: Env): OidcSettings | undefined {
  return oidcSettings(env, tokenSettings(env).clockToleranceSeconds);
}

/** Every trusted OIDC issuer, the organisation's first. */
export function trustedIssuers(settings: Pick<AuthSettings, 'oidc' | 'google'>): OidcSettings[] {
  return [settings.oidc, settings.google].filter((issuer): issuer is OidcSettings => issuer !== undefined);
}
