/**
 * GET /api/underfoot/health: what the upstream's health never showed. Each provider: whether it
 * is configured and this instance's last call to it (outcome, upstream status, latency); Cosmos
 * DB; the model; and each cache layer's entries and hit ratio. Always 200 (the upstream's
 * frontend reads the body): `degraded` names trouble without making a load balancer drop the
 * instance, which the platform's own /api/health is for.
 */
import type { LanguageModel } from '../../domain/ai.ts';
import { probe, type DependencyCheck } from '../../middleware/dependency-probe.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { runtimeOf, type DiscoveryDeps } from './runtime.ts';

export interface HealthDeps extends DiscoveryDeps {
  dependencyChecks: Record<string, DependencyCheck>;
  config: { healthTimeoutMs: number };
  model: LanguageModel;
}

/** The providers a report lists, by the source (or role) they serve. */
const SOURCE_PROVIDERS = { serpapi: 'serp', reddit: 'reddit', eventbrite: 'eventbrite' } as const;

export const health = (deps: HealthDeps): PorticoHttpHandler => async () => {
  const started = performance.now();
  const { providers, health: calls, cache } = await runtimeOf(deps);
  const cosmosCheck = deps.dependencyChecks.cosmos;
  const [cosmos, stats] = await Promise.all([cosmosCheck ? probe(cosmosCheck, deps.config.healthTimeoutMs) : undefined, cache.stats()]);

  const report = (provider: string | undefined, configured: boolean) => ({
    ...(provider ? { provider } : {}),
    configured,
    last: provider && configured ? calls.last(provider) : null,
  });
  const geocoder = providers.geocoder.provider;
  const dependencies: Record<string, unknown> = {
    cosmos: cosmos ? { status: cosmos.status, latency_ms: cosmos.latencyMs } : { status: 'not_configured' },
    geocoder: report(geocoder, geocoder !== 'none'),
    model: { provider: deps.model.provider, model: deps.model.model },
  };
  for (const [name, source] of Object.entries(SOURCE_PROVIDERS)) {
    const configured = providers.sources.find((candidate) => candidate.source === source);
    dependencies[name] = report(configured?.provider, Boolean(configured));
  }
  const failing = [geocoder, ...providers.sources.map((source) => source.provider)].some((provider) => {
    const last = calls.last(provider);
    return last !== null && last.outcome !== 'ok';
  });
  const degraded = cosmos?.status === 'down' || failing;
  return json(200, {
    status: degraded ? 'degraded' : 'healthy',
    timestamp: deps.clock.now().toISOString(),
    elapsed_ms: Math.round(performance.now() - started),
    sample_data: providers.sampleData,
    dependencies,
    cache: stats,
  });
};
