/**
 * In-process cost per invocation of the standard HTTP stack, on one request (a small valid
 * POST to diagnostics-echo), against a bare handler doing the same echo work in the same run:
 *   (a) bare async handler, called with the API Gateway v2 event
 *   (b) the real middy stack, called as a Lambda handler
 *   (c) the same handler through the Azure adapter, building the HttpRequest and
 *       InvocationContext per call as the Functions host does
 */
import './env.ts';
import azf from '@azure/functions';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fileURLToPath } from 'node:url';
import { azureHttpHandler, toHttpEvent } from '../adapters/azure/http.ts';
import { echo as echoRoute } from '../handlers/diagnostics/diagnostics.routes.ts';
import { echo } from '../handlers/diagnostics/functions.ts';
import { denyAll } from '../middleware/auth.ts';
import { httpHandler } from '../middleware/http-stack.ts';
import { createLogger } from '../middleware/logger.ts';

const ORIGIN = 'https://app.example.com';
const BODY = JSON.stringify({ message: 'hello from the bench', tags: ['bench', 'stack'] });
const WARMUP_CALLS = 3000;
const ROUNDS = 20;
const ROUND_MS = 120; // per variant per round: 20 x 3 x 120 ms keeps the whole run near 8 s

const newRequest = () =>
  new azf.HttpRequest({
    method: 'POST',
    url: 'https://portico.example.com/api/diagnostics/echo',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
      origin: ORIGIN,
      'user-agent': 'portico-bench',
    },
    body: { string: BODY },
  });
const newInvocation = () => new azf.InvocationContext({ invocationId: 'bench-invocation', functionName: echo.name });

/** What the Lambda runtime hands over per invoke; getRemainingTimeInMillis arms middy's timeout. */
function lambdaContext(): Context {
  const deadline = Date.now() + 30_000;
  const fail = () => {
    throw new Error('callback API');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: echo.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${echo.name}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'bench-invocation',
    logGroupName: `/aws/lambda/${echo.name}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: fail,
    fail,
    succeed: fail,
  };
}

/** The echo without any middleware: parse, answer, nothing else. */
const bare = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = JSON.parse(event.body ?? '{}') as { message: string; tags?: string[] };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      message: body.message,
      tags: body.tags ?? [],
      requestId: event.requestContext.requestId,
      receivedAt: new Date().toISOString(),
    }),
  };
};

async function perCallMicros(call: () => Promise<unknown>, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return ((performance.now() - started) * 1000) / calls;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function runStack(): Promise<void> {
  // Production logs at info: log every line into a no-op destination, so formatting and
  // redaction are paid for, but nothing is written.
  const logger = createLogger({ level: 'info', pretty: false, destination: { write: () => {} } });
  const platform = { logger, corsAllowedOrigins: [ORIGIN], maxBodyBytes: 1024 * 1024, authenticate: denyAll };
  // The route's factory in the standard stack from its definition, as the app's bind wires it.
  const stack = httpHandler(echo, echoRoute({ clock: { now: () => new Date() } }), platform);
  const azure = azureHttpHandler(echo, async () => stack);
  // The very event the Azure adapter builds, so (a) and (b) see the request (c) starts from.
  const event = await toHttpEvent(newRequest(), echo.trigger, newInvocation());

  // Guard against timing an error path: every variant must answer 200 with CORS allowed.
  const direct = await stack(event, lambdaContext());
  const viaAzure = await azure(newRequest(), newInvocation());
  if ((await bare(event)).statusCode !== 200 || direct.statusCode !== 200 || viaAzure.status !== 200) {
    throw new Error(`stack bench: expected 200s, got direct ${direct.statusCode} ${direct.body}, azure ${viaAzure.status}`);
  }
  if (direct.headers?.['access-control-allow-origin'] !== ORIGIN || viaAzure.headers.get('access-control-allow-origin') !== ORIGIN) {
    throw new Error('stack bench: CORS did not allow the request origin');
  }

  const variants = [
    { label: '(a) bare handler', call: () => bare(event) },
    { label: '(b) middy stack, Lambda call', call: () => stack(event, lambdaContext()) },
    { label: '(c) Azure adapter + new HttpRequest', call: () => azure(newRequest(), newInvocation()) },
  ];
  // Warm up (JIT, caches), and size each variant's round to take about ROUND_MS.
  const sized = [];
  for (const variant of variants) {
    await perCallMicros(variant.call, WARMUP_CALLS);
    const estimate = await perCallMicros(variant.call, WARMUP_CALLS);
    sized.push({ ...variant, calls: Math.max(500, Math.round((ROUND_MS * 1000) / estimate)), samples: [] as number[] });
  }
  // Rotate the order each round so drift (GC, thermal, neighbours) spreads over all variants.
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < sized.length; k++) {
      const variant = sized[(round + k) % sized.length]!;
      variant.samples.push(await perCallMicros(variant.call, variant.calls));
    }
  }

  const results = sized.map(({ label, samples, calls }) => ({ label, samples, calls, us: median(samples) }));
  const [a, b, c] = [results[0]!, results[1]!, results[2]!];
  console.log(`\nHTTP stack, in process: POST /api/diagnostics/echo, median of ${ROUNDS} rounds, logger at info into a no-op sink`);
  for (const v of [a, b, c]) {
    const spread = `${Math.min(...v.samples).toFixed(2)}-${Math.max(...v.samples).toFixed(2)}`;
    console.log(`  ${v.label.padEnd(38)} ${v.us.toFixed(2).padStart(8)} µs/call  (rounds ${spread}, ${v.calls} calls each)`);
  }
  console.log(`  adapter share of (c): ${(c.us - b.us).toFixed(1)} µs/call; (c) includes new HttpRequest + InvocationContext per call`);
  console.log(
    `stack overhead: direct ${b.us.toFixed(1)} µs/call (ratio ${(b.us / a.us).toFixed(1)}x vs bare), ` +
      `azure adapter ${c.us.toFixed(1)} µs/call (ratio ${(c.us / a.us).toFixed(1)}x vs bare)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStack();
