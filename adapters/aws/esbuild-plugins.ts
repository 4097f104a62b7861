/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`; serverless-esbuild
 * `require`s this file, which Node 22 allows for an ES module).
 *
 * `lambdaEntries`: serverless.yml points each function at its factory module with an export named
 * after the function (`handlers/diagnostics/diagnostics.routes.diagnosticsEcho`). The entry the
 * bundle is built from is generated here: it imports the module's factories, the service manifest
 * (or every manifest, for an app-scoped service) and the binder (adapters/aws/lambda-entry.ts),
 * and exports one handler per function, wrapped in `streamingLambda` (Lambda's response
 * streaming) for a `stream: true` function. So a bundle holds its service and what it reaches.
 *
 * app/project.ts finds the project root at run time by walking up from its own file to the
 * directory holding host.json AND package.json, then reads them. A Lambda zip has no such
 * directory: serverless-esbuild drops package.json from every zip, whatever `package.patterns`
 * says. So inside app/project.ts, and only there, `node:fs` is served from the two files as they
 * were when the bundle was built; its code runs unchanged.
 */
import type { Plugin } from 'esbuild';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDef } from '../../kernel/functions.ts';
import { handlerReference } from '../../kernel/functions.ts';
import type { JobSpec } from '../../kernel/jobs.ts';
import type { ServiceManifest } from '../../kernel/services.ts';

/** The job runtime's functions (jobs/functions.ts) belong to no service manifest. */
const JOB_RUNTIME = 'jobs';
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

/** One function of a factory module, as its Lambda entry exports it. */
export interface EntryExport {
  /** The entry's export: the function's name in camelCase (serverless.yml names it). */
  entryName: string;
  functionName: string;
  /** The factory's export in the module. */
  factoryName: string;
  /** The manifest of its service, from the project root; undefined: every manifest (app scope). */
  manifest: string | undefined;
  /** Set for a `stream: true` HTTP function. */
  stream?: StreamRoute;
  /** The job modules a job worker may run (`handlers/x/y.job`), imported by their loaders on first use. */
  jobModules?: readonly string[];
}

/**
 * Where a factory module's bundle keeps its chunks, beside the bundle: one folder per module, so
 * a function's zip can take its own chunks and leave the other bundles' (serverless.yml says so
 * per function, from this same name).
 */
export const chunkFolderOf = (module: string) => `${module.slice(0, module.lastIndexOf('/') + 1)}chunks-${module.slice(module.lastIndexOf('/') + 1)}`;

/** `diagnostics-echo` -> `diagnosticsEcho`: a valid export name, unique like function names. */
export const entryExportName = (functionName: string) => functionName.replace(/[-_]+([a-z0-9])/g, (_, char: string) => char.toUpperCase());

/** The table's functions by factory module (`handlers/diagnostics/diagnostics.routes`). */
export function entryModules(table: readonly FunctionDef[], services: readonly Pick<ServiceManifest, 'name' | 'scope'>[], jobs: readonly Pick<JobSpec, 'handler'>[] = []): Map<string, EntryExport[]> {
  const modules = new Map<string, EntryExport[]>();
  const jobModules = [...new Set(jobs.flatMap((job) => (job.handler ? [handlerReference(job.handler).module] : [])))];
  for (const def of table) {
    if (!def.handler) continue;
    const { module, exportName } = handlerReference(def.handler);
    const service = services.find((candidate) => candidate.name === def.service);
    const entry: EntryExport = {
      entryName: entryExportName(def.name),
      functionName: def.name,
      factoryName: exportName,
      // The job runtime's functions belong to no manifest: they run every service's jobs.
      manifest: service && service.scope === 'service' ? `handlers/${service.name}/index.ts` : undefined,
      ...(def.trigger.kind === 'http' && def.trigger.stream ? { stream: { name: def.name, method: def.trigger.method, route: def.trigger.route } } : {}),
      // A job's code is named by a string (kernel/jobs.ts): the worker's bundle gets a loader for each.
      ...(def.service === JOB_RUNTIME ? { jobModules } : {}),
    };
    modules.set(module, [...(modules.get(module) ?? []), entry]);
  }
  return modules;
}

/** The generated entry of a factory module's bundle; paths are absolute. */
export function entryModule(root: string, modulePath: string, exports: readonly EntryExport[]): string {
  const at = (path: string) => JSON.stringify(`${root}/${path}`);
  const manifests = [...new Set(exports.map((entry) => entry.manifest))];
  const servicesOf = (manifest: string | undefined) => (manifest ? `[service${manifests.indexOf(manifest)}]` : 'services');
  const jobModules = [...new Set(exports.flatMap((entry) => entry.jobModules ?? []))];
  return [
    `import * as factories from ${JSON.stringify(modulePath)};`,
    `import { lambdaEntry } from ${at('adapters/aws/lambda-entry.ts')};`,
    ...(exports.some((entry) => entry.stream) ? [`import { streamingLambda } from ${at('adapters/aws/lambda-stream.ts')};`] : []),
    ...manifests.map((manifest, index) => (manifest ? `import service${index} from ${at(manifest)};` : `import { services } from ${at('app/services.ts')};`)),
    `const modules = {${jobModules.map((module) => `${JSON.stringify(module)}: () => import(${at(`${module}.ts`)})`).join(', ')}};`,
    ...exports.map(({ entryName, functionName, factoryName, manifest, stream }) => {
      const bound = `lambdaEntry(${JSON.stringify(functionName)}, factories.${factoryName}, ${servicesOf(manifest)}, modules)`;
      return `export const ${entryName} = ${stream ? `streamingLambda(${bound}, ${JSON.stringify(stream)})` : bound};`;
    }),
  ].join('\n');
}

const ENTRY_NAMESPACE = 'portico-lambda-entry';
const SOURCE_EXTENSION = /\.(ts|mts|js|mjs)$/;

export const lambdaEntries: Plugin = {
  name: 'portico-lambda-entries',
  async setup(build) {
    const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');
    // Loaded here rather than at the top, so requiring the plugins file stays cheap.
    const [{ functions, jobs }, { services }] = await Promise.all([import('../../app/functions.ts'), import('../../app/services.ts')]);
    const modules = entryModules(functions, services, jobs);
    // serverless-esbuild builds one entry per build: its chunks go to its own folder.
    const entries = build.initialOptions.entryPoints;
    const [only] = Array.isArray(entries) ? entries : [];
    if (typeof only === 'string') {
      const module = relative(root, resolve(root, only)).replace(/\\/g, '/').replace(SOURCE_EXTENSION, '');
      if (modules.has(module)) build.initialOptions.chunkNames = `${chunkFolderOf(module).slice(module.lastIndexOf('/') + 1)}/[name]-[hash]`;
    }
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'entry-point') return undefined;
      const given = isAbsolute(args.path) ? args.path : resolve(args.resolveDir || root, args.path);
      // Through the real path: a service folder may link to the project (the conformance suite's does).
      const absolute = existsSync(given) ? realpathSync(given) : given;
      const exports = modules.get(relative(root, absolute).replace(/\\/g, '/').replace(SOURCE_EXTENSION, ''));
      return exports ? { path: absolute, namespace: ENTRY_NAMESPACE, pluginData: exports } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => {
      const modulePath = SOURCE_EXTENSION.test(args.path) ? args.path : `${args.path}.ts`;
      return { contents: entryModule(root, modulePath, args.pluginData as EntryExport[]), loader: 'js', resolveDir: root };
    });
  },
};

export default [embedProjectFiles, lambdaEntries];
