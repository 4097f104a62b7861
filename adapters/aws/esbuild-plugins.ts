/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`; serverless-esbuild
 * `require`s this file, which Node 22 allows for an ES module). Each function's entry is a
 * generated file (adapters/aws/entries/, see adapters/aws/lambda-entries.ts).
 *
 * Three modules read files at run time that a Lambda zip does not hold: the capability registry
 * reads config/plugins.yaml (embedded as it was at bundle time; on Lambda CAPABILITIES_PLUGINS_FILE
 * can only name that file), and these two. app/project.ts finds the
 * project root by walking up from its own file to the directory holding host.json AND
 * package.json, then reads them; serverless-esbuild drops package.json from every zip, whatever
 * `package.patterns` says. handlers/system/swagger-ui-assets.ts reads Swagger UI's files from
 * node_modules/swagger-ui-dist, and a zip has no node_modules. So inside those three modules, and
 * only there, `node:fs` is served from the files as they were when the bundle was built; their
 * code runs unchanged.
 */
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SWAGGER_UI_FILES, swaggerUiFolder } from '../../handlers/system/swagger-ui-assets.ts';
import { DEFAULT_PLUGINS_FILE } from '../../handlers/capabilities/plugins-file.ts';
import { CHUNKS_LINE } from './lambda-entries.ts';

/** The files app/project.ts may read, embedded at bundle time. */
export const EMBEDDED_PROJECT_FILES = ['host.json', 'package.json'] as const;

/** Per module that reads files: the files (base name -> path at bundle time) its `node:fs` answers from. */
const EMBEDS: readonly { module: RegExp; files: () => Promise<Record<string, string>> }[] = [
  {
    module: /[\\/]app[\\/]project\.ts$/,
    files: async () => Object.fromEntries(EMBEDDED_PROJECT_FILES.map((name) => [name, fileURLToPath(new URL(`../../${name}`, import.meta.url))])),
  },
  {
    // The capability registry's plugins.yaml, as it was when the bundle was built.
    module: /[\\/]handlers[\\/]capabilities[\\/]plugins-file\.ts$/,
    files: async () => ({ 'plugins.yaml': fileURLToPath(new URL(`../../${DEFAULT_PLUGINS_FILE}`, import.meta.url)) }),
  },
  {
    module: /[\\/]handlers[\\/]system[\\/]swagger-ui-assets\.ts$/,
    files: async () => {
      const folder = await swaggerUiFolder(fileURLToPath(new URL('.', import.meta.url)));
      return Object.fromEntries(Object.keys(SWAGGER_UI_FILES).map((name) => [name, join(folder, name)]));
    },
  },
];

const NAMESPACE = 'portico-embedded-files';

/** An ES module with the `node:fs` functions those modules use, answering from `files` by base name. */
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
    build.onResolve({ filter: /^(node:)?fs$/ }, (args) => {
      const index = EMBEDS.findIndex((embed) => embed.module.test(args.importer));
      return index < 0 ? undefined : { path: String(index), namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
      const paths = await EMBEDS[Number(args.path)]!.files();
      return {
        contents: embeddedFsModule(Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, readFileSync(path, 'utf8')]))),
        loader: 'js',
        // serverless-offline's watch mode rebuilds when they change.
        watchFiles: Object.values(paths),
      };
    });
  },
};

/**
 * Each Lambda entry's chunks go to its service's folder beside it (`chunks-<service>/`, named
 * by the entry's `// chunks:` line), so a function's zip takes its service's chunks and none of
 * the others' (serverless.yml says so per function, from chunkFolderOf). serverless-esbuild
 * builds one entry per esbuild run.
 */
export const chunkFolders: Plugin = {
  name: 'portico-chunk-folders',
  setup(build) {
    const entries = build.initialOptions.entryPoints;
    const [only] = Array.isArray(entries) && entries.length === 1 ? entries : [];
    if (typeof only !== 'string') return;
    const folder = CHUNKS_LINE.exec(readFileSync(resolve(build.initialOptions.absWorkingDir ?? process.cwd(), only), 'utf8'))?.[1];
    if (!folder) throw new Error(`${only} has no \`// chunks:\` line: run npm run generate.`);
    build.initialOptions.chunkNames = `${folder}/[name]-[hash]`;
  },
};

export default [embedProjectFiles, chunkFolders];
