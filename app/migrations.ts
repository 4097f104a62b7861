/**
 * The migration runner: applies and reverts the services' schema migrations (kernel/migrations.ts)
 * against the document store, with a ledger of what is applied (container `migrations`), a checksum
 * of each applied revision's source, and a lease so two runners never migrate at once. The order
 * and the plans are domain/migrations/plan.ts; `npm run migrate` (scripts/migrate.ts) is its CLI.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { DocumentExistsError, PreconditionFailedError } from '../domain/errors.ts';
import { forEachDocument } from '../domain/migrations/documents.ts';
import {
  MigrationError,
  changedRevisions,
  orderRevisions,
  pendingRevisions,
  planDown,
  planUp,
  revisionKey,
  type AppliedRevision,
  type Revision,
} from '../domain/migrations/plan.ts';
import type { Clock, ContainerSpec, Document, DocumentRepository, DocumentStore, Stored } from '../domain/ports.ts';
import type { Migration } from '../kernel/migrations.ts';
import type { ServiceManifest } from '../kernel/services.ts';

/** The ledger: one document per applied revision (id = its key), and the lease. Each document is its own partition. */
export const migrationsContainer: ContainerSpec = { name: 'migrations', partitionKey: 'id' };

const LEASE_ID = 'lease';

interface LedgerDoc extends Document, AppliedRevision {
  kind: 'revision';
  /** Documents written per container. */
  documents: Record<string, number>;
}

interface LeaseDoc extends Document {
  kind: 'lease';
  holder: string;
  acquiredAt: string;
  expiresAt: number;
}

type Services = readonly Pick<ServiceManifest<unknown>, 'name' | 'migrations'>[];

export interface MigratorOptions {
  documents: DocumentStore;
  services: Services;
  logger: Logger;
  clock: Clock;
  /** Documents per query page (default 100). */
  pageSize?: number;
  /** How long the lease lasts without renewal; it is renewed after each revision (default 600). */
  leaseSeconds?: number;
  /** Who holds the lease, as other runners are told (default host and pid). */
  holder?: string;
  /** The checksum of a migration's source (default: sha256 of the file at `migration.source`). */
  checksum?: (migration: Migration) => Promise<string>;
}

export interface RevisionRun {
  key: string;
  description: string;
  direction: 'up' | 'down';
  /** Writes per container (in a dry run, the writes it would have made). */
  documents: Record<string, number>;
  durationMs: number;
}

export interface RunReport {
  dryRun: boolean;
  revisions: RevisionRun[];
}

export interface StatusReport {
  applied: (AppliedRevision & { description: string })[];
  pending: Revision[];
  /** Applied revisions whose source changed or vanished: up and down refuse until they are put right. */
  changed: string[];
}

export async function fileChecksum(migration: Migration): Promise<string> {
  return createHash('sha256').update(await readFile(fileURLToPath(migration.source))).digest('hex');
}

/** Every applied revision in the ledger, a page at a time. */
async function readLedger(documents: DocumentStore): Promise<AppliedRevision[]> {
  const applied: AppliedRevision[] = [];
  await forEachDocument(documents.repository<LedgerDoc>(migrationsContainer), { filters: [{ field: 'kind', op: '=', value: 'revision' }], pageSize: 500 }, async (entry) => {
    applied.push({ key: entry.key, service: entry.service, revision: entry.revision, checksum: entry.checksum, appliedAt: entry.appliedAt, durationMs: entry.durationMs });
  });
  return applied;
}

/** The keys of the revisions not yet applied (start-up logs and GET /api/health). */
export async function pendingMigrations(documents: DocumentStore, services: Services): Promise<string[]> {
  return pendingRevisions(orderRevisions(services), await readLedger(documents)).map((revision) => revision.key);
}

/** Logs the pending revisions once at start-up; never fails the start (the store may be down). */
export async function logPendingMigrations(app: { services: Services; ports: { documents: DocumentStore; logger: Logger } }): Promise<void> {
  const { logger } = app.ports;
  try {
    const pending = await pendingMigrations(app.ports.documents, app.services);
    if (pending.length === 0) logger.info('schema migrations: none pending');
    else logger.warn({ pending }, `schema migrations: ${pending.length} pending; run \`npm run migrate -- up\` (reads accept documents one version behind meanwhile)`);
  } catch (error) {
    logger.warn({ err: error }, 'schema migrations: could not read the ledger');
  }
}

/**
 * The store a migration sees: every write is counted by container, and in a dry run dropped (reads
 * still reach the real store), so a dry run writes nothing whatever the migration does.
 */
function recordingStore(store: DocumentStore, dryRun: boolean): { documents: DocumentStore; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const documents: DocumentStore = {
    ensure: (specs) => (dryRun ? Promise.resolve() : store.ensure(specs)),
    repository<T extends Document>(spec: ContainerSpec): DocumentRepository<T> {
      const repository = store.repository<T>(spec);
      const write = <R>(real: () => Promise<R>, pretend: R): Promise<R> => {
        counts[spec.name] = (counts[spec.name] ?? 0) + 1;
        return dryRun ? Promise.resolve(pretend) : real();
      };
      const stored = (document: T) => ({ ...document, etag: 'dry-run' }) as Stored<T>;
      const recording: DocumentRepository<T> = {
        get: (id, partitionKey) => repository.get(id, partitionKey),
        query: (spec) => repository.query(spec),
        create: (document) => write(() => repository.create(document), stored(document)),
        upsert: (document) => write(() => repository.upsert(document), stored(document)),
        replace: (document, ifMatch) => write(() => repository.replace(document, ifMatch), stored(document)),
        delete: (id, partitionKey, ifMatch) => write(() => repository.delete(id, partitionKey, ifMatch), true),
        purgeExpired: (max) => (dryRun ? Promise.resolve(0) : repository.purgeExpired(max)),
      };
      return recording;
    },
  };
  return { documents, counts };
}

