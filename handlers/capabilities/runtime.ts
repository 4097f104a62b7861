/**
 * What the capability routes and jobs share in one instance: the registry (plugin modules
 * loaded once), the output store, the SSRF-safe client and the metrics; and `call`, the one way
 * a plugin runs, for the sync routes and the job alike. Keyed on the service's deps object, so
 * every function of the service bound in this instance shares one runtime (as discovery does).
 */
import type { LanguageModel } from '../../domain/ai.ts';
import { withDeadline } from '../../domain/capabilities/deadline.ts';
import type { PluginResult, SourceFile } from '../../domain/capabilities/plugin.ts';
import type { CapabilityPluginLoader, FileFetcher, ObjectStoreSettings } from '../../domain/capabilities/ports.ts';
import { AppError } from '../../domain/errors.ts';
import type { Metrics } from '../../domain/metrics.ts';
import type { BlobStore, Clock } from '../../domain/ports.ts';
import type { PageFetchSettings } from '../../domain/wardrobe/page-fetch.ts';
import type { BackgroundRemover } from '../../domain/wardrobe/media.ts';
import type { WebhookPoster } from '../../domain/webhooks.ts';
import type { Logger } from '../../middleware/logger.ts';
import type { SegmentationSettings } from '../../kernel/segmentation.ts';
import { createDeadline, createPluginContext } from './context.ts';
import { capabilityMetrics } from './metrics.ts';
import { createRegistry, type CallMode, type PluginRegistry } from './registry.ts';
import type { CapabilitiesSettings } from './settings.ts';

export interface CapabilitiesDeps {
  settings: CapabilitiesSettings;
  model: LanguageModel;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
  safeHttp(settings: PageFetchSettings): FileFetcher & WebhookPoster;
  capabilityPlugins: CapabilityPluginLoader;
  objectStore(settings: ObjectStoreSettings | undefined): BlobStore;
  /** Background removal by the segmentation service, when SEGMENTATION_* is configured. */
  segmentation(options: SegmentationSettings): BackgroundRemover;
}

export interface CallRequest {
  plugin: string;
  input: unknown;
  mode: CallMode;
  /** The API key's name, for usage. */
  key: string;
  upload?: SourceFile;
  /** Ends the call early: the client went away, or the job's lease is running out. */
  signal?: AbortSignal;
  log: Logger;
}

export interface CallResult {
  result: PluginResult;
  executionTimeMs: number;
}

export interface CapabilitiesRuntime {
  registry: PluginRegistry;
  blobs: BlobStore;
  http: FileFetcher & WebhookPoster;
  metrics: ReturnType<typeof capabilityMetrics>;
  /** Validates, runs within the deadline, records usage; on failure removes what the call wrote. */
  call(request: CallRequest): Promise<CallResult>;
}

const runtimes = new WeakMap<CapabilitiesDeps, CapabilitiesRuntime>();


function createRuntime(deps: CapabilitiesDeps): CapabilitiesRuntime {
  const { settings } = deps;
  const segmentation = settings.segmentation ? deps.segmentation(settings.segmentation) : undefined;
  const registry = createRegistry({ config: settings.plugins, load: (name) => deps.capabilityPlugins.load(name), missingPackages: (names) => deps.capabilityPlugins.missingPackages(names), health: segmentation ? { segmentation } : {} });
  const blobs = deps.objectStore(settings.objectStore);
  const http = deps.safeHttp(settings.fetch);
  const metrics = capabilityMetrics(deps.metrics);

  async function call(request: CallRequest): Promise<CallResult> {
    const started = performance.now();
    const written: string[] = [];
    const attributes = { key: request.key, plugin: request.plugin, mode: request.mode };
    const timeoutMs = request.mode === 'sync' ? settings.syncTimeoutMs : settings.jobTimeoutMs;
    try {
      const prepared = await registry.prepare(request.plugin, request.input, request.mode);
      const deadline = createDeadline(timeoutMs, request.signal);
      const context = createPluginContext({
        config: prepared.config,
        blobs,
        files: http,
        model: deps.model,
        ...(segmentation ? { segmentation } : {}),
        output: settings.output,
        log: request.log,
        deadline,
        ...(request.upload ? { upload: request.upload } : {}),
        onOutput: (key) => written.push(key),
      });
      const result = await withDeadline(registry.run(prepared, request.input, context), deadline);
      const executionTimeMs = Math.round(performance.now() - started);
      metrics.calls.add(1, { ...attributes, outcome: 'success' });
      metrics.duration.record(executionTimeMs, { plugin: request.plugin, mode: request.mode });
      return { result, executionTimeMs };
    } catch (error) {
      metrics.calls.add(1, { ...attributes, outcome: error instanceof AppError ? error.code : 'error' });
      // A failed call leaves nothing behind (a plugin may have written some outputs before it failed).
      await Promise.all(written.map((key) => blobs.delete(settings.output.container, key).catch(() => false)));
      throw error;
    }
  }

  return { registry, blobs, http, metrics, call };
}

export function runtimeOf(deps: CapabilitiesDeps): CapabilitiesRuntime {
  let runtime = runtimes.get(deps);
  if (!runtime) {
    runtime = createRuntime(deps);
    runtimes.set(deps, runtime);
  }
  return runtime;
}
