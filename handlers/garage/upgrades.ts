/**
 * A read of a garage document one schema version behind is upgraded here, in memory, to the current
 * shape, by the `reads` step of the migration that moves it (migrations/). A deployment may run new
 * code before `npm run migrate -- up`, and reads must not fail meanwhile. Two or more versions
 * behind is an unmigrated store: a clear error, not a guess.
 */
import type { Document } from '../../domain/ports.ts';
import type { DocumentUpgrade } from '../../kernel/migrations.ts';
import { SCHEMA_VERSIONS } from './containers.ts';
import { garageMigrations } from './migrations/index.ts';

/** By container, the upgrade from the version before the current one. */
const lastSteps = new Map<string, DocumentUpgrade>();
for (const migration of garageMigrations) {
  for (const [container, step] of Object.entries(migration.reads ?? {})) {
    if (step.from + 1 === SCHEMA_VERSIONS[container as keyof typeof SCHEMA_VERSIONS]) lastSteps.set(container, step);
  }
}

export function upgradeOnRead(container: string, document: object): object {
  const current: number | undefined = SCHEMA_VERSIONS[container as keyof typeof SCHEMA_VERSIONS];
  if (current === undefined) return document;
  const stored = document as Document & { schemaVersion?: unknown };
  if (stored.schemaVersion === current) return document;
  const step = lastSteps.get(container);
  if (step && stored.schemaVersion === step.from) return { ...step.upgrade(stored), etag: stored.etag };
  throw new Error(
    `${container} document ${stored.id} is at schema version ${String(stored.schemaVersion)}, and this code reads ${current}` +
      (typeof stored.schemaVersion === 'number' && stored.schemaVersion < current ? ' or one behind: run `npm run migrate -- up`.' : '.'),
  );
}
