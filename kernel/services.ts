/**
 * A service is one folder under handlers/ with one manifest (`index.ts`): its functions, its jobs,
 * the containers its documents live in, and how its settings are read. The composition root
 * (app/) lists the manifests; nothing else needs to know what a service holds.
 */
import type { ContainerSpec } from '../domain/ports.ts';
import type { Env } from './env.ts';
import type { FunctionDef } from './functions.ts';
import type { AnyJobSpec } from './jobs.ts';
import type { Migration } from './migrations.ts';

export interface ServiceSettings<S> {
  /** Every environment variable the service reads (the settings catalog and serverless.yml take them from here). */
  variables: readonly string[];
  /** Reads and validates them; a bad value throws a ConfigError naming the variable. Called at bind time, never at import. */
  load(env: Env): S;
}

export interface ServiceManifest<S = unknown> {
  /** `kebab-case`; the folder name under handlers/. */
  name: string;
  /** One line: what the service is for (README, API docs). */
  summary: string;
  functions: readonly FunctionDef[];
  jobs: readonly AnyJobSpec[];
  containers: readonly ContainerSpec[];
  settings: ServiceSettings<S>;
  /** Its schema migrations, oldest first (`npm run migrate`). */
  migrations: readonly Migration[];
  /**
   * `service` (the default): its functions need only their own service, so a Lambda bundle of one
   * of them carries this manifest alone. `app`: its functions describe or operate the whole app
   * (the API document, dead letters of every job), so their bundles carry every manifest.
   */
  scope: 'service' | 'app';
}

export interface ServiceDefinition<S> {
  name: string;
  summary: string;
  functions: readonly FunctionDef[];
  jobs?: readonly AnyJobSpec[];
  containers?: readonly ContainerSpec[];
  settings?: ServiceSettings<S>;
  migrations?: readonly Migration[];
  scope?: 'service' | 'app';
}

const noSettings: ServiceSettings<undefined> = { variables: [], load: () => undefined };

/** Stamps the service's name on each of its functions, so bind knows whose settings to load. */
export function defineService<S = undefined>(definition: ServiceDefinition<S>): ServiceManifest<S> {
  return {
    name: definition.name,
    summary: definition.summary,
    functions: definition.functions.map((def) => ({ ...def, service: definition.name })),
    jobs: definition.jobs ?? [],
    containers: definition.containers ?? [],
    settings: definition.settings ?? (noSettings as ServiceSettings<S>),
    migrations: definition.migrations ?? [],
    scope: definition.scope ?? 'service',
  };
}
