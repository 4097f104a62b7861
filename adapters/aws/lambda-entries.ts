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

/** Where an entry's bundle keeps its chunks (set by esbuild-plugins.ts chunkFolders). */
export const chunkFolderOf = (def: Pick<FunctionDef, 'name'>) => `${ENTRIES_FOLDER}/chunks-${def.name}`;

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
