/**
 * `npm run migrate -- status | up [target] | down [steps] [--dry-run]`: the services' schema
 * migrations (app/migrations.ts) against the configured Cosmos DB (COSMOS_DB_ENDPOINT/KEY), or,
 * when none is configured, against the embedded emulator on the snapshot `npm start` uses (stop
 * `npm start` first: each process would hold its own copy). Exits 1 with a clear message when it
 * refuses (a changed applied revision, another runner's lease) or a migration fails.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError } from '../app/config.ts';
import { createApp } from '../app/index.ts';
import { createMigrator, type RunReport, type StatusReport } from '../app/migrations.ts';
import { services } from '../app/services.ts';
import { localDataDir, startLocalCosmos } from '../adapters/local/data-dir.ts';
import type { CosmosEmulator } from '../adapters/local/cosmos-emulator.ts';
import { MigrationError } from '../domain/migrations/plan.ts';

const USAGE = 'usage: npm run migrate -- status | up [target] | down [steps] [--dry-run]';

type Command = { name: 'status' } | { name: 'up'; target?: string; dryRun: boolean } | { name: 'down'; steps: number; dryRun: boolean };

function parse(argv: string[]): Command {
  const { values, positionals } = parseArgs({ args: argv, options: { 'dry-run': { type: 'boolean' } }, allowPositionals: true });
  const [name, argument, ...rest] = positionals;
  const dryRun = Boolean(values['dry-run']);
  if (rest.length > 0) throw new MigrationError(USAGE);
  if (name === 'status' && argument === undefined && !dryRun) return { name };
  if (name === 'up') return { name, dryRun, ...(argument === undefined ? {} : { target: argument }) };
  if (name === 'down') {
    const steps = argument === undefined ? 1 : Number(argument);
    if (!Number.isInteger(steps) || steps < 1) throw new MigrationError(`down takes a number of steps (1 or more), not "${argument}".\n${USAGE}`);
    return { name, steps, dryRun };
  }
  throw new MigrationError(USAGE);
}

const writes = (documents: Record<string, number>) =>
  Object.entries(documents).map(([container, count]) => `${container} ${count}`).join(', ') || 'no documents';

function printStatus(status: StatusReport): void {
  console.log(`Applied (${status.applied.length}):`);
  for (const entry of status.applied) console.log(`  ${entry.key}  applied ${entry.appliedAt} in ${entry.durationMs} ms  ${entry.description}`);
  console.log(`Pending (${status.pending.length}):`);
  for (const revision of status.pending) console.log(`  ${revision.key}  ${revision.description}`);
  for (const change of status.changed) console.log(`CHANGED: ${change}`);
}

function printRun(report: RunReport): void {
  if (report.revisions.length === 0) console.log('Nothing to do.');
  for (const run of report.revisions) {
    console.log(`${run.direction} ${run.key} (${run.description}): ${report.dryRun ? 'would write' : 'wrote'} ${writes(run.documents)} in ${run.durationMs} ms`);
  }
  if (report.dryRun) {
    console.log('Dry run: nothing was written. Each revision was counted on the documents as they are now, before the ones above it ran.');
  }
}

async function main(): Promise<number> {
  const command = parse(process.argv.slice(2));
  process.env.LOG_LEVEL ??= 'warn';
  let emulator: CosmosEmulator | undefined;
  if (!process.env.COSMOS_DB_ENDPOINT && !process.env.COSMOS_DB_KEY) {
    emulator = await startLocalCosmos(localDataDir());
    process.env.COSMOS_DB_ENDPOINT = emulator.endpoint;
    process.env.COSMOS_DB_KEY = emulator.key;
    console.log(`Using the embedded Cosmos emulator on ${localDataDir()} (no COSMOS_DB_ENDPOINT is set).`);
  }
  try {
    const app = createApp({ services, env: process.env });
    const { documents, logger, clock } = app.ports;
    const migrator = createMigrator({ documents, services: app.services, logger, clock, holder: `${hostname()} pid ${process.pid}` });
    if (command.name === 'status') {
      const status = await migrator.status();
      printStatus(status);
      return status.changed.length > 0 ? 1 : 0;
    }
    printRun(command.name === 'up' ? await migrator.up(command.target, { dryRun: command.dryRun }) : await migrator.down(command.steps, { dryRun: command.dryRun }));
    return 0;
  } finally {
    await emulator?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected = error instanceof MigrationError || error instanceof ConfigError;
    console.error(expected ? (error as Error).message : `Migration failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
