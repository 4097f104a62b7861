/**
 * A job is declared once: its type, the queue it travels on, its payload schema, the
 * environment prefix of its retry settings, and the module that runs it. Routes enqueue with
 * the spec itself (`jobs.enqueue(tasteJob, payload)`), so the payload type is checked; only the
 * worker needs the list of every job.
 */
import type { Env } from './env.ts';
import type { JsonSchema } from './functions.ts';
import type { Logger } from 'pino';

export interface JobContext {
  jobId: string;
  attempt: number;
  /**
   * The attempts the job gets in all (`<PREFIX>_MAX_RETRIES` + 1): a job whose failure must leave
   * a trace in its own data (a draft marked Failed) knows when `attempt` is its last. Set by the
   * worker; absent in contexts built by hand.
   */
  maxAttempts?: number;
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
   * The job's factory, named like a function's (`handlers/wardrobe/taste/taste.job#createRun`,
   * the export defaults to `createRun`): imported and bound with its service's dependencies by
   * the composition root on first use. A spec never imports its code, so the routes and the job
   * module can both import the spec without an import circle. Tests may give `run` inline instead.
   */
  handler?: string;
  run?: JobRun<P>;
  /**
   * Where the job's names come from when a deployment renames them (the seed's
   * TASTE_JOB_QUEUE_NAME, ...): read at bind time by `resolveJob`, never at import, so the
   * generated serverless.yml does not depend on whoever ran the generator.
   */
  configure?: (env: Env) => Partial<Pick<JobSpec, 'queue' | 'deadLetterQueue' | 'jobsContainer' | 'deadLetterContainer'>>;
  /**
   * Optional per-job homes (a seed may name its own, e.g. TASTE_JOB_DEAD_LETTER_QUEUE_NAME):
   * where dead letters are announced (default `<queue>-deadletter`), and the containers of the
   * job records (default `jobs`) and dead-letter records (default `dead-letters`), both
   * partitioned by `id`.
   */
  deadLetterQueue?: string;
  jobsContainer?: string;
  deadLetterContainer?: string;
}

/** A spec of any payload, as lists of jobs hold them (a spec is invariant in its payload type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobSpec = JobSpec<any>;

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

/** The spec as this deployment names it: its `configure` applied to `env`. */
export function resolveJob<P>(spec: JobSpec<P>, env: Env): JobSpec<P> {
  return spec.configure ? { ...spec, ...spec.configure(env) } : spec;
}

/** Dead letters and poison messages go to queues named after the job queue. */
export const deadLetterQueueOf = (queue: string) => `${queue}-deadletter`;
export const poisonQueueOf = (queue: string) => `${queue}-poison`;
/** Where a job's dead letters are announced: its own queue if it names one. */
export const deadLetterQueueFor = (spec: Pick<JobSpec, 'queue' | 'deadLetterQueue'>) => spec.deadLetterQueue ?? deadLetterQueueOf(spec.queue);
