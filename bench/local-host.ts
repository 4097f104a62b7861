/**
 * Requests per second of the local host answering GET /api/health (real function table,
 * router, HttpRequest, Azure adapter, middy stack) against a raw node:http server sending the
 * same JSON body with the same content-type, one after the other in the same run.
 */
import './env.ts';
import autocannon, { type Result } from 'autocannon';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInvoker } from '../adapters/local/invoke.ts';
import { createLocalHost } from '../adapters/local/server.ts';
import { portico } from '../app/index.ts';
import { createLogger } from '../middleware/logger.ts';

const CONNECTIONS = 10;
const WARMUP_S = 1;
const DURATION_S = 5;

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;

/** autocannon in a worker thread, so the load generator does not share the server's event loop. */
async function load(url: string, duration: number): Promise<Result> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, workers: 1 });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`local-host bench: ${url} had ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  return result;
}

export async function runLocalHost(): Promise<void> {
  const logger = createLogger({ level: 'silent', pretty: false });
  // The process's app (bench/env.ts settled its environment), bound as `npm start` binds it.
  const app = portico();
  const host = createLocalHost({ table: app.functions, port: 0, host: '127.0.0.1', logger, maxBodyBytes: 1024 * 1024, invoker: createInvoker(app.bind) });
  await host.listen();
  const hostUrl = urlOf(host.server);

  // The baseline sends exactly what the health function sends.
  const sample = await fetch(hostUrl);
  const body = await sample.text();
  const contentType = sample.headers.get('content-type') ?? 'application/json';
  if (sample.status !== 200) throw new Error(`local-host bench: health answered ${sample.status}: ${body}`);
  const raw = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType }).end(body);
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const rawUrl = urlOf(raw);

  try {
    await load(rawUrl, WARMUP_S);
    await load(hostUrl, WARMUP_S);
    const rawResult = await load(rawUrl, DURATION_S);
    const hostResult = await load(hostUrl, DURATION_S);

    console.log(`\nLocal host vs raw node:http: GET /api/health, ${CONNECTIONS} connections, ${DURATION_S} s each, 127.0.0.1`);
    console.log(`  body ${body.length} bytes, ${contentType}`);
    for (const [label, r] of [['raw node:http', rawResult], ['local host', hostResult]] as const) {
      console.log(`  ${label.padEnd(14)} ${r.requests.average.toFixed(0).padStart(7)} req/s  mean ${r.latency.average.toFixed(2)} ms  p99 ${r.latency.p99} ms  (${r.requests.total} requests)`);
    }
    console.log(
      `local host throughput: ${hostResult.requests.average.toFixed(0)} req/s vs raw ${rawResult.requests.average.toFixed(0)} req/s ` +
        `(ratio ${(hostResult.requests.average / rawResult.requests.average).toFixed(2)}x of raw; p99 ${hostResult.latency.p99} ms vs ${rawResult.latency.p99} ms)`,
    );
  } finally {
    // Close both so the process exits by itself.
    await host.close();
    await new Promise<void>((resolve) => {
      raw.close(() => resolve());
      raw.closeIdleConnections();
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runLocalHost();
