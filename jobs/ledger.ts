/**
 * The side-effect ledger. An effect runs, then its result is recorded under `<jobId>:<key>`;
 * a later delivery of the same job finds the record and does not run it again. Make the
 * effect itself idempotent by that key where the far side allows it (an idempotency key),
 * which closes the one gap left: a crash between the effect and its record.
 */
import type { DocumentRepository } from '../domain/ports.ts';
import { ledgerContainer } from './containers.ts';
import type { JobRuntimeDeps } from './runtime-deps.ts';

type LedgerEntry = {
  id: string;
  jobId: string;
  key: string;
  result: unknown;
  recordedAt: string;
  expiresAt?: number;
};

export function createLedger(deps: Pick<JobRuntimeDeps, 'documents' | 'clock'>) {
  const entries: DocumentRepository<LedgerEntry> = deps.documents.repository<LedgerEntry>(ledgerContainer);
  return {
    async once<R>(jobId: string, key: string, effect: () => Promise<R>, keepSeconds: number): Promise<R> {
      const id = `${jobId}:${key}`;
      const recorded = await entries.get(id, jobId);
      if (recorded) return recorded.result as R;
      const result = await effect();
      const now = deps.clock.now();
      try {
        await entries.create({ id, jobId, key, result: result ?? null, recordedAt: now.toISOString(), expiresAt: now.getTime() + keepSeconds * 1000 });
      } catch (error) {
        // Another delivery recorded it first; theirs stands.
        if ((error as { code?: string }).code !== 'already_exists') throw error;
      }
      return result;
    },
    async entriesOf(jobId: string) {
      return (await entries.query({ partitionKey: jobId, filters: [{ field: 'jobId', op: '=', value: jobId }], limit: 100 })).items;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
