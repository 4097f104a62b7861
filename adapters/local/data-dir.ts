/** Where `npm start` keeps the embedded emulators' data, shared with `npm run migrate` so both see the same documents. */
import { join } from 'node:path';
import { localDataDir } from '../../app/project.ts';
import { startCosmosEmulator, type CosmosEmulator } from './cosmos-emulator.ts';

export { localDataDir };

/** The embedded Cosmos emulator on the data folder's snapshot, as `npm start` runs it. */
export function startLocalCosmos(dataDir: string): Promise<CosmosEmulator> {
  return startCosmosEmulator({
    snapshotFile: join(dataDir, 'cosmos.json'),
    // The next change or the shutdown writes again; say why, without a stack.
    onPersistError: (error) => console.error(`The Cosmos emulator's snapshot was not written: ${(error as Error).message}`),
  });
}
