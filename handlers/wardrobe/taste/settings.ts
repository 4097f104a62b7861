/**
 * The seed's TASTE_JOB_* and COSMOS_DB_TASTE_* settings (the retry ones are read by jobSettings
 * in app/config.ts). Pure functions of `env`: the job spec's `configure` reads the names when the
 * app resolves its jobs, and the wardrobe's settings (deps.settings.taste) the rest at bind time;
 * a bad value stops start-up, naming the variable.
 */
import { ConfigError, integer, text, type Env } from '../../../kernel/env.ts';
import { deadLetterQueueOf } from '../../../kernel/jobs.ts';

export interface TasteSettings {
  queue: string;
  deadLetterQueue: string;
  jobsContainer: string;
  deadLetterContainer: string;
  /** Conditional (ETag) retries of one profile write before the attempt fails. */
  profileUpdateMaxRetries: number;
}

// Azure Storage queue names (SQS accepts them too): 3-63 lowercase letters, digits, single hyphens.
const QUEUE_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** The taste job's names when a deployment does not rename them: what `loadTasteSettings({})` returns. */
export const TASTE_JOB_DEFAULT_NAMES = {
  queue: 'taste-jobs',
  deadLetterQueue: deadLetterQueueOf('taste-jobs'),
  jobsContainer: 'taste-jobs',
  deadLetterContainer: 'taste-job-dead-letters',
} as const;

function named(env: Env, name: string, fallback: string, pattern: RegExp, rule: string): string {
  const value = text(env, name) ?? fallback;
  if (!pattern.test(value)) throw new ConfigError(name, `must be ${rule}, got "${value}"`);
  return value;
}

export function loadTasteSettings(env: Env): TasteSettings {
  const queueRule = '3-63 lowercase letters, digits and single hyphens';
  const defaults = TASTE_JOB_DEFAULT_NAMES;
  const queue = named(env, 'TASTE_JOB_QUEUE_NAME', defaults.queue, QUEUE_NAME, queueRule);
  return {
    queue,
    deadLetterQueue: named(env, 'TASTE_JOB_DEAD_LETTER_QUEUE_NAME', deadLetterQueueOf(queue), QUEUE_NAME, queueRule),
    jobsContainer: named(env, 'COSMOS_DB_TASTE_JOBS_CONTAINER', defaults.jobsContainer, CONTAINER_NAME, 'letters, digits, - and _'),
    deadLetterContainer: named(env, 'COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER', defaults.deadLetterContainer, CONTAINER_NAME, 'letters, digits, - and _'),
    profileUpdateMaxRetries: integer(env, 'TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES', 5, 0, 100),
  };
}
