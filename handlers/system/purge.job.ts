/**
 * Deletes expired documents from one container. Reads already ignore them, and Cosmos DB
 * deletes them itself through `ttl`; this sweep is for stores that do not (the emulator).
 */
import type { ContainerSpec, DocumentStore } from '../../domain/ports.ts';
import { PermanentJobError, type JobRun } from '../../kernel/jobs.ts';
import type { PurgeExpiredPayload } from './jobs.ts';

const BATCH = 200;
const MAX_BATCHES = 50;

export function createRun(deps: { documents: DocumentStore; catalog: { containers: readonly ContainerSpec[] } }): JobRun<PurgeExpiredPayload> {
  return async ({ container }, context) => {
    const spec = deps.catalog.containers.find((candidate) => candidate.name === container);
    if (!spec) throw new PermanentJobError(`No container is named "${container}".`);
    const repository = deps.documents.repository(spec);
    let purged = 0;
    for (let batch = 0; batch < MAX_BATCHES && !context.signal.aborted; batch++) {
      const count = await repository.purgeExpired(BATCH);
      purged += count;
      if (count < BATCH) break;
    }
    context.log.info({ container, purged }, 'expired documents purged');
  };
}
