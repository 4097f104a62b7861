/**
 * The registry and plugins.yaml: a bad file stops the start naming the key; an unknown or
 * disabled plugin is a 404 with its own code; input is refused by the plugin's schema before it
 * runs; modes are kept; a plugin whose run-time package is missing is unhealthy and refused.
 */
import { describe, expect, it } from '@jest/globals';
import { loadPlugin, missingPackages } from '../../adapters/capabilities/load-plugin.ts';
import { RUNTIME_PACKAGES } from '../../adapters/capabilities/runtime-packages.ts';
import { PluginsConfigError } from '../../domain/capabilities/config.ts';
import { definePlugin, serviceStatus, type CapabilityPlugin } from '../../domain/capabilities/plugin.ts';
import { parsePluginsYaml, readPluginsFile } from '../../handlers/capabilities/plugins-file.ts';
import { createRegistry } from '../../handlers/capabilities/registry.ts';
import { loadCapabilitiesSettings } from '../../handlers/capabilities/settings.ts';
import { ConfigError } from '../../kernel/env.ts';
import { runPlugin } from './support/harness.ts';

const entry = (extra = '') => `plugins:\n  image-compress:\n    enabled: true\n    max_file_size: 1000\n${extra}`;

describe('plugins.yaml', () => {
  it('reads the shipped file: every entry has a module, and every module lists only known run-time packages', async () => {
    const config = readPluginsFile();
    const registry = createRegistry({ config, load: loadPlugin });
    await expect(registry.check()).resolves.toBeUndefined();
    for (const name of registry.names) {
      const plugin = await loadPlugin(name);
      expect(RUNTIME_PACKAGES).toEqual(expect.arrayContaining([...(plugin.packages ?? [])]));
    }
    expect(registry.names.length).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ['not YAML', 'plugins: [unclosed', /config\/plugins\.yaml: is not valid YAML \(line 1\)/],
    ['a duplicate key', `${entry()}  image-compress:\n    max_file_size: 5\n`, /not valid YAML/],
    ['an unknown top-level key', `${entry()}extra: 1\n`, /^extra: is not a known key/],
    ['an unknown entry key', entry('    max_size: 5\n'), /^plugins\.image-compress\.max_size: is not a known key/],
    ['a bad size', 'plugins:\n  image-compress:\n    max_file_size: -5\n', /^plugins\.image-compress\.max_file_size: must be a whole number/],
    ['a bad enabled', entry('    enabled: yes please\n').replace('    enabled: true\n', ''), /^plugins\.image-compress\.enabled: must be true or false/],
    ['bad formats', entry('    supported_formats: jpg\n'), /^plugins\.image-compress\.supported_formats: must be a list/],
    ['a bad name', 'plugins:\n  Image_Compress:\n    max_file_size: 5\n', /^plugins\.Image_Compress: a plugin name is lower-case/],
    ['options not a mapping', entry('    options: [1, 2]\n'), /^plugins\.image-compress\.options: must be a mapping/],
  ])('refuses %s, naming the key', (_what, text, message) => {
    expect(() => parsePluginsYaml(text)).toThrow(PluginsConfigError);
    expect(() => parsePluginsYaml(text)).toThrow(message);
  });

  it('stops the service settings (and so the start) with CAPABILITIES_PLUGINS_FILE named', () => {
    expect(() => loadCapabilitiesSettings({ CAPABILITIES_PLUGINS_FILE: 'no/such/plugins.yaml' })).toThrow(ConfigError);
    expect(() => loadCapabilitiesSettings({ CAPABILITIES_PLUGINS_FILE: 'no/such/plugins.yaml' })).toThrow(/CAPABILITIES_PLUGINS_FILE.*cannot be read \(ENOENT\)/);
  });

  it('names an entry without a module when the registry is checked', async () => {
    const registry = createRegistry({ config: parsePluginsYaml('plugins:\n  image-teleport:\n    max_file_size: 5\n'), load: loadPlugin });
    await expect(registry.check()).rejects.toThrow(/plugins\.image-teleport: no plugin module adapters\/capabilities\/plugins\/image-teleport\.ts loads/);
  });
});

