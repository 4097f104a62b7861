/**
 * The platform's own routes: health with each dependency's latency, the API document, and the
 * CORS preflight answer.
 */
import { downDependencies, summarizeHealth, type QueueDepth, type SystemResources } from '../../domain/health.ts';
import type { MessageQueue } from '../../domain/ports.ts';
import { probe, type DependencyCheck } from '../../middleware/dependency-probe.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';

export interface HealthDeps {
  /**
   * `pendingMigrations` when the app has a ledger to read, `healthQueues` the queues services
   * declared (the app's catalog always has both).
   */
  catalog: { version: string; pendingMigrations?(): Promise<readonly string[]>; healthQueues?: readonly string[] };
  dependencyChecks: Record<string, DependencyCheck>;
  config: { healthTimeoutMs: number };
  /** This instance's resources (the app's ports have it); absent: not reported. */
  systemResources?: () => Promise<SystemResources>;
  /** Where the depths of `catalog.healthQueues` are read. */
  queue?: Pick<MessageQueue, 'count'>;
}

/**
 * GET /api/health: 200 when every dependency answers in time, 503 naming the ones that did not.
 * Beside them, for operators: this instance's resources, the declared queues' depths and pending
 * migrations; none of these makes the service unhealthy (a queue that cannot be read is a
 * storage problem, which the storage dependency reports).
 */
export const health = (deps: HealthDeps): PorticoHttpHandler => async (_event, context) => {
  const { pendingMigrations: pending, healthQueues = [] } = deps.catalog;
  const timeoutMs = deps.config.healthTimeoutMs;
  const { queue, systemResources } = deps;
  const [entries, migrations, system, queues] = await Promise.all([
    Promise.all(Object.entries(deps.dependencyChecks).map(async ([name, check]) => [name, await probe(check, timeoutMs)] as const)),
    pending && withDeadline(async () => ({ pending: await pending.call(deps.catalog) }), timeoutMs),
    systemResources && systemResources().catch(() => undefined),
    queue && healthQueues.length > 0
      ? Promise.all(healthQueues.map(async (name) => [name, await withDeadline(async () => ({ depth: await queue.count(name) }), timeoutMs)] as const))
      : undefined,
  ]);
  const report = summarizeHealth(deps.catalog.version, Object.fromEntries(entries));
  const down = downDependencies(report);
  if (down.length > 0) context.log.warn({ down }, 'dependencies down');
  return json(down.length > 0 ? 503 : 200, {
    ...report,
    ...(migrations ? { migrations } : {}),
    ...(system ? { system } : {}),
    ...(queues ? { queues: Object.fromEntries(queues) as Record<string, QueueDepth> } : {}),
  });
};

/**
 * A read for the report within the health deadline; a failure is `unavailable` (the store's own
 * check says why) and a slow one `timeout`. Pending migrations use it too: they are reported,
 * never a reason to be unhealthy, as reads accept documents one version behind.
 */
async function withDeadline<T extends object>(read: () => Promise<T>, timeoutMs: number): Promise<T | { error: 'timeout' | 'unavailable' }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const timeout = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('timeout')), { once: true }));
    return await Promise.race([read(), timeout]);
  } catch {
    return { error: signal.aborted ? 'timeout' : 'unavailable' };
  }
}

/** GET /api/openapi.json: the API document, built from the function table once per cold start. */
export const openApi = (deps: { catalog: { openApiDocument(): unknown } }): PorticoHttpHandler => async () =>
  json(200, deps.catalog.openApiDocument(), { 'cache-control': 'public, max-age=300' });

/** OPTIONS on any route: the CORS middleware adds the allow-* headers for listed origins; the answer itself is empty. */
export const preflight = (): PorticoHttpHandler => async () => ({ statusCode: 204, headers: {}, body: '' });
