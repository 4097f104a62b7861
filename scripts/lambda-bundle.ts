/**
 * One function's Lambda bundle, built exactly as `npm run package:aws` builds it (the esbuild
 * options of the generated serverless.yml and its plugins, which generate the entry), and what it
 * loads at import: the bundle plus the chunks it imports statically. The cold-start benchmark and
 * the bundle tests measure the same thing through this module.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import plugins from '../adapters/aws/esbuild-plugins.ts';
import { serverlessConfig } from '../adapters/aws/serverless-config.ts';
import { functions } from '../app/functions.ts';
import { entryFileOf } from '../adapters/aws/lambda-entries.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The esbuild options serverless-esbuild derives from the template's `custom.esbuild` (its own keys dropped). */
export function templateEsbuildOptions(): BuildOptions {
  const { esbuild } = (serverlessConfig(functions) as unknown as { custom: { esbuild: Record<string, unknown> } }).custom;
  const { outputFileExtension, plugins: _path, exclude, packager: _packager, concurrency: _concurrency, skipRebuild: _skipRebuild, ...options } = esbuild;
  // serverless-esbuild passes `exclude` to esbuild as externals (and does not package them).
  const external = [...((options.external as string[] | undefined) ?? []), ...((exclude as string[] | undefined) ?? [])];
  return { ...(options as BuildOptions), external, outExtension: { '.js': String(outputFileExtension) }, metafile: true, logLevel: 'warning', absWorkingDir: root };
}

export interface BuiltBundle {
  /** Absolute path of the bundle's entry file. */
  file: string;
  /** Bytes of JavaScript read at import: the bundle and every chunk reachable by static imports. */
  loadedBytes: number;
  /** Source files (project paths and node_modules paths) in what is read at import. */
  loadedInputs: string[];
  /** Source files anywhere in the output, the lazily loaded chunks included. */
  allInputs: string[];
}

/** What a bundle reads at import, from its metafile. */
export function staticClosure(metafile: Metafile, entry: string): { bytes: number; inputs: string[] } {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && metafile.outputs[imported.path]) stack.push(imported.path);
  }
  const outputs = [...seen].map((file) => metafile.outputs[file]!);
  return { bytes: outputs.reduce((sum, output) => sum + output.bytes, 0), inputs: [...new Set(outputs.flatMap((output) => Object.keys(output.inputs)))] };
}

function analyse(metafile: Metafile): BuiltBundle {
  // The entry is the one output outside the chunk folders (a dynamic import's chunk is an entry point too).
  const entry = Object.keys(metafile.outputs).find((file) => !file.includes('/chunks') && file.endsWith('.mjs'))!;
  const { bytes, inputs } = staticClosure(metafile, entry);
  return {
    file: join(root, entry),
    loadedBytes: bytes,
    loadedInputs: inputs,
    allInputs: [...new Set(Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs)))],
  };
}

/** Builds the bundle of the function named `name` (from its generated entry, which exports `handler`) into `outdir`. */
export async function buildFunctionBundle(name: string, outdir: string): Promise<BuiltBundle> {
  const def = functions.find((candidate) => candidate.name === name);
  if (!def?.handler || def.localOnly) throw new Error(`No deployable function named ${name}.`);
  const result = await build({ ...templateEsbuildOptions(), entryPoints: [entryFileOf(def)], plugins, outdir });
  return analyse(result.metafile!);
}

/** Builds any source (a baseline) with the same options, without splitting's entry generation. */
export async function buildSource(contents: string, outdir: string): Promise<BuiltBundle> {
  const result = await build({ ...templateEsbuildOptions(), stdin: { contents, resolveDir: root, loader: 'js', sourcefile: 'baseline.mjs' }, splitting: false, outdir });
  return analyse(result.metafile!);
}
