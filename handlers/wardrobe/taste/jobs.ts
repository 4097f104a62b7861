/**
 * The wardrobe's taste job: adds a taste signal (a completed quiz session's inferred tastes, or
 * a liked discover item's tags and brand) to the user's profile. The quiz and the discover feed
 * both enqueue it through `enqueueTasteSignal`.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../domain/ports.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { TasteSignalSource } from '../../../domain/wardrobe/taste.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { tasteJobPayload, type TasteJobPayload } from './schemas.ts';
import { loadTasteSettings, TASTE_JOB_DEFAULT_NAMES } from './settings.ts';

/**
 * Declared with the default names (the generated serverless.yml and openapi.json use them); a
 * deployment's TASTE_JOB_QUEUE_NAME, TASTE_JOB_DEAD_LETTER_QUEUE_NAME, COSMOS_DB_TASTE_JOBS_CONTAINER
 * and COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER replace them when the app resolves its jobs
 * (`configure`, applied by resolveJob), never when this module is imported.
 */
export const tasteJob = defineJob<TasteJobPayload>({
  type: 'wardrobe.taste-profile',
  queue: TASTE_JOB_DEFAULT_NAMES.queue,
  payloadSchema: tasteJobPayload,
  settingsPrefix: 'TASTE_JOB',
  deadLetterQueue: TASTE_JOB_DEFAULT_NAMES.deadLetterQueue,
  jobsContainer: TASTE_JOB_DEFAULT_NAMES.jobsContainer,
  deadLetterContainer: TASTE_JOB_DEFAULT_NAMES.deadLetterContainer,
  configure: (env) => {
    const { queue, deadLetterQueue, jobsContainer, deadLetterContainer } = loadTasteSettings(env);
    return { queue, deadLetterQueue, jobsContainer, deadLetterContainer };
  },
  handler: 'handlers/wardrobe/taste/taste.job#createRun',
});

export const tasteJobs: readonly JobSpec[] = [tasteJob as JobSpec];

/** One job per quiz session, and one per (user, liked item): a repeated complete or up-vote is the same job. */
export const tasteJobId = (userId: string, source: TasteSignalSource, sourceId: string) =>
  `taste-${source}-${createHash('sha256').update(`${userId}\n${source}\n${sourceId}`).digest('hex').slice(0, 32)}`;

export interface TasteSignalInput {
  userId: string;
  source: TasteSignalSource;
  sourceId: string;
  styleKeywords: readonly string[];
  brands: readonly string[];
}

/**
 * Enqueues the taste job for a signal (nothing when it names no keyword or brand). Enqueueing
 * with an explicit id is idempotent, so callers enqueue on every request that shows the signal:
 * a retry after a crash between their write and the enqueue still gets its job.
 */
export async function enqueueTasteSignal(deps: { jobs: Pick<JobClient, 'enqueue'>; clock: Clock }, signal: TasteSignalInput, context: { traceparent?: string | undefined }): Promise<string | undefined> {
  // Within the payload schema's bounds, so stored data (a scraped item's tags) can never fail the enqueue.
  const keys = (values: readonly string[]) => values.map((value) => value.trim()).filter((value) => value.length > 0 && value.length <= 200).slice(0, 100);
  const styleKeywords = keys(signal.styleKeywords);
  const brands = keys(signal.brands);
  if (styleKeywords.length === 0 && brands.length === 0) return undefined;
  const payload: TasteJobPayload = { ...signal, styleKeywords, brands, submittedAt: isoSeconds(deps.clock.now()) };
  return deps.jobs.enqueue(tasteJob, payload, { jobId: tasteJobId(signal.userId, signal.source, signal.sourceId), ...traceOf(context) });
}
