/** The draft processing job: one run per upload (and per retry) turns a Processing draft Ready or Failed. */
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';

export interface DraftJobPayload {
  userId: string;
  draftId: string;
  /** The draft's `draftOptions.run` this job was started for; a later retry supersedes it. */
  run: number;
}

export const draftJob = defineJob<DraftJobPayload>({
  type: 'wardrobe.draft-processing',
  queue: 'draft-jobs',
  payloadSchema: {
    type: 'object',
    required: ['userId', 'draftId', 'run'],
    additionalProperties: false,
    properties: {
      userId: { type: 'string', minLength: 1, maxLength: 1023 },
      draftId: { type: 'string', pattern: '^upload-[0-9a-f]{32}$' },
      run: { type: 'integer', minimum: 1 },
    },
  },
  settingsPrefix: 'DRAFT_JOB',
  handler: 'handlers/wardrobe/drafts/draft.job#createRun',
});

/**
 * The job id of a draft's run: enqueueing the same run twice is one job. The run's start time is
 * part of it, so a run counter lost to a client's full-replace PUT (which drops `draftOptions`)
 * can never name an old, already completed job.
 */
export const draftJobId = (draftId: string, run: number, startedAt: string) => `${draftId}-run-${run}-${startedAt.replace(/[^0-9]/g, '')}`;

export const draftJobs: readonly JobSpec[] = [draftJob as JobSpec];
