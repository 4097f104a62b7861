/** Changes to a capability job's document, read-modify-write, shared by the run and callback jobs. */
import { readModifyWrite } from '../../domain/documents.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import { callbackJob } from './jobs.ts';
import { capabilityJobsContainer, type CapabilityJobDoc } from './store.ts';

export interface JobDocDeps {
  documents: DocumentStore;
  clock: Clock;
  jobs: Pick<JobClient, 'enqueue'>;
}

export function jobDocs(deps: JobDocDeps) {
  const repository = deps.documents.repository<CapabilityJobDoc>(capabilityJobsContainer);
  const stamp = () => deps.clock.now().toISOString();

  /** Applies `change` to the current document (undefined: leave it); answers the stored result. */
  const update = (id: string, change: (doc: CapabilityJobDoc) => Partial<CapabilityJobDoc> | undefined) =>
    readModifyWrite(repository, id, id, (current) => {
      if (!current) return undefined;
      const patch = change(current);
      if (!patch) return undefined;
      const { etag: _etag, ...doc } = current;
      return { ...doc, ...patch, updatedAt: stamp() };
    });

  return {
    get: (id: string) => repository.get(id, id),
    update,
    /** Records the outcome once, then queues the callback when the job has one (idempotent by its id). */
    async finish(id: string, outcome: Pick<CapabilityJobDoc, 'status' | 'result' | 'error'>): Promise<void> {
      const stored = await update(id, (doc) => (doc.status === 'succeeded' || doc.status === 'failed' ? undefined : { ...outcome, completedAt: stamp() }));
      const doc = stored ?? (await repository.get(id, id));
      if (doc?.callbackUrl) await deps.jobs.enqueue(callbackJob, { jobId: id }, { jobId: `${id}-callback` });
    },
  };
}
