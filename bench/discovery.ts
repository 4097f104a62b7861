/**
 * The discovery search (Underfoot) through the real app, with the real provider adapters calling
 * the fake providers (tests/support/fake-providers.ts) over loopback HTTP, each answering in
 * 50 ms, and the offline model (the rule parser and the summary template):
 *   (a) uncached: `force: true`, so the search cache and the location cache are skipped: geocode,
 *       then SerpApi, Reddit and Eventbrite in parallel, rank, summarise, write both layers
 *   (b) cached: the same question again, answered from the in-process layer
 * POST /api/underfoot/search through the handler the app binds, called as Lambda calls it. Each
 * figure is a median over rounds whose order alternates; the ratio is (a) / (b). No thresholds.
 * The fake providers serve from this process, so their own work is inside (a).
 */
import './env.ts';
import azf from '@azure/functions';
import { fileURLToPath } from 'node:url';
import { lambdaContext } from '../adapters/aws/lambda-events.ts';
import { toHttpEvent } from '../adapters/azure/http.ts';
import { MemoryDocumentStore } from '../adapters/memory/documents.ts';
import { createApp } from '../app/app.ts';
import { systemClock } from '../app/ports.ts';
import { services } from '../app/services.ts';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../kernel/functions.ts';
import { createLogger } from '../middleware/logger.ts';
import { startFakeProviders } from '../tests/support/fake-providers.ts';

const QUESTION = 'hidden gems in Pikeville, KY';
const PROVIDER_DELAY_MS = 50;
/** Calls to the providers per uncached search: the geocoder and the three sources. */
const PROVIDER_CALLS = 4;
const ROUNDS = 10;
const UNCACHED_CALLS = 4; // per round: about 10 x 4 x 110 ms, under 5 s in all
const CACHED_ROUND_MS = 150;

interface Answer {
  places: unknown[];
  debug: { cache: string | null; cache_layer?: string; source_stats: Record<string, { status: string }> };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export async function runDiscovery(): Promise<void> {
  const fake = await startFakeProviders({ delayMs: PROVIDER_DELAY_MS });
  const base = fake.url.href;
  // Only what the bench sets: no model and no Cosmos DB from the shell. The documents are in memory.
  const env = {
    RATE_LIMITING_ENABLED: 'false',
    DISCOVERY_PROVIDERS: 'live',
    GEOAPIFY_API_KEY: 'bench-key',
    GEOAPIFY_BASE_URL: base,
    SERPAPI_KEY: 'bench-key',
    SERPAPI_BASE_URL: base,
    REDDIT_BASE_URL: base,
    EVENTBRITE_TOKEN: 'bench-token',
    EVENTBRITE_BASE_URL: base,
  };
  // Production logs at info: every line is formatted and redacted into a no-op sink.
  const logger = createLogger({ level: 'info', pretty: false, destination: { write: () => {} } });
  const app = createApp({ services, env, ports: { logger, documents: new MemoryDocumentStore(systemClock) } });
  const def = app.find('discovery-search') as FunctionDef<HttpTrigger>;
  const handler = (await app.bind(def)) as HttpLambda;

  const eventFor = (force: boolean) =>
    toHttpEvent(
      new azf.HttpRequest({
        method: 'POST',
        url: 'http://127.0.0.1/api/underfoot/search',
        headers: { 'content-type': 'application/json' },
        body: { string: JSON.stringify({ chat_input: QUESTION, force }) },
      }),
      def.trigger,
      new azf.InvocationContext({ invocationId: 'bench-invocation', functionName: def.name }),
    );
  const [uncachedEvent, cachedEvent] = [await eventFor(true), await eventFor(false)];
  /** One search; the body is left unread, as a client's parsing is not the service's cost. */
  const call = async (event: typeof uncachedEvent) => {
    const result = await handler(event, lambdaContext(def, 29_000, undefined));
    if (result.statusCode !== 200) throw new Error(`discovery bench: expected 200, got ${result.statusCode} ${result.body}`);
    return result;
  };
  const search = async (event: typeof uncachedEvent) => JSON.parse((await call(event)).body!) as Answer;

  /** Runs `calls` searches back to back; ms per call. */
  async function perCallMs(event: typeof uncachedEvent, calls: number): Promise<number> {
    const started = performance.now();
    for (let i = 0; i < calls; i++) await call(event);
    return (performance.now() - started) / calls;
  }

  try {
    // Guard against timing the wrong path: (a) must call every provider and succeed, (b) none.
    const asked = fake.requests.length;
    const cold = await search(uncachedEvent);
    const statuses = Object.values(cold.debug.source_stats).map((stat) => stat.status);
    if (cold.debug.cache !== null || cold.places.length === 0 || statuses.some((status) => status !== 'success') || fake.requests.length - asked !== PROVIDER_CALLS) {
      throw new Error(`discovery bench: the uncached search did not ask every provider successfully: ${JSON.stringify(cold.debug)}`);
    }
    const warm = await search(cachedEvent);
    if (warm.debug.cache !== 'hit' || warm.debug.cache_layer !== 'memory' || fake.requests.length - asked !== PROVIDER_CALLS) {
      throw new Error(`discovery bench: the second search was not a memory hit: ${JSON.stringify(warm.debug)}`);
    }

    // Warm up (JIT, keep-alive sockets), and size a cached round to take about CACHED_ROUND_MS.
    await perCallMs(uncachedEvent, UNCACHED_CALLS);
    await perCallMs(cachedEvent, 2000);
    const estimate = await perCallMs(cachedEvent, 500);
    const variants = [
      { label: '(a) uncached (force: true)', event: uncachedEvent, calls: UNCACHED_CALLS, samples: [] as number[] },
      { label: '(b) cached (the same question)', event: cachedEvent, calls: Math.max(50, Math.round(CACHED_ROUND_MS / estimate)), samples: [] as number[] },
    ];
    const before = fake.requests.length;
    // Alternate the order each round so drift (GC, neighbours) spreads over both.
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length]!;
        variant.samples.push(await perCallMs(variant.event, variant.calls));
      }
    }
    const providerCalls = fake.requests.length - before;

    const [uncached, cached] = variants.map((variant) => ({ ...variant, ms: median(variant.samples) }));
    console.log(
      `\nDiscovery search in process: POST /api/underfoot/search "${QUESTION}" through the bound handler, ` +
        `real adapters against fake providers answering in ${PROVIDER_DELAY_MS} ms, offline model, median of ${ROUNDS} rounds, logging at info into a no-op sink`,
    );
    for (const variant of [uncached!, cached!]) {
      const digits = variant.ms < 1 ? 3 : 1;
      const spread = `${Math.min(...variant.samples).toFixed(digits)}-${Math.max(...variant.samples).toFixed(digits)}`;
      console.log(`  ${variant.label.padEnd(32)} ${variant.ms.toFixed(digits).padStart(8)} ms/call  (rounds ${spread}, ${variant.calls} calls each)`);
    }
    console.log(`  provider calls while timing: ${providerCalls} (${PROVIDER_CALLS} per uncached search, none per cached one)`);
    console.log(
      `discovery cache: uncached ${uncached!.ms.toFixed(1)} ms/call, cached ${cached!.ms.toFixed(3)} ms/call ` +
        `(ratio ${(uncached!.ms / cached!.ms).toFixed(0)}x uncached/cached)`,
    );
  } finally {
    await fake.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runDiscovery();
