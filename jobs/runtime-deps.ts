import type { JobSettings } from '../domain/jobs.ts';
import type { Metrics } from '../domain/metrics.ts';
import type { BlobStore, Clock, DocumentStore, IdSource, MessageQueue } from '../domain/ports.ts';
import type { Logger } from '../middleware/logger.ts';
import type { JobRun, JobSpec } from '../kernel/jobs.ts';

/** Everything the job runtime needs, injected: memory ports in unit tests, emulators elsewhere. */
export interface JobRuntimeDeps {
  documents: DocumentStore;
  queue: MessageQueue;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  /** Attempts, retries, dead letters and run time per job type; absent: nothing recorded. */
  metrics?: Metrics;
  jobs: readonly JobSpec[];
  settings: (spec: JobSpec) => JobSettings;
  leaseSeconds: number;
  /** Builds a job's code from its module's factory, with its service's dependencies (app/app.ts). */
  bindJob?: (spec: JobSpec) => Promise<JobRun<unknown>>;
  random?: () => number;
}

/** Payloads larger than this travel as a blob; the queue's own limit is 48 KiB of raw text. */
export const INLINE_PAYLOAD_LIMIT = 40 * 1024;
export const PAYLOAD_CONTAINER = 'job-payloads';
