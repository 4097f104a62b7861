/**
 * The platform's own routes: health with each dependency's latency, the API document, and the
 * CORS preflight answer.
 */
import { downDependencies, summarizeHealth } from '../../domain/health.ts';
import { probe, type DependencyCheck } from '../../middleware/dependency-probe.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';


export interface HealthDeps {
  catalog: { version: string };
  dependencyChecks: Record<string, DependencyCheck>;
  config: { healthTimeoutMs: number };
}

/** GET /api/health: 200 when every dependency answers in time, 503 naming the ones that did not. */
export const health = (deps: HealthDeps): PorticoHttpHandler => async (_event, context) => {
  const entries = await Promise.all(
    Object.entries(deps.dependencyChecks).map(async ([name, check]) => [name, await probe(check, deps.config.healthTimeoutMs)] as const),
  );
  const report = summarizeHealth(deps.catalog.version, Object.fromEntries(entries));
  const down = downDependencies(report);
  if (down.length > 0) context.log.warn({ down }, 'dependencies down');
  return json(down.length > 0 ? 503 : 200, report);
};

/** GET /api/openapi.json: the API document, built from the function table once per cold start. */
export const openApi = (deps: { catalog: { openApiDocument(): unknown } }): PorticoHttpHandler => async () =>
  json(200, deps.catalog.openApiDocument(), { 'cache-control': 'public, max-age=300' });

/** OPTIONS on any route: the CORS middleware adds the allow-* headers for listed origins; the answer itself is empty. */
export const preflight = (): PorticoHttpHandler => async () => ({ statusCode: 204, headers: {}, body: '' });
