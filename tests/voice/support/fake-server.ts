/**
 * A local HTTP server for the remote voice providers' tests: it records every request (method,
 * URL, headers, body) and answers what the test's `respond` says, or never answers (`'hang'`) to
 * exercise timeouts and aborts. Port 0; `close()` drops hanging connections too.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: string | Uint8Array } | 'hang';

export class FakeServer {
  readonly requests: Recorded[] = [];
  /** The next replies, taken before `respond` is asked (for one-off faults). */
  readonly queued: Reply[] = [];
  respond: (request: Recorded) => Reply | Promise<Reply>;
  url = '';
  readonly #server: Server;

  constructor(respond: (request: Recorded) => Reply | Promise<Reply>) {
    this.respond = respond;
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        this.requests.push(recorded);
        void Promise.resolve(this.queued.shift() ?? this.respond(recorded)).then((reply) => {
          if (reply === 'hang') return;
          res.writeHead(reply.status ?? 200, reply.headers ?? {});
          res.end(reply.body ?? '');
        });
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The requests whose path starts with `prefix`. */
  to(prefix: string): Recorded[] {
    return this.requests.filter((request) => request.url.startsWith(prefix));
  }
}

/** A multipart body as the server received it, parsed by the platform's own FormData parser. */
export async function formOf(request: Recorded): Promise<FormData> {
  return new Response(request.body, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

export const json = (value: unknown, status = 200): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
