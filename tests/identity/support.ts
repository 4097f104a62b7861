/**
 * The identity service through the real `bind` and HTTP stack, on memory ports: a fake clock, a
 * fake token issuer, the development outbox as the mail sender, captured logs.
 */
import { expect } from '@jest/globals';
import type { HttpLambda } from '../../kernel/functions.ts';
import type { ServiceManifest } from '../../kernel/services.ts';
import { DevOutbox } from '../../adapters/email/dev-outbox.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import type { Ports } from '../../app/ports.ts';
import type { EmailMessage } from '../../domain/email.ts';
import type { AccessTokenIssuer } from '../../domain/identity.ts';
import type { DocumentStore } from '../../domain/ports.ts';
import identity from '../../handlers/identity/index.ts';
import * as defs from '../../handlers/identity/functions.ts';
import { loadIdentitySettings, type IdentitySettings } from '../../handlers/identity/settings.ts';
import { denyAll, type Authenticator } from '../../middleware/auth.ts';
import type { TokenService } from '../../middleware/auth/index.ts';
import { testApp } from '../support/app.ts';
import { testClock } from '../support/jobs.ts';
import { captureLogger, httpEvent, lambdaContext, type EventInit } from '../support/platform.ts';

/** scrypt at N = 2^10: about 1 ms, so a suite of sign-ups stays fast. Production is 2^15 or more. */
export const FAST_SCRYPT = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });
export const fastSettings: IdentitySettings = { ...loadIdentitySettings({}), scrypt: FAST_SCRYPT };

/**
 * The identity manifest with its settings as loaded from the environment, then `overrides` on
 * top (the environment cannot lower scrypt below production strength; tests must).
 */
export function identityWith(overrides: Partial<IdentitySettings> = {}): ServiceManifest<IdentitySettings> {
  return { ...identity, settings: { variables: identity.settings.variables, load: (env) => ({ ...identity.settings.load(env), scrypt: FAST_SCRYPT, ...overrides }) } };
}

/** Recognisable access tokens: `access:<userId>:<n>`. */
export function fakeIssuer(): AccessTokenIssuer & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    issueAccessToken: async ({ userId }) => {
      const accessToken = `access:${userId}:${issued.length + 1}`;
      issued.push(accessToken);
      return { accessToken, expiresIn: 900, tokenType: 'Bearer' };
    },
  };
}

/** The development outbox, also keeping every message it was given, in order. */
export class RecordingOutbox extends DevOutbox {
  readonly sent: EmailMessage[] = [];

  override async send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
    await super.send(message);
  }
}

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  json: Record<string, unknown> | undefined;
  body: string;
}

export async function call(handler: HttpLambda, init: EventInit): Promise<Reply> {
  const result = await handler(httpEvent(init), lambdaContext());
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode ?? 0,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([key, value]) => [key, String(value)])),
    json: body ? (JSON.parse(body) as Record<string, unknown>) : undefined,
    body,
  };
}

const ROUTES = {
  requestPin: { def: defs.requestPin, path: '/api/auth/request-pin' },
  confirmSignup: { def: defs.confirmSignup, path: '/api/auth/confirm-signup' },
  login: { def: defs.login, path: '/api/auth/login' },
  refresh: { def: defs.refresh, path: '/api/auth/refresh' },
  logout: { def: defs.logout, path: '/api/auth/logout' },
  me: { def: defs.me, path: '/api/auth/me' },
} as const;

export type AccountRoute = keyof typeof ROUTES;

export interface SetupOptions {
  settings?: Partial<IdentitySettings>;
  authenticate?: Authenticator;
  store?: DocumentStore;
  clock?: ReturnType<typeof testClock>;
  env?: Record<string, string>;
  /** Use the platform's token service (from JWT_SECRET in `env`) instead of the fake issuer. */
  platformTokens?: boolean;
  /** Other services served beside identity (delete_account erases their data too). */
  alongside?: readonly ServiceManifest<unknown>[];
}

export function setup(options: SetupOptions = {}) {
  const clock = options.clock ?? testClock();
  const { logger, lines } = captureLogger();
  const documents = options.store ?? new MemoryDocumentStore(clock);
  const outbox = new RecordingOutbox({ logger, clock });
  const tokens = fakeIssuer();
  // The token service's other half is the platform's, and these tests never present a token to it.
  const tokenService = { ...tokens, enabled: true, verifyAccessToken: async () => Promise.reject(new Error('not in these tests')) } as TokenService;
  const ports: Partial<Ports> = {
    logger,
    clock,
    documents,
    ...(options.platformTokens ? {} : { auth: { authenticate: options.authenticate ?? denyAll, tokens: tokenService, oidc: undefined } }),
    email: outbox,
    devOutbox: outbox,
  };
  const t = testApp({ services: [identityWith(options.settings), ...(options.alongside ?? [])], ports, ...(options.env ? { env: options.env } : {}) });
  const settings = t.app.depsOf(identity.name).settings as IdentitySettings;

  /** The bound handler of a function, by its name in the table (bind builds it once). */
  const handler = (name: string) => t.handler<HttpLambda>(name);
  /** The bound handler of an accounts route. */
  const route = (name: AccountRoute) => handler(ROUTES[name].def.name);

  const post = async (name: Exclude<AccountRoute, 'me'>, body: unknown) =>
    call(await route(name), { method: 'POST', path: ROUTES[name].path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** The code from the newest mail to the address. */
  const pinFor = (address: string): string => {
    const match = /code is (\d+)/.exec(outbox.latest(address)?.text ?? '');
    if (!match?.[1]) throw new Error(`no PIN mail for ${address}`);
    return match[1];
  };

  /** request-pin, then confirm-signup with the mailed PIN. */
  const signUp = async (address: string, password = 'correct horse battery') => {
    expect((await post('requestPin', { email: address })).statusCode).toBe(202);
    const reply = await post('confirmSignup', { email: address, pin: pinFor(address), password });
    expect(reply.statusCode).toBe(201);
    return reply.json as { user: { id: string; email: string }; accessToken: string; refreshToken: string };
  };

  /** Any function by name, with a JSON body when one is given. */
  const request = async (name: string, init: EventInit & { json?: unknown }) => {
    const { json, ...rest } = init;
    return call(await handler(name), json === undefined ? rest : { ...rest, headers: { 'content-type': 'application/json', ...rest.headers }, body: JSON.stringify(json) });
  };

  return { app: t.app, ports: t.ports, request, clock, documents, outbox, sent: outbox.sent, tokens, settings, handler, route, post, pinFor, signUp, lines, logger };
}
