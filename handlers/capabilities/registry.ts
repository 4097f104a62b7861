/**
 * The plugin registry: plugins.yaml's entries, each with its module (loaded once, on first
 * use), listed with its input schema, health-checked, and run with its input validated by ajv
 * first. The one way a plugin is called, by the sync routes and the async job alike.
 */
import { pluginDisabled, pluginNotFound, pluginUnavailable } from '../../domain/capabilities/errors.ts';
import type { PluginsConfig } from '../../domain/capabilities/config.ts';
import type { CapabilityPlugin, HealthContext, PluginConfig, PluginContext, PluginHealth, PluginResult, ProcessingMode } from '../../domain/capabilities/plugin.ts';
import { badRequest } from '../../domain/errors.ts';
import { assertValid, compileSchema } from '../../middleware/validation.ts';

export interface RegistryDeps {
  config: PluginsConfig;
  /** Imports a plugin module by name (adapters/capabilities/load-plugin.ts). */
  load(name: string): Promise<CapabilityPlugin>;
  /** Which of these packages this deployment cannot load (none, when not given). */
  missingPackages?(names: readonly string[]): Promise<string[]>;
  /** The optional ports GET /api/v1/health tells the plugins about (a call's own context is used when it runs). */
  health?: HealthContext;
}

export interface PluginListing {
  name: string;
  display_name: string;
  category: string;
  mode: ProcessingMode;
  enabled: boolean;
  max_file_size: number;
  supported_formats: readonly string[];
  limits: Readonly<Record<string, number>>;
  input_schema: Record<string, unknown>;
}

export interface PluginStatus extends PluginHealth {
  name: string;
  display_name: string;
  category: string;
  enabled: boolean;
}

export type CallMode = 'sync' | 'async';

const allows = (mode: ProcessingMode, call: CallMode) => mode === 'both' || mode === call;

export function createRegistry(deps: RegistryDeps) {
  const modules = new Map<string, Promise<CapabilityPlugin>>();
  const names = Object.keys(deps.config.plugins);

  function module(name: string): Promise<CapabilityPlugin> {
    let loading = modules.get(name);
    if (!loading) {
      loading = deps.load(name);
      // A failed import is not cached: the next call tries again.
      loading.catch(() => modules.delete(name));
      modules.set(name, loading);
    }
    return loading;
  }

  const configOf = (name: string): PluginConfig | undefined => (Object.hasOwn(deps.config.plugins, name) ? deps.config.plugins[name] : undefined);

  /** The enabled plugin and its configuration, or 404 `plugin_not_found` / `plugin_disabled`. */
  async function resolve(name: string): Promise<{ plugin: CapabilityPlugin; config: PluginConfig }> {
    const config = configOf(name);
    if (!config) throw pluginNotFound(name);
    if (!config.enabled) throw pluginDisabled(name);
    return { plugin: await module(name), config };
  }

  // A deployment's packages do not change while it runs: resolved once per plugin, not on every call.
  const missingByPlugin = new Map<string, Promise<string[]>>();
  const missingOf = (plugin: CapabilityPlugin): Promise<string[]> => {
    if (!plugin.packages || !deps.missingPackages) return Promise.resolve([]);
    let missing = missingByPlugin.get(plugin.name);
    if (!missing) {
      missing = deps.missingPackages(plugin.packages);
      missingByPlugin.set(plugin.name, missing);
    }
    return missing;
  };

  async function healthOf(plugin: CapabilityPlugin, config: PluginConfig, context: HealthContext): Promise<PluginHealth> {
    const missing = await missingOf(plugin);
    if (missing.length > 0) return { healthy: false, reason: `this deployment does not ship ${missing.join(', ')} (see handlers/capabilities/README.md, "Where plugins run")` };
    if (!plugin.health) return { healthy: true };
    try {
      return await plugin.health(config, context);
    } catch (error) {
      return { healthy: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    names,
    /** Imports every configured module: a name without one stops the start-up, naming it. */
    async check(): Promise<void> {
      for (const name of names) {
        try {
          await module(name);
        } catch (error) {
          throw new Error(`plugins.${name}: no plugin module adapters/capabilities/plugins/${name}.ts loads (${(error as Error).message.split('\n')[0]})`);
        }
      }
    },

    async list(): Promise<PluginListing[]> {
      return Promise.all(
        names.map(async (name) => {
          const config = configOf(name)!;
          const plugin = await module(name);
          return {
            name, display_name: plugin.display_name, category: plugin.category, mode: plugin.mode, enabled: config.enabled,
            max_file_size: config.max_file_size, supported_formats: config.supported_formats, limits: plugin.limits, input_schema: plugin.inputSchema,
          };
        }),
      );
    },

    async health(): Promise<PluginStatus[]> {
      return Promise.all(
        names.map(async (name) => {
          const config = configOf(name)!;
          const plugin = await module(name);
          const head = { name, display_name: plugin.display_name, category: plugin.category, enabled: config.enabled };
          return config.enabled ? { ...head, ...(await healthOf(plugin, config, deps.health ?? {})) } : { ...head, healthy: false, reason: 'disabled in plugins.yaml' };
        }),
      );
    },

    /** An enabled plugin's input schema (to read a multipart body by), or the 404 that says why not. */
    async prepareSchema(name: string): Promise<Record<string, unknown>> {
      return (await resolve(name)).plugin.inputSchema;
    },

    /** The plugin, ready to run as `call`: enabled, of that mode, its input valid; else the 4xx that says why. */
    async prepare(name: string, input: unknown, call: CallMode): Promise<{ plugin: CapabilityPlugin; config: PluginConfig }> {
      const resolved = await resolve(name);
      if (!allows(resolved.plugin.mode, call)) {
        throw badRequest('mode_not_supported', call === 'sync'
          ? `The plugin "${name}" runs only as a job: POST /api/v1/jobs.`
          : `The plugin "${name}" runs only synchronously: POST /api/v1/plugins/${name}.`);
      }
      assertValid('body/input', compileSchema(resolved.plugin.inputSchema), input);
      return resolved;
    },

    /** Runs a prepared plugin; a plugin that says it cannot run here is 503 `plugin_unavailable`. */
    async run(prepared: { plugin: CapabilityPlugin; config: PluginConfig }, input: unknown, context: PluginContext): Promise<PluginResult> {
      const health = await healthOf(prepared.plugin, prepared.config, context.segmentation ? { segmentation: context.segmentation } : {});
      if (!health.healthy) throw pluginUnavailable(prepared.plugin.name, health.reason ?? 'its health check failed');
      return prepared.plugin.process(input as never, context);
    },
  };
}

export type PluginRegistry = ReturnType<typeof createRegistry>;
