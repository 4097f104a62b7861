/**
 * Loads a plugin module by name: `plugins/<name>.ts`, whose default export is the plugin. The
 * import is a pattern, so adding a plugin is one file here plus its plugins.yaml entry (esbuild
 * bundles every file the pattern matches; tsc and Node resolve it at run time). The name was
 * checked against plugins.yaml first, and is checked again here as a path segment.
 */
import type { CapabilityPlugin } from '../../domain/capabilities/plugin.ts';

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export async function loadPlugin(name: string): Promise<CapabilityPlugin> {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a plugin name (lower-case words joined by dashes).`);
  const module = (await import(`./plugins/${name}.ts`)) as { default?: CapabilityPlugin };
  const plugin = module.default;
  if (!plugin || plugin.name !== name) throw new Error(`plugins/${name}.ts must export its plugin as the default export, named "${name}".`);
  return plugin;
}

/**
 * The packages of `names` this process cannot resolve. Resolved from this module, as the plugin's
 * own `import()` would be: in a Lambda bundle that leaves them out, they are missing.
 */
export function missingPackages(names: readonly string[]): string[] {
  return names.filter((name) => {
    try {
      import.meta.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}
