/** The wardrobe's taste jobs: one job computes and stores a user's taste profile from quiz answers. */
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';
import type { TasteAnswer } from '../../../domain/wardrobe/taste.ts';
import { loadTasteSettings } from './settings.ts';

export interface TasteJobPayload {
  userId: string;
  /** Checked against the quiz, in canonical order. */
  answers: TasteAnswer[];
  submittedAt: string;
}

/** Resolved when the job list is loaded: at start-up, and when serverless.yml is generated. */
export const tasteSettings = loadTasteSettings(process.env);

const id = { type: 'string', minLength: 1, maxLength: 100 };

export const tasteJob = defineJob<TasteJobPayload>({
  type: 'wardrobe.taste-profile',
  queue: tasteSettings.queue,
  payloadSchema: {
    type: 'object',
    required: ['userId', 'answers', 'submittedAt'],
    additionalProperties: false,
    properties: {
      userId: { type: 'string', minLength: 1, maxLength: 1023 },
      answers: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: { type: 'object', required: ['questionId', 'optionId'], additionalProperties: false, properties: { questionId: id, optionId: id } },
      },
      submittedAt: { type: 'string', format: 'date-time' },
    },
  },
  settingsPrefix: 'TASTE_JOB',
  deadLetterQueue: tasteSettings.deadLetterQueue,
  jobsContainer: tasteSettings.jobsContainer,
  deadLetterContainer: tasteSettings.deadLetterContainer,
  load: () => import('./taste-job.ts'),
});

export const tasteJobs: readonly JobSpec[] = [tasteJob as JobSpec];
