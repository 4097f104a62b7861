/**
 * What the discovery routes share in one instance: the provider set, the two-layer cache, the
 * providers' last calls and the pipeline. The search, the stream and the health route are bound
 * separately, but with one deps object per service (app/app.ts depsOf), so keying on it gives
 * them one cache and one view of the providers.
 */
import type { LanguageModel } from '../../domain/ai.ts';
import type { DiscoveryProviders, ProviderSettings } from '../../domain/discovery/ports.ts';
import type { Metrics } from '../../domain/metrics.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { Logger } from '../../middleware/logger.ts';
import { createDiscoveryCache, type DiscoveryCache } from './cache.ts';
import { createPipeline, type Pipeline } from './pipeline.ts';
import { createProviderHealth, type ProviderHealth } from './provider-health.ts';
import type { DiscoverySettings } from './settings.ts';

export interface DiscoveryDeps {
  documents: DocumentStore;
  clock: Clock;
  metrics: Metrics;
  model: LanguageModel;
  logger: Logger;
  discoveryProviders(settings: ProviderSettings): Promise<DiscoveryProviders>;
  settings: DiscoverySettings;
}

export interface DiscoveryRuntime {
  providers: DiscoveryProviders;
  cache: DiscoveryCache;
  health: ProviderHealth;
  pipeline: Pipeline;
}

const runtimes = new WeakMap<DiscoveryDeps, Promise<DiscoveryRuntime>>();

async function createRuntime(deps: DiscoveryDeps): Promise<DiscoveryRuntime> {
  const { settings } = deps;
  const providers = await deps.discoveryProviders(settings.providers);
  const cache = createDiscoveryCache({ documents: deps.documents, clock: deps.clock, maxEntries: settings.cache.maxEntries, metrics: deps.metrics, log: deps.logger });
  const health = createProviderHealth(deps.clock);
  const pipeline = createPipeline({ model: deps.model, metrics: deps.metrics, cache, health, providers, settings });
  return { providers, cache, health, pipeline };
}

/** The instance's runtime for these deps, made on first use; a failed start is not kept. */
export function runtimeOf(deps: DiscoveryDeps): Promise<DiscoveryRuntime> {
  let runtime = runtimes.get(deps);
  if (!runtime) {
    runtime = createRuntime(deps);
    runtimes.set(deps, runtime);
    runtime.catch(() => runtimes.delete(deps));
  }
  return runtime;
}
