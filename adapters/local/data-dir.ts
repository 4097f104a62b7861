/** Where `npm start` keeps the embedded emulators' data, shared with `npm run migrate` so both see the same documents. */
import { join } from 'node:path';
import { projectRoot } from '../../app/project.ts';
import { startCosmosEmulator, type CosmosEmulator } from './cosmos-emulator.ts';

/** `.data/` at the project root (git-ignored), or PORTICO_DATA_DIR. */
export const localDataDir = (): string => process.env.PORTICO_DATA_DIR ?? join(projectRoot, '.data');

/** The embedded Cosmos emulator on the data folder's snapshot, as `npm start` runs it. */
export function startLocalCosmos(dataDir: string): Promise<CosmosEmulator> {
  return startCosmosEmulator({
    snapshotFile: join(dataDir, 'cosmos.json'),
    // The next change or the shutdown writes again; say why, without a stack.
    onPersistError: (error) => console.error(`The Cosmos emulator's snapshot was not written: ${(error as Error).message}`),
  });
}
