/**
 * The two real PluckIt clients as they call a backend (../shared/contracts/pluckit.md sections 1–2),
 * pointed at one Portico local host (`npm start` as a child process):
 *
 * - **web** (Angular): `Authorization: Bearer <Google ID token>` on every call, camelCase bodies,
 *   paths with a leading `/api`;
 * - **mobile** (iOS): trades its Google ID token at `POST /api/auth/mobile-token` for the app
 *   session, then sends `Bearer <access_token>`; auth bodies snake_case; its base URL may end in
 *   `/api` (then the path's own `api/` is dropped); query parameters sorted by name.
 *
 * Google is a local JWKS server whose key signs the ID tokens; GOOGLE_JWKS_URI points the host at it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epoch, rsaKey, signRs256, startJwksServer, type JwksServer, type RsaTestKey } from '../../support/jwks-server.ts';
import { startLocalHost, stopLocalHost, type LocalEntry, type LocalHostProcess } from '../../support/local-host-process.ts';

export const WEB_CLIENT_ID = '20801742779-web.apps.googleusercontent.com';
export const IOS_CLIENT_ID = '20801742779-ios.apps.googleusercontent.com';

export type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON: tests read it field by field, as the apps' decoders do. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface PluckItBackend {
  url: string;
  host: LocalHostProcess;
  google: RsaTestKey;
  /** A Google ID token for `sub`, as GIS (web) or GoogleSignIn (mobile) hands it over. */
  idToken(sub: string, audience?: string, claims?: Json): Promise<string>;
  stop(): Promise<void>;
}

export async function startPluckItBackend(env: Record<string, string> = {}, entry: LocalEntry = 'local'): Promise<PluckItBackend> {
  const google = rsaKey('google-conformance');
  const jwks: JwksServer = await startJwksServer([google]);
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-pluckit-'));
  const host = await startLocalHost({
    dataDir,
    entry,
    env: {
      JWT_SECRET: randomBytes(48).toString('base64url'),
      GOOGLE_CLIENT_IDS: `${WEB_CLIENT_ID},${IOS_CLIENT_ID}`,
      GOOGLE_JWKS_URI: jwks.url,
      // A client's screen makes many calls in a few seconds here; the limiter is not under test.
      RATE_LIMIT_DEFAULT: '10000',
      ...env,
    },
  });
  return {
    url: host.url,
    host,
    google,
    idToken: (sub, audience = WEB_CLIENT_ID, claims = {}) =>
      signRs256(google, { iss: 'https://accounts.google.com', aud: audience, azp: audience, sub, email: `${sub}@example.com`, email_verified: true, name: `User ${sub}`, iat: epoch(), exp: epoch() + 3600, ...claims }),
    async stop() {
      await stopLocalHost(host, dataDir);
      await jwks.close();
    },
  };
}

async function send(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean>;
  /** A JSON body (the client's own casing). */
  body?: unknown;
  /** A raw body (multipart), sent as is with its own content type. */
  form?: FormData;
  headers?: Record<string, string>;
}

export interface Client {
  kind: 'web' | 'mobile';
  userId: string;
  call(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  /** The raw fetch response (chat SSE). */
  stream(method: string, path: string, options?: RequestOptions): Promise<Response>;
}

function requestInit(method: string, bearer: string | undefined, options: RequestOptions): RequestInit {
  const headers: Record<string, string> = { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...options.headers };
  if (options.form) return { method, headers, body: options.form };
  if (options.body !== undefined) return { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(options.body) };
  return { method, headers };
}

/** The web app: the Google ID token itself is the bearer; paths as written (`/api/...`). */
export async function webClient(backend: PluckItBackend, sub: string): Promise<Client> {
  const token = await backend.idToken(sub, WEB_CLIENT_ID);
  const url = (path: string, query?: RequestOptions['query']) => `${backend.url}${path}${queryString(query, false)}`;
  return {
    kind: 'web',
    userId: sub,
    call: (method, path, options = {}) => send(url(path, options.query), requestInit(method, token, options)),
    stream: (method, path, options = {}) => fetch(url(path, options.query), requestInit(method, token, options)),
  };
}

export interface MobileSession {
  access_token: string;
  refresh_token: string;
  user_id: string;
  [key: string]: unknown;
}

/**
 * The iOS app: signs in through mobile-token, then uses the session's access token. Its base URL
 * here ends in `/api`, so `api/wardrobe` becomes `<base>/wardrobe`, as the app builds it.
 */
export async function mobileClient(backend: PluckItBackend, sub: string): Promise<Client & { session: MobileSession; exchange: Reply }> {
  const exchange = await send(`${backend.url}/api/auth/mobile-token`, requestInit('POST', undefined, { body: { id_token: await backend.idToken(sub, IOS_CLIENT_ID) } }));
  if (exchange.status !== 200) throw new Error(`mobile-token answered ${exchange.status}: ${exchange.text}`);
  const session = exchange.json as MobileSession;
  const base = `${backend.url}/api`;
  const url = (path: string, query?: RequestOptions['query']) => `${base}/${path.replace(/^\/?api\//, '')}${queryString(query, true)}`;
  return {
    kind: 'mobile',
    userId: sub,
    session,
    exchange,
    call: (method, path, options = {}) => send(url(path, options.query), requestInit(method, session.access_token, options)),
    stream: (method, path, options = {}) => fetch(url(path, options.query), requestInit(method, session.access_token, { ...options, headers: { accept: 'text/event-stream', ...options.headers } })),
  };
}

function queryString(query: RequestOptions['query'], sorted: boolean): string {
  if (!query) return '';
  const entries = Object.entries(query).map(([name, value]) => [name, String(value)] as [string, string]);
  if (sorted) entries.sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

/** A Google account id as Google issues them: up to 21 digits. */
export const googleSub = (): string => `1${Array.from({ length: 20 }, () => Math.floor(Math.random() * 10)).join('')}`;

/** The iOS decoder's dates: plain ISO 8601, whole seconds, UTC. */
export const MOBILE_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `multipart/form-data` as each client builds an upload (text parts first on mobile). */
export function uploadForm(client: 'web' | 'mobile', image: Uint8Array, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const blob = new Blob([image], { type: 'image/jpeg' });
  if (client === 'mobile') form.append('file', blob, 'image.jpg');
  else form.append('image', blob, 'IMG_2041.jpg');
  return form;
}

/** Polls until `done` answers a value or the deadline passes (a deadline, not an assertion on speed). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, deadlineMs = 120_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
