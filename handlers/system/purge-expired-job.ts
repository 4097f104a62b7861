/**
 * Deletes expired documents from one container. Cosmos DB expires them itself through `ttl`;
 * this sweep is for stores that do not (the emulator), and keeps queries cheap everywhere.
 */
import { containers } from '../../app/containers.ts';
import { getDocumentStore } from '../../app/composition.ts';
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import { PermanentJobError, type JobRun } from '../../middleware/jobs/job-spec.ts';
import type { PurgeExpiredPayload } from './jobs.ts';

const BATCH = 200;

export function createRun(deps: { documents: DocumentStore; clock: Clock }): JobRun<PurgeExpiredPayload> {
  return async ({ container }, context) => {
    const spec = containers.find((candidate) => candidate.name === container);
    if (!spec) throw new PermanentJobError(`No container is named "${container}".`);
    const repository = deps.documents.repository(spec);
    let deleted = 0;
    for (let round = 0; round < 50 && !context.signal.aborted; round++) {
      // Expired documents are invisible to reads, so ask for those expiring before "now + 0" via the raw field.
      const page = await repository.query({ limit: BATCH, filters: [{ field: 'expiresAt', op: '<=', value: deps.clock.now().getTime() }], includeExpired: true } as never);
      for (const document of page.items) {
        try {
          if (await repository.delete(document.id, String(document[spec.partitionKey]), document.etag)) deleted++;
        } catch (error) {
          if (!(error instanceof PreconditionFailedError)) throw error; // rewritten meanwhile: no longer ours to delete
        }
      }
      if (page.items.length < BATCH) break;
    }
    context.log.info({ container, deleted }, 'expired documents purged');
  };
}

export const run: JobRun<PurgeExpiredPayload> = createRun({ documents: getDocumentStore(), clock: { now: () => new Date() } });
