/**
 * The runner on memory ports: the ledger, up to a target, down N, dry runs that write nothing, the
 * refusal of a changed revision, and the lease between two runners.
 */
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileChecksum, migrationsContainer } from '../../app/migrations.ts';
import { forEachAtVersion, unstored } from '../../domain/migrations/documents.ts';
import { MigrationError, orderRevisions, planDown, planUp } from '../../domain/migrations/plan.ts';
import type { ContainerSpec, DocumentStore } from '../../domain/ports.ts';
import { defineMigration, type Migration } from '../../kernel/migrations.ts';
import { defineService } from '../../kernel/services.ts';
import { contents, memoryMigrator } from './support.ts';

const notes: ContainerSpec = { name: 'notes', partitionKey: 'id' };

/** Revision `n` moves notes from version n-1 to n (and back); `gate` holds its `up` until released. */
function step(n: number, gate?: Promise<void>, entered?: () => void): Migration {
  const move = (from: number, to: number) => async (context: { documents: DocumentStore; pageSize: number }) => {
    entered?.();
    await gate;
    const repository = context.documents.repository(notes);
    await forEachAtVersion(context, notes, from, async (note) => void (await repository.replace({ ...unstored(note), schemaVersion: to }, note.etag)));
  };
  return defineMigration({ id: `000${n}-step`, description: `notes to version ${n}`, source: 'file:///nowhere', up: move(n - 1, n), down: move(n, n - 1) });
}

const service = (migrations: Migration[]) => defineService({ name: 'notes', functions: [], migrations, summary: 'test' });
const checksum = async (migration: Migration) => `sum-of-${migration.id}`;

async function withNotes(count: number, options: Parameters<typeof memoryMigrator>[0]) {
  const setup = memoryMigrator({ checksum, ...options });
  await setup.documents.ensure([notes, migrationsContainer]);
  for (let index = 0; index < count; index++) await setup.documents.repository(notes).create({ id: `n${index}`, schemaVersion: 0 });
  const versions = async () => (await contents(setup.documents, notes)).map((note) => note.schemaVersion);
  return { ...setup, versions };
}

describe('the migration plan', () => {
  const revisions = orderRevisions([service([step(1), step(2), step(3)])]);
  const applied = (keys: string[]) => keys.map((key) => ({ key, service: 'notes', revision: key.split('.')[1]!, checksum: '', appliedAt: '', durationMs: 0 }));

  it('orders by manifest and refuses ids out of order', () => {
    expect(revisions.map((revision) => revision.key)).toEqual(['notes.0001-step', 'notes.0002-step', 'notes.0003-step']);
    expect(() => orderRevisions([service([step(2), step(1)])])).toThrow(/0001-step is listed after 0002-step/);
  });

  it('plans up to a target by bare id or key, and down newest first', () => {
    expect(planUp(revisions, applied(['notes.0001-step']), '0002-step').map((revision) => revision.id)).toEqual(['0002-step']);
    expect(() => planUp(revisions, applied(['notes.0001-step']), 'notes.0001-step')).toThrow(MigrationError);
    expect(() => planUp(revisions, [], 'nope')).toThrow(/No revision is named nope/);
    expect(planDown(revisions, applied(['notes.0001-step', 'notes.0002-step']), 5).map((revision) => revision.id)).toEqual(['0002-step', '0001-step']);
  });
});

