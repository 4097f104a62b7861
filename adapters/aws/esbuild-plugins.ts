/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`; serverless-esbuild
 * `require`s this file, which Node 22 allows for an ES module).
 *
 * `wrapStreamingHandlers`: the entry of a `stream: true` function exports its handler wrapped in
 * `streamingLambda` (adapters/aws/lambda-stream.ts), Lambda's response streaming. The handler
 * module stays the one every runtime runs; only the Lambda bundle's entry changes.
 *
 * app/project.ts finds the project root at run time by walking up from its own file to the
 * directory holding host.json AND package.json, then reads them. A Lambda zip has no such
 * directory: serverless-esbuild drops package.json from every zip, whatever `package.patterns`
 * says. So inside app/project.ts, and only there, `node:fs` is served from the two files as they
 * were when the bundle was built; its code runs unchanged. Drop this once app/project.ts imports
 * the JSON (`with { type: 'json' }`), which esbuild inlines by itself.
 */
import type { Plugin } from 'esbuild';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDef } from '../../kernel/functions.ts';
import { handlerReference } from '../../app/load-handler.ts';
import type { StreamRoute } from './lambda-stream.ts';

/** The files app/project.ts may read, embedded at bundle time. */
export const EMBEDDED_PROJECT_FILES = ['host.json', 'package.json'] as const;

const PROJECT_MODULE = /[\\/]app[\\/]project\.ts$/;
const NAMESPACE = 'portico-project-files';

/** An ES module with the `node:fs` functions app/project.ts uses, answering from `files` by base name. */
export function embeddedFsModule(files: Record<string, string>): string {
  return [
    `const files = ${JSON.stringify(files)};`,
    `const baseName = (path) => String(path).split(/[\\\\/]/).pop();`,
    `export const existsSync = (path) => Object.hasOwn(files, baseName(path));`,
    `export function readFileSync(path) {`,
    `  const name = baseName(path);`,
    `  if (!Object.hasOwn(files, name)) throw Object.assign(new Error('ENOENT: not embedded in this bundle: ' + path), { code: 'ENOENT' });`,
    `  return files[name];`,
    `}`,
  ].join('\n');
}

export const embedProjectFiles: Plugin = {
  name: 'portico-embed-project-files',
  setup(build) {
    const root = new URL('../../', import.meta.url);
    build.onResolve({ filter: /^(node:)?fs$/ }, (args) => (PROJECT_MODULE.test(args.importer) ? { path: 'fs', namespace: NAMESPACE } : undefined));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => {
      const paths = EMBEDDED_PROJECT_FILES.map((name) => fileURLToPath(new URL(name, root)));
      return {
        contents: embeddedFsModule(Object.fromEntries(EMBEDDED_PROJECT_FILES.map((name, i) => [name, readFileSync(paths[i]!, 'utf8')]))),
        loader: 'js',
        // serverless-offline's watch mode rebuilds when they change.
        watchFiles: paths,
      };
    });
  },
};

/** One streaming export of a handler module. */
export interface StreamingExport {
  exportName: string;
  route: StreamRoute;
}

/** The table's `stream: true` HTTP functions, by handler module (`handlers/system/stream`). */
export function streamingModules(table: readonly FunctionDef[]): Map<string, StreamingExport[]> {
  const modules = new Map<string, StreamingExport[]>();
  for (const def of table) {
    if (def.trigger.kind !== 'http' || !def.trigger.stream || !def.handler) continue;
    const { module, exportName } = handlerReference(def.handler);
    const route: StreamRoute = { name: def.name, method: def.trigger.method, route: def.trigger.route };
    modules.set(module, [...(modules.get(module) ?? []), { exportName, route }]);
  }
  return modules;
}

/**
 * The entry that replaces a streaming handler module in its bundle: everything the module exports,
 * with each streaming export wrapped. A local export shadows the same name from `export *`.
 */
export function streamingEntryModule(modulePath: string, wrapperPath: string, exports: readonly StreamingExport[]): string {
  return [
    `import * as original from ${JSON.stringify(modulePath)};`,
    `import { streamingLambda } from ${JSON.stringify(wrapperPath)};`,
    `export * from ${JSON.stringify(modulePath)};`,
    ...exports.map(({ exportName, route }) => `export const ${exportName} = streamingLambda(original.${exportName}, ${JSON.stringify(route)});`),
  ].join('\n');
}

const STREAM_NAMESPACE = 'portico-streaming-entry';
const SOURCE_EXTENSION = /\.(ts|mts|js|mjs)$/;

export const wrapStreamingHandlers: Plugin = {
  name: 'portico-wrap-streaming-handlers',
  async setup(build) {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // Loaded here rather than at the top, so requiring the plugins file stays cheap.
    const { functions } = await import('../../app/functions.ts');
    const modules = streamingModules(functions);
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'entry-point') return undefined;
      const given = isAbsolute(args.path) ? args.path : resolve(args.resolveDir || root, args.path);
      // Through the real path: a service folder may link to the project (the conformance suite's does).
      const absolute = existsSync(given) ? realpathSync(given) : given;
      const exports = modules.get(relative(root, absolute).replace(/\\/g, '/').replace(SOURCE_EXTENSION, ''));
      return exports ? { path: absolute, namespace: STREAM_NAMESPACE, pluginData: exports } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: STREAM_NAMESPACE }, (args) => {
      const modulePath = SOURCE_EXTENSION.test(args.path) ? args.path : `${args.path}.ts`;
      const wrapperPath = fileURLToPath(new URL('./lambda-stream.ts', import.meta.url));
      return { contents: streamingEntryModule(modulePath, wrapperPath, args.pluginData as StreamingExport[]), loader: 'js', resolveDir: root };
    });
  },
};

export default [embedProjectFiles, wrapStreamingHandlers];
