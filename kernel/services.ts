/**
 * A service is one folder under handlers/ with one manifest (`index.ts`): its functions, its jobs,
 * the containers its documents live in, and how its settings are read. The composition root
 * (app/) lists the manifests; nothing else needs to know what a service holds.
 */
import type { BlobStore, Clock, ContainerSpec, DocumentStore } from '../domain/ports.ts';
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

/**
 * A container holding documents about users: every document whose `userField` (default: the
 * container's partition key) equals the user's id is erased. When that field is the partition
 * key the erase reads one partition; otherwise it is a cross-partition query.
 */
export interface ErasableDocuments {
  container: ContainerSpec;
  userField?: string;
}

/** Blobs that belong to one user: every blob in `container` whose name starts with `prefix`. */
export interface ErasableBlobs {
  container: string;
  prefix: string;
}

/** What one service erased for a user: a count per container or blob container (zero counts included). */
export type ErasureCounts = Record<string, number>;

/** The minimal logger an erase step may write to (the platform's logger satisfies it). */
export interface ErasureLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** One user's erasure across every service: the counts of each service that declares an erase. */
export interface ErasureReport {
  userId: string;
  services: Record<string, ErasureCounts>;
}

/** What `DELETE /api/delete_account` is given (the composition root runs every manifest's erase). */
export type EraseUser = (userId: string, log: ErasureLog) => Promise<ErasureReport>;

/** What a `custom` erase step is given. */
export interface ErasureContext<S = unknown> {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  settings: S;
}

/**
 * How a service's data about one user is erased (`DELETE /api/delete_account`). Every step must be
 * idempotent: a failed erase is retried as a whole, and a step that finds nothing counts 0.
 *
 * - `documents`: the containers (and the field naming the user) to empty of the user's documents.
 *   A service whose containers are all partitioned by `userId` writes
 *   `documents: containers.map((container) => ({ container }))`.
 * - `blobs(settings, userId)`: the blob prefixes holding only this user's blobs (blob container
 *   names are often settings, so the service's loaded settings are passed in). Encode the user id
 *   the way the service names its blobs (e.g. `${encodeURIComponent(userId)}/`).
 * - `custom(context, userId, log)`: for what cannot be declared (identity: documents keyed by a
 *   hash of the address). It runs after the declared documents and blobs, with the ports it may
 *   use and the service's settings. Keep its module light: the manifest imports it.
 * - `phase`: `data` (the default) for every service's own data; `account` for the sign-in itself
 *   (identity), run only after every `data` erase succeeded, so that a failed erase leaves the
 *   account and its tokens working and the user can retry.
 */
export interface UserErasure<S = unknown> {
  documents?: readonly ErasableDocuments[];
  // Method syntax: a manifest of specific settings is still a ServiceManifest<unknown>.
  blobs?(settings: S, userId: string): readonly ErasableBlobs[];
  custom?(context: ErasureContext<S>, userId: string, log: ErasureLog): Promise<ErasureCounts>;
  phase?: 'data' | 'account';
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
  /** How the service's data about one user is erased (see UserErasure); absent: it keeps none. */
  erase?: UserErasure<S>;
  /**
   * Queues whose depth `GET /api/health` reports: the backlog an operator watches. A job spec
   * stands for its queue as the deployment names it (a job's `configure` may rename it).
   */
  healthQueues: readonly HealthQueue[];
}

export type HealthQueue = string | AnyJobSpec;

export interface ServiceDefinition<S> {
  name: string;
  summary: string;
  functions: readonly FunctionDef[];
  jobs?: readonly AnyJobSpec[];
  containers?: readonly ContainerSpec[];
  settings?: ServiceSettings<S>;
  migrations?: readonly Migration[];
  scope?: 'service' | 'app';
  erase?: UserErasure<S>;
  healthQueues?: readonly HealthQueue[];
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
    healthQueues: definition.healthQueues ?? [],
    ...(definition.erase ? { erase: definition.erase } : {}),
  };
}