describe('the migration runner', () => {
  it('applies every pending revision, records each in the ledger, and then has nothing to do', async () => {
    const { migrator, versions, documents } = await withNotes(5, { services: [service([step(1), step(2)])] });
    const report = await migrator.up();
    expect(report.revisions.map((run) => [run.key, run.documents])).toEqual([['notes.0001-step', { notes: 5 }], ['notes.0002-step', { notes: 5 }]]);
    expect(await versions()).toEqual([2, 2, 2, 2, 2]);
    const ledger = await contents(documents, migrationsContainer);
    expect(ledger).toEqual([
      expect.objectContaining({ id: 'notes.0001-step', service: 'notes', revision: '0001-step', checksum: 'sum-of-0001-step', appliedAt: expect.any(String), durationMs: expect.any(Number) }),
      expect.objectContaining({ id: 'notes.0002-step', checksum: 'sum-of-0002-step' }),
    ]);
    expect((await migrator.up()).revisions).toEqual([]);
  });

  it('goes up to a target, reports status, and goes down N steps', async () => {
    const { migrator, versions } = await withNotes(3, { services: [service([step(1), step(2), step(3)])] });
    await migrator.up('0002-step');
    expect(await versions()).toEqual([2, 2, 2]);
    const status = await migrator.status();
    expect(status.applied.map((entry) => entry.key)).toEqual(['notes.0001-step', 'notes.0002-step']);
    expect(status.pending.map((revision) => revision.key)).toEqual(['notes.0003-step']);
    expect(status.changed).toEqual([]);

    await migrator.up();
    await migrator.down(2);
    expect(await versions()).toEqual([1, 1, 1]);
    expect((await migrator.status()).pending.map((revision) => revision.id)).toEqual(['0002-step', '0003-step']);
  });

  it('writes nothing in a dry run, and reports what it would write', async () => {
    const { migrator, documents, versions } = await withNotes(3, { services: [service([step(1), step(2)])] });
    const before = await contents(documents, migrationsContainer);
    const report = await migrator.up(undefined, { dryRun: true });
    expect(report).toEqual({ dryRun: true, revisions: [expect.objectContaining({ key: 'notes.0001-step', documents: { notes: 3 } }), expect.objectContaining({ key: 'notes.0002-step', documents: {} })] });
    expect(await versions()).toEqual([0, 0, 0]);
    expect(await contents(documents, migrationsContainer)).toEqual(before);

    await migrator.up();
    expect((await migrator.down(1, { dryRun: true })).revisions[0]!.documents).toEqual({ notes: 3 });
    expect(await versions()).toEqual([2, 2, 2]);
    expect((await migrator.status()).pending).toEqual([]);
  });

  it('refuses up and down when an applied revision changed, and status names it', async () => {
    const sums = new Map<string, string>();
    const changing = async (migration: Migration) => sums.get(migration.id) ?? `original-${migration.id}`;
    const { migrator, versions } = await withNotes(2, { services: [service([step(1), step(2)])], checksum: changing });
    await migrator.up('0001-step');
    sums.set('0001-step', 'edited');
    await expect(migrator.up()).rejects.toThrow(/Refusing to migrate: notes\.0001-step changed since it was applied/);
    await expect(migrator.down(1)).rejects.toThrow(MigrationError);
    expect(await versions()).toEqual([1, 1]);
    expect((await migrator.status()).changed).toEqual([expect.stringContaining('notes.0001-step changed since it was applied')]);
    // The lease went back each time: once the file is restored, it runs.
    sums.delete('0001-step');
    await migrator.up();
    expect(await versions()).toEqual([2, 2]);
  });

  it('lets one of two concurrent runners migrate; the other refuses, naming the holder, and runs nothing', async () => {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = await withNotes(2, { services: [service([step(1, gate, entered)])], holder: 'runner A' });
    const second = memoryMigrator({ services: [service([step(1)])], documents: first.documents, checksum, holder: 'runner B' });

    const running = first.migrator.up();
    await inside;
    await expect(second.migrator.up()).rejects.toThrow(/Another migration runner \(runner A, since .*\) holds the lease until .*nothing was run/);
    release();
    await running;
    expect(await first.versions()).toEqual([1, 1]);
    expect((await contents(first.documents, migrationsContainer)).map((entry) => entry.id)).toEqual(['notes.0001-step']);
    // Released: the second runner may run now (and finds nothing to do).
    expect((await second.migrator.up()).revisions).toEqual([]);
  });

  it('takes over a lease its holder left to expire', async () => {
    const { migrator, documents, clock } = await withNotes(1, { services: [service([step(1)])], leaseSeconds: 60 });
    await documents.repository(migrationsContainer).create({ id: 'lease', kind: 'lease', holder: 'crashed', acquiredAt: '', expiresAt: clock.now().getTime() + 60_000 });
    await expect(migrator.up()).rejects.toThrow(/crashed/);
    clock.advance(61_000);
    expect((await migrator.up()).revisions).toHaveLength(1);
  });

  it('checksums a migration by the sha256 of its source file', async () => {
    const source = new URL('../../handlers/garage/migrations/0001-initial.ts', import.meta.url).href;
    const expected = createHash('sha256').update(readFileSync(fileURLToPath(source))).digest('hex');
    expect(await fileChecksum({ ...step(1), source })).toBe(expected);
  });
});
