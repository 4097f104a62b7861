/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`; serverless-esbuild
 * `require`s this file, which Node 22 allows for an ES module). Each function's entry is a
 * generated file (adapters/aws/entries/, see adapters/aws/lambda-entries.ts).
 *
 * app/project.ts finds the project root at run time by walking up from its own file to the
 * directory holding host.json AND package.json, then reads them. A Lambda zip has no such
 * directory: serverless-esbuild drops package.json from every zip, whatever `package.patterns`
 * says. So inside app/project.ts, and only there, `node:fs` is served from the two files as they
 * were when the bundle was built; its code runs unchanged.
 */
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Each Lambda entry's chunks go to a folder of their own beside it (`chunks-<function>/`), so a
 * function's zip takes its own chunks and none of the others' (serverless.yml says so per
 * function, from chunkFolderOf). serverless-esbuild builds one entry per esbuild run.
 */
export const chunkFolders: Plugin = {
  name: 'portico-chunk-folders',
  setup(build) {
    const entries = build.initialOptions.entryPoints;
    const [only] = Array.isArray(entries) && entries.length === 1 ? entries : [];
    if (typeof only === 'string') build.initialOptions.chunkNames = `chunks-${basename(only).replace(SOURCE_EXTENSION, '')}/[name]-[hash]`;
  },
};

const SOURCE_EXTENSION = /\.(ts|mts|js|mjs)$/;

export default [embedProjectFiles, chunkFolders];
