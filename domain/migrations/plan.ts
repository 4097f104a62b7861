/**
 * The pure part of schema migrations: which revisions exist, which are applied, and what `up`,
 * `up <target>` and `down <steps>` would run, in which order. The runner (app/migrations.ts) does
 * the I/O; everything here is tested with plain values.
 */

/** A revision as the plan sees it: `key` is unique across services (`garage.0002-vehicle-mods`). */
export interface Revision {
  key: string;
  service: string;
  id: string;
  description: string;
}

/** A ledger entry: one applied revision. */
export interface AppliedRevision {
  key: string;
  service: string;
  revision: string;
  /** sha256 of the migration module's source when it was applied. */
  checksum: string;
  appliedAt: string;
  durationMs: number;
}

/** A plan that cannot run, or a refusal (changed file, lease held): the CLI prints it and exits 1. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export const revisionKey = (service: string, id: string): string => `${service}.${id}`;

/**
 * Every revision in the order `up` applies them: services in the app's order, each service's own in
 * its manifest's order, which must also be the order of their ids (so a misplaced one is caught).
 */
export function orderRevisions(services: readonly { name: string; migrations: readonly { id: string; description: string }[] }[]): Revision[] {
  const revisions: Revision[] = [];
  for (const service of services) {
    service.migrations.forEach((migration, index) => {
      const previous = service.migrations[index - 1];
      if (!/^[A-Za-z0-9_-]+$/.test(migration.id)) throw new MigrationError(`${service.name}: revision id "${migration.id}" may hold only letters, digits, - and _.`);
      if (previous && !(previous.id < migration.id)) {
        throw new MigrationError(`${service.name}: revision ${migration.id} is listed after ${previous.id}; ids must be unique and ascending in the manifest.`);
      }
      revisions.push({ key: revisionKey(service.name, migration.id), service: service.name, id: migration.id, description: migration.description });
    });
  }
  return revisions;
}

export function pendingRevisions(revisions: readonly Revision[], applied: readonly AppliedRevision[]): Revision[] {
  const done = new Set(applied.map((entry) => entry.key));
  return revisions.filter((revision) => !done.has(revision.key));
}

/** Finds a revision by its key or, when unambiguous, by its bare id. */
export function findRevision(revisions: readonly Revision[], name: string): Revision {
  const matches = revisions.filter((revision) => revision.key === name || revision.id === name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new MigrationError(`No revision is named ${name}; \`npm run migrate -- status\` lists them.`);
  throw new MigrationError(`${name} names ${matches.map((revision) => revision.key).join(' and ')}; give the service too (${matches[0]!.key}).`);
}

/** The pending revisions `up` applies: all of them, or those up to and including `target`. */
export function planUp(revisions: readonly Revision[], applied: readonly AppliedRevision[], target?: string): Revision[] {
  const pending = pendingRevisions(revisions, applied);
  if (target === undefined) return pending;
  const wanted = findRevision(revisions, target);
  if (!pending.includes(wanted)) throw new MigrationError(`${wanted.key} is already applied; \`down\` reverts revisions.`);
  const last = revisions.indexOf(wanted);
  return pending.filter((revision) => revisions.indexOf(revision) <= last);
}

/** The applied revisions `down` reverts: the last `steps` of them, newest first. */
export function planDown(revisions: readonly Revision[], applied: readonly AppliedRevision[], steps: number): Revision[] {
  if (!Number.isInteger(steps) || steps < 1) throw new MigrationError(`down takes a number of steps of 1 or more, not ${steps}.`);
  const done = new Set(applied.map((entry) => entry.key));
  return revisions.filter((revision) => done.has(revision.key)).reverse().slice(0, steps);
}

/** Applied revisions whose module is gone or whose source changed since: nothing may run until that is put right. */
export function changedRevisions(revisions: readonly Revision[], applied: readonly AppliedRevision[], checksums: ReadonlyMap<string, string>): string[] {
  const known = new Set(revisions.map((revision) => revision.key));
  return applied.flatMap((entry) => {
    if (!known.has(entry.key)) return [`${entry.key} was applied but no service lists it any more`];
    const now = checksums.get(entry.key);
    return now === entry.checksum ? [] : [`${entry.key} changed since it was applied (checksum ${entry.checksum.slice(0, 12)}, now ${now?.slice(0, 12)})`];
  });
}
