/**
 * A client that goes away is not an error of ours: the local host logs it at info with the
 * stable reason `client_closed`, and nothing at error level (an operator's alert must mean a fault).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { createLocalHost, type LocalHost } from '../../adapters/local/server.ts';
import { defineFunction, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { sseResponse } from '../../middleware/sse.ts';
import { captureLogger, testPlatform } from '../support/platform.ts';

const PINO_INFO = 30;
const PINO_ERROR = 50;

describe('the local host when the client goes away', () => {
  const { logger, records } = captureLogger();
  let reached = 0;
  const handler: HttpLambda = async () => {
    reached++;
    return { statusCode: 204 };
  };
  const upload: FunctionDef<HttpTrigger> = defineFunction({
    name: 'fixture-upload',
    trigger: { kind: 'http', method: 'POST', route: 'fixture/upload', auth: 'public', summary: 'test', responses: {} },
    load: async () => ({ handler }),
  });
  // A stream that sends one token, then waits until it is cut.
  const stream: FunctionDef<HttpTrigger> = defineFunction({
    name: 'fixture-stream',
    trigger: { kind: 'http', method: 'GET', route: 'fixture/stream', auth: 'public', stream: true, summary: 'test', responses: {} },
    load: async () => ({ handler: streamHandler }),
  });
  const streamHandler: HttpLambda = httpHandler(
    stream,
    async () =>
      sseResponse(async function* (signal) {
        yield { event: 'token', data: 'a' };
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      }, { heartbeatMs: 60_000 }),
    { ...testPlatform(), logger },
  );
  let host: LocalHost;
  let port = 0;

  beforeAll(async () => {
    host = createLocalHost({ table: [upload, stream], port: 0, logger, maxBodyBytes: 64 * 1024 });
    port = Number(new URL(await host.listen()).port);
  });
  afterAll(() => host.close());

  /** Resolves once a log record passes `match`, polling the captured lines (no fixed sleep). */
  async function logged(match: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const found = records().find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('mid-upload: logged at info as client_closed, with method and path, and nothing at error level', async () => {
    const received = new Promise((resolve) => host.server.once('request', resolve));
    const socket = connect(port, '127.0.0.1');
    socket.write('POST /api/fixture/upload?secret=no HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"partial":');
    // Once the server has the request (headers, part of the body), the client leaves without the rest.
    await received;
    socket.destroy();

    const line = await logged((record) => record.reason === 'client_closed' || (record.level as number) >= PINO_ERROR);
    expect(line).toMatchObject({ level: PINO_INFO, reason: 'client_closed', method: 'POST', path: '/api/fixture/upload' });
    expect(records().filter((record) => (record.level as number) >= PINO_ERROR)).toEqual([]);
    expect(JSON.stringify(records())).not.toContain('secret=no'); // the query is not logged
    expect(reached).toBe(0);
  });

  it('mid-stream: the stream-ended line says cancelled, reason client_closed, at info, and nothing at error level', async () => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/fixture/stream', agent: false });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve).once('error', reject).end();
    });
    let text = '';
    await new Promise<void>((resolve) =>
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('event: token')) resolve();
      }),
    );
    req.destroy();

    const line = await logged((record) => record.stream === 'cancelled' || (record.level as number) >= PINO_ERROR);
    expect(line).toMatchObject({ level: PINO_INFO, stream: 'cancelled', reason: 'client_closed' });
    expect(records().filter((record) => (record.level as number) >= PINO_ERROR)).toEqual([]);
  });

  it('a stream the host ends on shutdown says reason server_shutdown instead', async () => {
    const own = captureLogger();
    const stopping = createLocalHost({ table: [stream], port: 0, logger: own.logger, maxBodyBytes: 1024 });
    const url = new URL('/api/fixture/stream', await stopping.listen());
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(url, { agent: false }).once('response', resolve).once('error', reject).end();
    });
    await new Promise<void>((resolve) => res.on('data', (chunk: Buffer) => chunk.toString().includes('event: token') && resolve()));
    await stopping.close();
    const ended = records().filter((record) => record.stream === 'cancelled');
    expect(ended.at(-1)).toMatchObject({ level: PINO_INFO, reason: 'server_shutdown' });
  });
});
