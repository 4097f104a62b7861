/**
 * The synchronous routes: the seed's health and compress, the registry listing, and any plugin
 * by name. Errors are the platform's problem+json with `success: false` added (functions.ts sets
 * `problemExtras`), so the seed's clients can branch on `success` as before.
 */
import { serviceStatus } from '../../domain/capabilities/plugin.ts';
import type { PorticoContext, PorticoHttpEvent } from '../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import type { RateLimiter } from '../../middleware/rate-limit.ts';
import { pluginRequest } from './input.ts';
import { createQuota, type ConsumeQuota } from './quota.ts';
import { runtimeOf, type CapabilitiesDeps } from './runtime.ts';

export interface PluginRoutesDeps extends CapabilitiesDeps {
  catalog: { version: string };
  platform: { rateLimits?: { limiter: Pick<RateLimiter, 'consume'> } };
}

/** The API key's name (the routes are `apiKey`-only, so there is always one). */
export const keyOf = (context: PorticoContext): string => context.principal?.userId ?? 'anonymous';

/** GET /api/v1/health: the seed's shape; `degraded` when an enabled plugin that is configured cannot run here. */
export const health = (deps: PluginRoutesDeps): PorticoHttpHandler => async () => {
  const plugins = await runtimeOf(deps).registry.health();
  return json(200, { status: serviceStatus(plugins), version: deps.catalog.version, plugins });
};

/** GET /api/v1/plugins: every configured plugin with its mode, limits and input schema. */
export const list = (deps: PluginRoutesDeps): PorticoHttpHandler => async () => json(200, { plugins: await runtimeOf(deps).registry.list() });

/** Runs `plugin` on the request's input and answers the seed's envelope. */
async function runSync(deps: PluginRoutesDeps, quota: ConsumeQuota, plugin: string, event: PorticoHttpEvent, context: PorticoContext) {
  const runtime = runtimeOf(deps);
  const schema = (await runtime.registry.prepareSchema(plugin)) as Parameters<typeof pluginRequest>[1];
  const { input, upload } = pluginRequest(event, schema);
  const key = keyOf(context);
  await quota(key);
  const { result, executionTimeMs } = await runtime.call({ plugin, input, mode: 'sync', key, ...(upload ? { upload } : {}), log: context.log });
  return json(200, { success: true, data: result, execution_time_ms: executionTimeMs });
}

/** POST /api/v1/image/compress: the seed's Phase 1 route, image-compress by its own path. */
export const compress = (deps: PluginRoutesDeps): PorticoHttpHandler => {
  const quota = createQuota(deps.platform.rateLimits?.limiter, deps.settings);
  return async (event, context) => runSync(deps, quota, 'image-compress', event, context);
};

/** POST /api/v1/plugins/{name}: any plugin that runs synchronously. */
export const run = (deps: PluginRoutesDeps): PorticoHttpHandler => {
  const quota = createQuota(deps.platform.rateLimits?.limiter, deps.settings);
  return async (event, context) => runSync(deps, quota, event.pathParameters?.name ?? '', event, context);
};
