/**
 * A job is declared once: its type, the queue it travels on, its payload schema, the
 * environment prefix of its retry settings, and the module that runs it.
 */
import type { JsonSchema } from '../../app/define.ts';
import type { Logger } from '../logger.ts';

export interface JobContext {
  jobId: string;
  attempt: number;
  log: Logger;
  /** The W3C traceparent of the request that enqueued the job, kept across retries: hand it on. */
  traceparent?: string;
  /** Aborted when the job's lease is about to run out. */
  signal: AbortSignal;
  /**
   * Runs `effect` at most once per job and key, across retries and duplicate deliveries:
   * a later call with the same key returns the recorded result without running it again.
   */
  once<R>(key: string, effect: () => Promise<R>): Promise<R>;
}

export type JobRun<P> = (payload: P, context: JobContext) => Promise<void>;

export interface JobSpec<P = unknown> {
  /** Unique, dotted: `<service>.<job>`. */
  type: string;
  queue: string;
  payloadSchema: JsonSchema;
  /** Settings come from `<prefix>_MAX_RETRIES`, `_BASE_BACKOFF_SECONDS`, ... (see README). */
  settingsPrefix: string;
  /**
   * The job's code, imported on first use: `() => import('./my-job.ts')` (a literal path, so a
   * bundler such as esbuild for Lambda can follow it). Tests may give `run` inline instead.
   */
  load?: () => Promise<{ run: JobRun<P> }>;
  run?: JobRun<P>;
  /**
   * Optional per-job homes (a seed may name its own, e.g. TASTE_JOB_DEAD_LETTER_QUEUE_NAME):
   * where dead letters are announced (default `<queue>-deadletter`), and the containers of the
   * job records (default `jobs`) and dead-letter records (default `dead-letters`), both
   * partitioned by `id`. Read from the environment when the job list is loaded.
   */
  deadLetterQueue?: string;
  jobsContainer?: string;
  deadLetterContainer?: string;
}

/** A failure that retrying cannot fix: the job is dead-lettered at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export function defineJob<P>(spec: JobSpec<P>): JobSpec<P> {
  return spec;
}

/** Dead letters and poison messages go to queues named after the job queue. */
export const deadLetterQueueOf = (queue: string) => `${queue}-deadletter`;
export const poisonQueueOf = (queue: string) => `${queue}-poison`;
/** Where a job's dead letters are announced: its own queue if it names one. */
export const deadLetterQueueFor = (spec: Pick<JobSpec, 'queue' | 'deadLetterQueue'>) => spec.deadLetterQueue ?? deadLetterQueueOf(spec.queue);
