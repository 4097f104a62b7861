/** `npm run migrate` as a real process (scripts/migrate.ts) against the Cosmos emulator, through the real SDK. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../adapters/local/cosmos-emulator.ts';
import { modsContainer, vehiclesContainer } from '../../handlers/garage/store.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let emulator: CosmosEmulator;
let store: CosmosDocumentStore;
const database = `migrate-${randomUUID()}`;

function migrate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, COSMOS_DB_ENDPOINT: emulator.endpoint, COSMOS_DB_KEY: emulator.key, COSMOS_DB_DATABASE: database, LOG_LEVEL: 'silent' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/migrate.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database });
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

describe('npm run migrate against Cosmos DB', () => {
  it('lists, dry-runs, applies and reverts the garage revisions', async () => {
    expect((await migrate('up', '0001-initial')).code).toBe(0);
    await store.repository(vehiclesContainer).create({
      id: 'v1', userId: 'ann', schemaVersion: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
      make: 'Mazda', model: 'MX-5', year: '1998', mods: [{ id: 'm1', name: 'Coilovers', description: '', installedOn: null }],
    });

    const dry = await migrate('up', '--dry-run');
    expect(dry.stdout).toContain('up garage.0002-vehicle-mods (mods move out of the vehicle into their own garage-mods documents): would write garage-mods 1, garage-vehicles 1');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(await store.repository(vehiclesContainer).get('v1', 'ann')).toMatchObject({ schemaVersion: 1 });

    const up = await migrate('up');
    expect(up).toMatchObject({ code: 0 });
    expect(up.stdout).toContain('up garage.0004-conversation-messages');
    expect(await store.repository(vehiclesContainer).get('v1', 'ann')).not.toHaveProperty('mods');
    expect(await store.repository(modsContainer).get('m1', 'ann')).toMatchObject({ vehicleId: 'v1', name: 'Coilovers', schemaVersion: 1 });

    const status = await migrate('status');
    expect(status.stdout).toMatch(/Applied \(4\):\n {2}garage\.0001-initial {2}applied .* in \d+ ms/);
    expect(status.stdout).toContain('Pending (0):');

    expect((await migrate('down', '3')).code).toBe(0);
    expect(await store.repository(vehiclesContainer).get('v1', 'ann')).toMatchObject({ schemaVersion: 1, mods: [expect.objectContaining({ id: 'm1', name: 'Coilovers' })] });
    expect((await migrate('status')).stdout).toContain('Pending (3):');
  }, 120_000);

  it('exits 1 with the reason on a bad command', async () => {
    const result = await migrate('down', 'zero');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('down takes a number of steps (1 or more), not "zero".');
  }, 60_000);
});
