/** The wardrobe's taste jobs: one job computes and stores a user's taste profile from quiz answers. */
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';
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