describe('the registry', () => {
  const echo: CapabilityPlugin = definePlugin<{ text: string }>({
    name: 'echo',
    display_name: 'Echo',
    category: 'ai',
    mode: 'sync',
    limits: {},
    inputSchema: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', maxLength: 5 } } },
    process: async (input) => ({ text: input.text }),
  }) as CapabilityPlugin;
  const config = (enabled: boolean) => ({ plugins: { echo: { enabled, max_file_size: 10, supported_formats: [], options: {} } } });
  const registryOf = (enabled = true, missing: string[] = []) =>
    createRegistry({ config: config(enabled), load: async () => ({ ...echo, packages: ['left-out'] }), missingPackages: async () => missing });

  it('answers 404 plugin_not_found and plugin_disabled, and lists a disabled plugin as unhealthy', async () => {
    await expect(registryOf().prepare('nope', {}, 'sync')).rejects.toMatchObject({ status: 404, code: 'plugin_not_found' });
    await expect(registryOf(false).prepare('echo', { text: 'hi' }, 'sync')).rejects.toMatchObject({ status: 404, code: 'plugin_disabled' });
    expect(await registryOf(false).health()).toEqual([{ name: 'echo', display_name: 'Echo', category: 'ai', enabled: false, healthy: false, reason: 'disabled in plugins.yaml' }]);
  });

  it('refuses input by the plugin\'s schema, with the field named, and keeps its mode', async () => {
    await expect(registryOf().prepare('echo', { text: 'too long' }, 'sync')).rejects.toMatchObject({ status: 400, code: 'validation_failed', errors: [{ pointer: '/body/input/text' }] });
    await expect(registryOf().prepare('echo', { text: 'hi', extra: 1 }, 'sync')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(registryOf().prepare('echo', { text: 'hi' }, 'async')).rejects.toMatchObject({ status: 400, code: 'mode_not_supported' });
    await expect(registryOf().prepare('echo', { text: 'hi' }, 'sync')).resolves.toMatchObject({ plugin: { name: 'echo' } });
  });

  it('reports a plugin whose run-time package is missing as unhealthy, and refuses to run it (503)', async () => {
    const registry = registryOf(true, ['left-out']);
    expect((await registry.health())[0]).toMatchObject({ healthy: false, reason: expect.stringContaining('does not ship left-out') });
    const prepared = await registry.prepare('echo', { text: 'hi' }, 'sync');
    await expect(registry.run(prepared, { text: 'hi' }, {} as never)).rejects.toMatchObject({ status: 503, code: 'plugin_unavailable' });
  });

  it('resolves packages as a plugin import would: installed ones are present, others missing', async () => {
    expect(await Promise.resolve(missingPackages(['sharp', 'pdfjs-dist', 'no-such-package-xyz']))).toEqual(['no-such-package-xyz']);
  });

  it('lists the real plugins with their schemas, modes and limits', async () => {
    const registry = createRegistry({ config: readPluginsFile(), load: loadPlugin });
    const compress = (await registry.list()).find((plugin) => plugin.name === 'image-compress')!;
    expect(compress).toMatchObject({ category: 'image', mode: 'both', enabled: true, max_file_size: 52_428_800, input_schema: { properties: { image_url: {}, image_base64: {}, options: {} } } });
  });

  it('runs image-compress through the harness, refusing base64 that is not base64', async () => {
    await expect(runPlugin('image-compress', { image_base64: 'not base64!' })).rejects.toMatchObject({ status: 400, code: 'invalid_input' });
  });

  it('is degraded only by an enabled plugin that is configured and cannot run', async () => {
    expect(serviceStatus([{ enabled: true, healthy: true }, { enabled: false, healthy: false }])).toBe('healthy');
    expect(serviceStatus([{ enabled: true, healthy: false, reason: 'no segmentation service', configured: false }])).toBe('healthy');
    expect(serviceStatus([{ enabled: true, healthy: false, reason: 'this deployment does not ship sharp' }])).toBe('degraded');
    const removeBackground = await loadPlugin('image-remove-background');
    const config = readPluginsFile().plugins['image-remove-background']!;
    expect(await removeBackground.health!(config, {})).toMatchObject({ healthy: false, configured: false });
  });
});