export function createMigrator(options: MigratorOptions) {
  const { documents, clock, logger } = options;
  const pageSize = options.pageSize ?? 100;
  const leaseMs = (options.leaseSeconds ?? 600) * 1000;
  const holder = options.holder ?? `pid ${process.pid}`;
  const checksum = options.checksum ?? fileChecksum;
  const revisions = orderRevisions(options.services);
  const migrations = new Map(options.services.flatMap((service) => service.migrations.map((migration) => [revisionKey(service.name, migration.id), migration] as const)));
  const ledger = documents.repository<LedgerDoc>(migrationsContainer);
  const leases = documents.repository<LeaseDoc>(migrationsContainer);

  async function checksums(): Promise<Map<string, string>> {
    return new Map(await Promise.all([...migrations].map(async ([key, migration]) => [key, await checksum(migration)] as const)));
  }

  async function status(): Promise<StatusReport> {
    const applied = await readLedger(documents);
    const descriptions = new Map(revisions.map((revision) => [revision.key, revision.description]));
    return {
      applied: applied.map((entry) => ({ ...entry, description: descriptions.get(entry.key) ?? '(no longer listed)' })),
      pending: pendingRevisions(revisions, applied),
      changed: changedRevisions(revisions, applied, await checksums()),
    };
  }

  async function acquireLease(): Promise<Stored<LeaseDoc>> {
    const now = clock.now();
    try {
      return await leases.create({ id: LEASE_ID, kind: 'lease', holder, acquiredAt: now.toISOString(), expiresAt: now.getTime() + leaseMs });
    } catch (error) {
      if (!(error instanceof DocumentExistsError)) throw error;
      const current = await leases.get(LEASE_ID, LEASE_ID);
      const until = current ? new Date(current.expiresAt).toISOString() : 'a moment ago';
      throw new MigrationError(
        `Another migration runner (${current?.holder ?? 'unknown'}, since ${current?.acquiredAt ?? '?'}) holds the lease until ${until}; nothing was run. Try again when it has finished.`,
      );
    }
  }

  async function renewLease(lease: Stored<LeaseDoc>): Promise<Stored<LeaseDoc>> {
    try {
      return await leases.replace({ ...lease, expiresAt: clock.now().getTime() + leaseMs }, lease.etag);
    } catch (error) {
      if (error instanceof PreconditionFailedError || (error as { statusCode?: number }).statusCode === 404) {
        throw new MigrationError('The migrations lease expired and was taken by another runner; stopped after the last recorded revision.');
      }
      throw error;
    }
  }

  /** Runs the plan under the lease (none in a dry run), recording each revision as it completes. */
  async function run(direction: 'up' | 'down', plan: (applied: AppliedRevision[]) => Revision[], dryRun: boolean): Promise<RunReport> {
    const sums = await checksums();
    let lease = dryRun ? undefined : await acquireLease();
    try {
      // Read under the lease: what another runner applied before we took it counts.
      const applied = await readLedger(documents);
      const changed = changedRevisions(revisions, applied, sums);
      if (changed.length > 0) throw new MigrationError(`Refusing to migrate: ${changed.join('; ')}. Restore the applied file (a new change is a new revision).`);
      const report: RunReport = { dryRun, revisions: [] };
      for (const revision of plan(applied)) {
        const migration = migrations.get(revision.key)!;
        const recording = recordingStore(documents, dryRun);
        const log = logger.child({ revision: revision.key, direction, dryRun });
        log.info(`${direction} ${revision.key}: ${revision.description}`);
        const started = performance.now();
        await migration[direction]({ documents: recording.documents, log, clock, pageSize });
        const durationMs = Math.round(performance.now() - started);
        if (!dryRun) {
          if (direction === 'up') {
            await ledger.upsert({
              id: revision.key, kind: 'revision', key: revision.key, service: revision.service, revision: revision.id,
              checksum: sums.get(revision.key)!, appliedAt: clock.now().toISOString(), durationMs, documents: recording.counts,
            });
          } else {
            await ledger.delete(revision.key, revision.key);
          }
          lease = await renewLease(lease!);
        }
        report.revisions.push({ key: revision.key, description: revision.description, direction, documents: recording.counts, durationMs });
      }
      return report;
    } finally {
      if (lease) await leases.delete(LEASE_ID, LEASE_ID, lease.etag).catch(() => undefined);
    }
  }

  return {
    revisions,
    status,
    up: (target?: string, { dryRun = false } = {}) => run('up', (applied) => planUp(revisions, applied, target), dryRun),
    down: (steps = 1, { dryRun = false } = {}) => run('down', (applied) => planDown(revisions, applied, steps), dryRun),
  };
}

export type Migrator = ReturnType<typeof createMigrator>;
