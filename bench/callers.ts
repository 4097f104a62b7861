/**
 * Per-invocation cost of ONE handler (diagnostics-echo as the process's app binds it: its factory
 * in the standard stack, on the composition root's platform) through each caller the conformance
 * suite uses, in the same run:
 *   (a) direct: called as Lambda calls it, with an API Gateway v2 event and a Lambda context
 *   (b) the Azure adapter, with a real @azure/functions HttpRequest and InvocationContext per call
 *   (c) the local host over HTTP: one keep-alive connection, one request at a time
 *   (d) the GCP adapter in Google's Functions Framework over HTTP (its Express server and body
 *       parsers, as Cloud Run functions runs it), the same way as (c)
 * Each figure is a median over rounds whose order rotates; (b), (c) and (d) are printed as ratios
 * against (a), and (d) against (c), the other host over HTTP. No thresholds: the figures are for reading.
 */
import './env.ts';
import azf from '@azure/functions';
import type { Context } from 'aws-lambda';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { lambdaContext } from '../adapters/aws/lambda-events.ts';
import * as functionsFramework from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { azureHttpHandler, toHttpEvent } from '../adapters/azure/http.ts';
import { HTTP_TARGET } from '../adapters/gcp/names.ts';
import { registerGcpFunctions } from '../adapters/gcp/register.ts';
import { createInvoker } from '../adapters/local/invoke.ts';
import { createLocalHost } from '../adapters/local/server.ts';
import { portico } from '../app/index.ts';
import type { HttpLambda } from '../kernel/functions.ts';
import { echo } from '../handlers/diagnostics/functions.ts';
import { createLogger } from '../middleware/logger.ts';

const BODY = JSON.stringify({ message: 'hello from the bench', tags: ['bench', 'callers'] });
const HEADERS = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(BODY)), 'user-agent': 'portico-bench' };
const WARMUP_MS = 600;
const ROUNDS = 12;
const ROUND_MS = 150; // per caller per round: 12 x 4 x 150 ms, about 8 s with the warm-up

const newRequest = () => new azf.HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/diagnostics/echo', headers: HEADERS, body: { string: BODY } });
const newInvocation = () => new azf.InvocationContext({ invocationId: 'bench-invocation', functionName: echo.name });
const newContext = (): Context => lambdaContext(echo, 29_000, undefined);

/** One POST on the keep-alive connection, resolving with the status once the body is read. */
function post(agent: Agent, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/api/diagnostics/echo', headers: HEADERS }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

/** Calls `call` back to back for about `ms`; returns µs per call. */
async function timeFor(call: () => Promise<unknown>, ms: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    // Check the clock every 50 calls, so reading it costs nothing measurable.
    for (let i = 0; i < 50; i++) await call();
    calls += 50;
  }
  return ((performance.now() - started) * 1000) / calls;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export async function runCallers(): Promise<void> {
  const logger = createLogger({ level: 'silent', pretty: false });
  // The process's app (bench/env.ts settled its environment): one bound handler, shared by every caller.
  const app = portico();
  const handler = (await app.bind(app.find(echo.name)!)) as HttpLambda;
  const host = createLocalHost({ table: app.functions, port: 0, host: '127.0.0.1', logger, maxBodyBytes: 1024 * 1024, invoker: createInvoker(app.bind) });
  await host.listen();
  const port = (host.server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  registerGcpFunctions(functionsFramework, { functions: app.functions, bind: app.bind });
  const framework = getTestServer(HTTP_TARGET);
  await new Promise<void>((resolve) => framework.listen(0, '127.0.0.1', resolve));
  const gcpPort = (framework.address() as AddressInfo).port;
  const gcpAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const azure = azureHttpHandler(echo, async () => handler);
  // The very event the Azure adapter builds, so (a) starts from what (b) hands the handler.
  const event = await toHttpEvent(newRequest(), echo.trigger, newInvocation());

  try {
    // Guard against timing an error path: every caller must answer 200.
    const statuses = [(await handler(event, newContext())).statusCode, (await azure(newRequest(), newInvocation())).status, await post(agent, port), await post(gcpAgent, gcpPort)];
    if (statuses.some((status) => status !== 200)) throw new Error(`callers bench: expected 200 from every caller, got ${statuses.join(', ')}`);

    const callers = [
      { label: '(a) direct, Lambda-shaped call', call: () => handler(event, newContext()), samples: [] as number[] },
      { label: '(b) Azure adapter, real HttpRequest', call: () => azure(newRequest(), newInvocation()), samples: [] as number[] },
      { label: '(c) local host over HTTP, keep-alive', call: () => post(agent, port), samples: [] as number[] },
      { label: '(d) GCP adapter, Functions Framework', call: () => post(gcpAgent, gcpPort), samples: [] as number[] },
    ];
    for (const caller of callers) await timeFor(caller.call, WARMUP_MS);
    // Rotate the order each round so drift (GC, thermal, neighbours) spreads over all callers.
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < callers.length; k++) {
        const caller = callers[(round + k) % callers.length]!;
        caller.samples.push(await timeFor(caller.call, ROUND_MS));
      }
    }

    const [direct, viaAzure, viaHost, viaGcp] = callers.map((caller) => ({ ...caller, us: median(caller.samples) }));
    console.log(`\nOne handler through each caller: POST /api/diagnostics/echo (as the app binds it), median of ${ROUNDS} rounds, logging silent`);
    for (const caller of [direct!, viaAzure!, viaHost!, viaGcp!]) {
      const spread = `${Math.min(...caller.samples).toFixed(1)}-${Math.max(...caller.samples).toFixed(1)}`;
      console.log(`  ${caller.label.padEnd(38)} ${caller.us.toFixed(1).padStart(8)} µs/call  ${(caller.us / direct!.us).toFixed(1).padStart(5)}x direct  (rounds ${spread})`);
    }
    console.log(
      `callers: direct ${direct!.us.toFixed(1)} µs/call, azure adapter ${viaAzure!.us.toFixed(1)} µs/call (ratio ${(viaAzure!.us / direct!.us).toFixed(1)}x), ` +
        `local host over HTTP ${viaHost!.us.toFixed(1)} µs/call (ratio ${(viaHost!.us / direct!.us).toFixed(1)}x), ` +
        `GCP adapter in the Functions Framework over HTTP ${viaGcp!.us.toFixed(1)} µs/call (ratio ${(viaGcp!.us / direct!.us).toFixed(1)}x direct, ${(viaGcp!.us / viaHost!.us).toFixed(2)}x the local host)`,
    );
  } finally {
    agent.destroy();
    gcpAgent.destroy();
    await Promise.all([host.close(), new Promise<void>((resolve) => framework.close(() => resolve()))]);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runCallers();
