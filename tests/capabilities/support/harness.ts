/**
 * Runs one capability plugin the way the service does (plugins.yaml entry, registry, input
 * validated by ajv, a real plugin context) on in-memory blobs, and reads its outputs back by URL.
 *
 *   const { result, read } = await runPlugin('image-compress', { image_base64, options: { format: 'png' } });
 *   const { bytes, contentType } = await read(result.output_url as string);
 *
 * The end-to-end tests on the local host (tests/capabilities/*.e2e.test.ts) go through the routes instead.
 */
import { OfflineLanguageModel } from '../../../adapters/ai/offline-model.ts';
import { loadPlugin } from '../../../adapters/capabilities/load-plugin.ts';
import { readPluginsFile } from '../../../handlers/capabilities/plugins-file.ts';
import { MemoryBlobStore } from '../../../adapters/memory/blobs.ts';
import type { LanguageModel } from '../../../domain/ai.ts';
import type { PluginConfig, PluginResult, SourceFile } from '../../../domain/capabilities/plugin.ts';
import type { FileFetcher } from '../../../domain/capabilities/ports.ts';
import type { BackgroundRemover } from '../../../domain/wardrobe/media.ts';
import { createDeadline, createPluginContext } from '../../../handlers/capabilities/context.ts';
import { createRegistry } from '../../../handlers/capabilities/registry.ts';

export const PUBLIC_BASE = 'https://cdn.example.test/assets';
const CONTAINER = 'capabilities-output';

export interface RunOptions {
  /** Replaces keys of the plugin's plugins.yaml entry (options are merged). */
  config?: Partial<PluginConfig>;
  upload?: SourceFile;
  model?: LanguageModel;
  segmentation?: BackgroundRemover;
  files?: FileFetcher;
  deadlineMs?: number;
  call?: 'sync' | 'async';
  /** Receives every key written, also when the call is refused (to prove a refusal wrote nothing). */
  written?: string[];
}

const noFetch: FileFetcher = {
  fetchFile: async () => {
    throw new Error('no URL fetching in this test');
  },
};

export async function runPlugin(name: string, input: unknown, options: RunOptions = {}) {
  const file = readPluginsFile();
  const base = file.plugins[name];
  if (!base) throw new Error(`config/plugins.yaml has no entry for ${name}`);
  const config: PluginConfig = { ...base, ...options.config, options: { ...base.options, ...options.config?.options } };
  const registry = createRegistry({
    config: { plugins: { [name]: config } },
    load: loadPlugin,
    ...(options.segmentation ? { health: { segmentation: options.segmentation } } : {}),
  });
  const blobs = new MemoryBlobStore();
  const written: string[] = options.written ?? [];
  const prepared = await registry.prepare(name, input, options.call ?? 'sync');
  const context = createPluginContext({
    config,
    blobs,
    files: options.files ?? noFetch,
    model: options.model ?? new OfflineLanguageModel(),
    ...(options.segmentation ? { segmentation: options.segmentation } : {}),
    output: { container: CONTAINER, prefix: 'uploads/', publicBaseUrl: PUBLIC_BASE, signedUrlTtlSeconds: 600 },
    log: { info: () => undefined, warn: () => undefined },
    deadline: createDeadline(options.deadlineMs ?? 60_000),
    ...(options.upload ? { upload: options.upload } : {}),
    onOutput: (key) => written.push(key),
  });
  const result: PluginResult = await registry.run(prepared, input, context);
  return {
    result,
    /** Every key written, in order. */
    written,
    async read(url: string) {
      if (!url.startsWith(`${PUBLIC_BASE}/`)) throw new Error(`not an output URL: ${url}`);
      const blob = await blobs.get(CONTAINER, url.slice(PUBLIC_BASE.length + 1));
      if (!blob) throw new Error(`no output at ${url}`);
      return blob;
    },
  };
}
