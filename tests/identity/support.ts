/** The accounts service on memory ports: a fake clock, a fake token issuer, the dev outbox, captured logs. */
import { expect } from '@jest/globals';
import type { HttpLambda } from '../../kernel/functions.ts';
import { DevOutbox } from '../../adapters/email/dev-outbox.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import type { EmailMessage, EmailSender } from '../../domain/email.ts';
import type { AccessTokenIssuer } from '../../domain/identity.ts';
import type { DocumentStore } from '../../domain/ports.ts';
import { createHandlers } from '../../handlers/identity/accounts.ts';
import { loadIdentitySettings, type IdentitySettings } from '../../handlers/identity/settings.ts';
import type { Authenticator } from '../../middleware/auth.ts';
import { testClock } from '../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform, type EventInit } from '../support/platform.ts';

/** scrypt at N = 2^10: about 1 ms, so a suite of sign-ups stays fast. Production is 2^15 or more. */
export const fastSettings: IdentitySettings = { ...loadIdentitySettings({}), scrypt: { N: 2 ** 10, r: 8, p: 1 } };

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

const PATHS = {
  requestPin: '/api/auth/request-pin',
  confirmSignup: '/api/auth/confirm-signup',
  login: '/api/auth/login',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
} as const;

export function setup(options: { settings?: Partial<IdentitySettings>; authenticate?: Authenticator; store?: DocumentStore; clock?: ReturnType<typeof testClock> } = {}) {
  const clock = options.clock ?? testClock();
  const platform = testPlatform(options.authenticate ? { authenticate: options.authenticate } : {});
  const documents = options.store ?? new MemoryDocumentStore(clock);
  const outbox = new DevOutbox({ logger: platform.logger, clock });
  const sent: EmailMessage[] = [];
  const email: EmailSender = {
    send: async (message) => {
      sent.push(message);
      await outbox.send(message);
    },
  };
  const tokens = fakeIssuer();
  const settings = { ...fastSettings, ...options.settings };
  const http = createHandlers({ platform, documents, clock, settings, tokens, email });

  const post = (route: keyof typeof PATHS, body: unknown) =>
    call(http[route], { method: 'POST', path: PATHS[route], headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

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

  return { clock, platform, documents, outbox, sent, tokens, settings, http, post, pinFor, signUp, lines: platform.lines };
}
