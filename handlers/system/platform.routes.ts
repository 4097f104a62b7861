/**
 * The platform's own routes: health with each dependency's latency, the API document, and the
 * CORS preflight answer.
 */
import { downDependencies, summarizeHealth } from '../../domain/health.ts';
import { probe, type DependencyCheck } from '../../middleware/dependency-probe.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';


export interface HealthDeps {
  /** `pendingMigrations` when the app has a ledger to read (the app's catalog always has). */
  catalog: { version: string; pendingMigrations?(): Promise<readonly string[]> };
  dependencyChecks: Record<string, DependencyCheck>;
  config: { healthTimeoutMs: number };
}

/** GET /api/health: 200 when every dependency answers in time, 503 naming the ones that did not. */
export const health = (deps: HealthDeps): PorticoHttpHandler => async (_event, context) => {
  const { pendingMigrations: pending } = deps.catalog;
  const [entries, migrations] = await Promise.all([
    Promise.all(Object.entries(deps.dependencyChecks).map(async ([name, check]) => [name, await probe(check, deps.config.healthTimeoutMs)] as const)),
    pending && pendingMigrations(() => pending.call(deps.catalog), deps.config.healthTimeoutMs),
  ]);
  const report = summarizeHealth(deps.catalog.version, Object.fromEntries(entries));
  const down = downDependencies(report);
  if (down.length > 0) context.log.warn({ down }, 'dependencies down');
  return json(down.length > 0 ? 503 : 200, migrations ? { ...report, migrations } : report);
};

/**
 * Pending schema migrations are reported, never a reason to be unhealthy: reads accept documents one
 * version behind. An unreadable ledger is `unavailable` (the store's own check says why).
 */
async function pendingMigrations(read: () => Promise<readonly string[]>, timeoutMs: number): Promise<{ pending: readonly string[] } | { error: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const timeout = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('timeout')), { once: true }));
    return { pending: await Promise.race([read(), timeout]) };
  } catch {
    return { error: signal.aborted ? 'timeout' : 'unavailable' };
  }
}

/** GET /api/openapi.json: the API document, built from the function table once per cold start. */
export const openApi = (deps: { catalog: { openApiDocument(): unknown } }): PorticoHttpHandler => async () =>
  json(200, deps.catalog.openApiDocument(), { 'cache-control': 'public, max-age=300' });

/** OPTIONS on any route: the CORS middleware adds the allow-* headers for listed origins; the answer itself is empty. */
export const preflight = (): PorticoHttpHandler => async () => ({ statusCode: 204, headers: {}, body: '' });
