/**
 * The per-user cap on concurrent chat streams, shared by every instance: one document per user
 * lists the leases of the streams in flight (ETag-checked). A lease that its stream never
 * released (the instance died) stops counting at its `until`, just after the longest stream.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import type { Logger } from '../../../middleware/logger.ts';
import { streamsContainer, type StreamsDoc } from './store.ts';

const DOC_ID = 'streams';
/** A refused client should come back soon: most streams last seconds, not the whole cap. */
const MAX_RETRY_AFTER_SECONDS = 10;

export function createStreamSlots(deps: { documents: DocumentStore; clock: Clock; ids: IdSource; maxPerUser: number; leaseMs: number }) {
  const repository = deps.documents.repository<StreamsDoc>(streamsContainer);

  return {
    /** A lease id, or a 429 `too_many_streams` when the user already has `maxPerUser` streams. */
    async acquire(userId: string): Promise<string> {
      const id = deps.ids.next();
      await readModifyWrite(repository, DOC_ID, userId, (current) => {
        const now = deps.clock.now().getTime();
        const live = (current?.leases ?? []).filter((lease) => lease.until > now);
        if (live.length >= deps.maxPerUser) {
          const soonest = Math.min(...live.map((lease) => lease.until));
          const retryAfter = Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil((soonest - now) / 1000)));
          throw new AppError(429, 'too_many_streams', `At most ${deps.maxPerUser} chat streams at once; wait for one to finish.`, { headers: { 'retry-after': String(retryAfter) } });
        }
        return { id: DOC_ID, userId, leases: [...live, { id, until: now + deps.leaseMs }] };
      });
      return id;
    },

    /** Never throws: a lease that cannot be released now still runs out at its `until`. */
    async release(userId: string, leaseId: string, log: Pick<Logger, 'warn'>): Promise<void> {
      try {
        await readModifyWrite(repository, DOC_ID, userId, (current) =>
          current?.leases.some((lease) => lease.id === leaseId) ? { id: DOC_ID, userId, leases: current.leases.filter((lease) => lease.id !== leaseId) } : undefined,
        );
      } catch (error) {
        log.warn({ err: error }, 'could not release a chat stream lease; it expires on its own');
      }
    },
  };
}

export type StreamSlots = ReturnType<typeof createStreamSlots>;
