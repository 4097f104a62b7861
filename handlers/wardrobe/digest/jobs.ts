/**
 * The wardrobe's digest job: builds the weekly digest of a batch of users, at most
 * WEEKLY_DIGEST_MAX_CONCURRENCY at once. A user that fails is split off into a job of its own,
 * which the runtime retries and, in the end, dead-letters: never dropped, never blocking others.
 */
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';

export interface DigestJobPayload {
  userIds: string[];
  /** The moment the digest describes (the timer's slot, or when an admin ran it). */
  asOf: string;
}

/** Users per job: enough to amortise a message, few enough that a retry is cheap. */
export const DIGEST_BATCH_USERS = 25;

export const digestJob = defineJob<DigestJobPayload>({
  type: 'wardrobe.digest',
  queue: 'digest-jobs',
  payloadSchema: {
    type: 'object',
    required: ['userIds', 'asOf'],
    additionalProperties: false,
    properties: {
      userIds: { type: 'array', minItems: 1, maxItems: DIGEST_BATCH_USERS, items: { type: 'string', minLength: 1, maxLength: 1023 } },
      asOf: { type: 'string', format: 'date-time' },
    },
  },
  settingsPrefix: 'DIGEST_JOB',
  handler: 'handlers/wardrobe/digest/digest.job#createRun',
});

export const digestJobs: readonly JobSpec[] = [digestJob as JobSpec];
