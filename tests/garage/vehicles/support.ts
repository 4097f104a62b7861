/**
 * The garage's vehicle and conversation functions through the composition root (`testApp`):
 * the real manifest, `bind`, the HTTP stack and real tokens (with an e-mail claim), on memory
 * ports (or given ones), a controllable clock and an e-mail port that records what it sends.
 */
import type { EmailMessage, EmailSender } from '../../../domain/email.ts';
import type { Ports } from '../../../app/ports.ts';
import type { Env } from '../../../kernel/env.ts';
import type { HttpLambda, TimerLambda } from '../../../kernel/functions.ts';
import garage from '../../../handlers/garage/index.ts';
import { call } from '../../identity/support.ts';
import { testApp } from '../../support/app.ts';
import { lambdaContext } from '../../support/platform.ts';

export { png, jpeg } from '../../wardrobe/media/support.ts';

/** Records every mail; `fail` makes the next sends throw (as SendGrid down would). */
export function recordingEmail(): EmailSender & { sent: EmailMessage[]; fail: boolean } {
  const sender = {
    sent: [] as EmailMessage[],
    fail: false,
    async send(message: EmailMessage) {
      if (sender.fail) throw new Error('email provider down');
      sender.sent.push(message);
    },
  };
  return sender;
}

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read loosely; the assertions are the check
  json: Record<string, any> | undefined;
  body: string;
}

export interface RequestInit {
  /** Path parameters, as the router would fill them. */
  params?: Record<string, string>;
  body?: unknown;
  rawBody?: Uint8Array;
  contentType?: string;
  query?: string;
  headers?: Record<string, string>;
}

export function setup(options: { env?: Env; ports?: Partial<Ports> } = {}) {
  const email = recordingEmail();
  const t = testApp({ services: [garage], env: options.env ?? {}, ports: { email, ...options.ports } });
  const tokens = new Map<string, string>();
  async function tokenOf(user: string): Promise<string> {
    if (!tokens.has(user)) tokens.set(user, (await t.ports.auth.tokens.issueAccessToken({ userId: user, email: `${user}@example.test` })).accessToken);
    return tokens.get(user)!;
  }
  async function request(user: string, name: string, init: RequestInit = {}): Promise<Reply> {
    const handler = await t.handler<HttpLambda>(name);
    const def = t.app.find(name)!;
    const trigger = def.trigger as { method: string; route: string };
    const path = `/api/${trigger.route.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(init.params?.[key] ?? ''))}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${await tokenOf(user)}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.contentType ? { 'content-type': init.contentType } : {}),
      ...init.headers,
    };
    const body = init.rawBody ? Buffer.from(init.rawBody).toString('base64') : init.body === undefined ? undefined : JSON.stringify(init.body);
    return call(
      async (event, context) => handler({ ...event, ...(init.params ? { pathParameters: init.params } : {}) }, context),
      { method: trigger.method, path, headers, ...(body !== undefined ? { body } : {}), ...(init.rawBody ? { isBase64Encoded: true } : {}), ...(init.query ? { query: init.query } : {}) },
    );
  }
  /** Fires the daily timer as the platform would, at the clock's time. */
  async function runTimer(): Promise<void> {
    const handler = await t.handler<TimerLambda>('garage-reminders-daily');
    await handler({ time: t.clock.now().toISOString(), detail: {} } as never, lambdaContext());
  }
  const as = (user: string) => ({
    createVehicle: (body: unknown) => request(user, 'garage-vehicles-create', { body }),
    vehicle: (id: string) => request(user, 'garage-vehicles-get', { params: { id } }),
    call: (name: string, init: RequestInit = {}) => request(user, name, init),
  });
  return { ...t, email, request, runTimer, as };
}

/** A valid North-American VIN (check digit 9 at position 9). */
export const VIN = '1M8GDM9AXKP042788';
