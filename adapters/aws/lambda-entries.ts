/**
 * The Lambda entry of every deployable function, generated from the function table by
 * `npm run generate` into adapters/aws/entries/<function>.ts (committed, and checked for drift
 * like serverless.yml). An entry imports its function's factory, its own service's manifest
 * (every manifest for an app-scoped service and for the job runtime) and the binder, so its
 * bundle holds that service and what it reaches. serverless.yml's handler is
 * `adapters/aws/entries/<function>.handler`: Lambda splits a handler at the first dot of the file
 * name, so the entry's name must have none (a `*.routes.ts` module cannot be a handler itself).
 */
import { handlerReference, type FunctionDef } from '../../kernel/functions.ts';
import type { JobSpec } from '../../kernel/jobs.ts';
import type { ServiceManifest } from '../../kernel/services.ts';

export const ENTRIES_FOLDER = 'adapters/aws/entries';

/** The job runtime's functions (jobs/functions.ts) belong to no service manifest. */
const JOB_RUNTIME = 'jobs';

/** The entry file of a function, from the project root. */
export const entryFileOf = (def: Pick<FunctionDef, 'name'>) => `${ENTRIES_FOLDER}/${def.name}.ts`;

/**
 * Where an entry's bundle keeps its chunks (set by esbuild-plugins.ts chunkFolders, from the
 * entry's `// chunks:` line): one folder per service, shared by its functions' bundles. A chunk's
 * name carries the hash of its content, so two bundles writing the same name write the same
 * file. Per function, serverless-esbuild's packaging compares every built file with every
 * excluded one, so one folder per function (about 140 files each) made `npm run package:aws`
 * grow with the cube of the function count: 101 functions took over 20 minutes on 2 cores.
 */
export const chunkFolderOf = (def: Pick<FunctionDef, 'service'>) => `${ENTRIES_FOLDER}/chunks-${def.service ?? 'app'}`;

/** The line of a generated entry that names its chunk folder (relative to the entry). */
export const CHUNKS_LINE = /^\/\/ chunks: (chunks-[a-z0-9-]+)$/m;

const fromEntry = (path: string) => `../../../${path}`;

/** The source of one function's entry. */
export function entrySource(def: FunctionDef, services: readonly Pick<ServiceManifest, 'name' | 'scope'>[], jobs: readonly Pick<JobSpec, 'handler'>[]): string {
  if (!def.handler) throw new Error(`${def.name} has an inline handler; only factory modules can be deployed.`);
  const { module, exportName } = handlerReference(def.handler);
  const service = services.find((candidate) => candidate.name === def.service);
  const ownService = service?.scope === 'service' && def.bundle !== 'app';
  const stream = def.trigger.kind === 'http' && def.trigger.stream ? { name: def.name, method: def.trigger.method, route: def.trigger.route } : undefined;
  // A job's code is named by a string (kernel/jobs.ts): the workers' bundles get a loader for each module.
  const worker = def.service === JOB_RUNTIME && jobModulesOf(jobs).length > 0;
  const bound = `lambdaEntry(${JSON.stringify(def.name)}, factory, ${ownService ? '[service]' : 'services'}${worker ? ', jobModules' : ''})`;
  return [
    '// Generated from the function table by `npm run generate`. Do not edit by hand.',
    `// chunks: ${chunkFolderOf(def).slice(ENTRIES_FOLDER.length + 1)}`,
    `import { ${exportName} as factory } from '${fromEntry(`${module}.ts`)}';`,
    ownService ? `import service from '${fromEntry(`handlers/${service.name}/index.ts`)}';` : `import { services } from '${fromEntry('app/services.ts')}';`,
    `import { lambdaEntry } from '../lambda-entry.ts';`,
    ...(stream ? [`import { streamingLambda } from '../lambda-stream.ts';`] : []),
    ...(worker ? [`import { jobModules } from './${JOB_MODULES}';`] : []),
    '',
    `export const handler = ${stream ? `streamingLambda(${bound}, ${JSON.stringify(stream)})` : bound};`,
    '',
  ].join('\n');
}

const JOB_MODULES = 'job-modules.ts';

const jobModulesOf = (jobs: readonly Pick<JobSpec, 'handler'>[]) => [...new Set(jobs.flatMap((job) => (job.handler ? [handlerReference(job.handler).module] : [])))];

/** The loaders of every job module, imported by the job workers' entries (and bundled as chunks). */
export function jobModulesSource(jobs: readonly Pick<JobSpec, 'handler'>[]): string {
  return [
    '// Generated from the job list by `npm run generate`. Do not edit by hand.',
    "import type { ModuleLoaders } from '../../../app/app.ts';",
    '',
    'export const jobModules: ModuleLoaders = {',
    ...jobModulesOf(jobs).map((module) => `  '${module}': () => import('${fromEntry(`${module}.ts`)}'),`),
    '};',
    '',
  ].join('\n');
}

/** Every deployable function's entry, and the job modules' loaders, by file. */
export function entrySources(table: readonly FunctionDef[], services: readonly Pick<ServiceManifest, 'name' | 'scope'>[], jobs: readonly Pick<JobSpec, 'handler'>[]): Map<string, string> {
  return new Map([
    ...table.filter((def) => !def.localOnly).map((def) => [entryFileOf(def), entrySource(def, services, jobs)] as const),
    [`${ENTRIES_FOLDER}/${JOB_MODULES}`, jobModulesSource(jobs)],
  ]);
}
