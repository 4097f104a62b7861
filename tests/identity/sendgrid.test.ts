/** The SendGrid sender against a local HTTP server: the request it makes, and how failures surface. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendGridEmailSender } from '../../adapters/email/sendgrid.ts';
import { AppError } from '../../domain/errors.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let respond: (response: ServerResponse) => void = (response) => response.writeHead(202).end();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') });
      respond(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const message = { to: 'ann@example.com', subject: 'Your Portico sign-up code', text: 'Your Portico sign-up code is 123456.' };

async function failure(sender: SendGridEmailSender): Promise<AppError> {
  const error = await sender.send(message).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('SendGridEmailSender', () => {
  it('POSTs /v3/mail/send with the bearer key and the v3 body', async () => {
    respond = (response) => response.writeHead(202).end();
    seen.length = 0;
    await new SendGridEmailSender({ apiKey: 'SG.test-key', from: 'Portico <no-reply@example.com>', baseUrl }).send(message);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/v3/mail/send' });
    expect(request!.headers.authorization).toBe('Bearer SG.test-key');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      personalizations: [{ to: [{ email: 'ann@example.com' }] }],
      from: { email: 'no-reply@example.com', name: 'Portico' },
      subject: message.subject,
      content: [{ type: 'text/plain', value: message.text }],
      tracking_settings: { click_tracking: { enable: false }, open_tracking: { enable: false } },
    });
  });

  it.each([401, 403, 400, 500, 502])('turns a %i into 503 email_unavailable, logging the status but not the text or key', async (status) => {
    respond = (response) => response.writeHead(status, { 'content-type': 'application/json' }).end('{"errors":[{"message":"nope"}]}');
    const logged: unknown[] = [];
    const sender = new SendGridEmailSender({ apiKey: 'SG.secret', from: 'no-reply@example.com', baseUrl, logger: { warn: (fields, text) => logged.push(fields, text) } });
    const error = await failure(sender);
    expect(error).toMatchObject({ status: 503, code: 'email_unavailable' });
    expect(error.headers?.['retry-after']).toBe('30');
    expect(logged).toEqual([{ to: 'a***@example.com', status }, 'SendGrid refused the message']);
    expect(JSON.stringify(logged)).not.toMatch(/SG\.secret|123456/);
  });

  it("passes on SendGrid's Retry-After for a 429", async () => {
    respond = (response) => response.writeHead(429, { 'retry-after': '7' }).end();
    expect((await failure(new SendGridEmailSender({ apiKey: 'k', from: 'a@example.com', baseUrl }))).headers?.['retry-after']).toBe('7');
  });

  it('turns a timeout into 503 email_unavailable', async () => {
    respond = () => undefined; // never answers
    const error = await failure(new SendGridEmailSender({ apiKey: 'k', from: 'a@example.com', baseUrl, timeoutMs: 100 }));
    expect(error).toMatchObject({ status: 503, code: 'email_unavailable' });
  });

  it('turns a refused connection into 503 email_unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(new SendGridEmailSender({ apiKey: 'k', from: 'a@example.com', baseUrl: `http://127.0.0.1:${port}` }));
    expect(error).toMatchObject({ status: 503, code: 'email_unavailable' });
  });
});
