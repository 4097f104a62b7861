/**
 * The wardrobe's scraper jobs: `wardrobe.scraper-refresh` re-checks the prices of a page of
 * imported items, at most SCRAPER_MAX_CONCURRENCY at once. An item that fails is split off into
 * a job of its own, which the runtime retries and in the end dead-letters: never dropped.
 */
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';

export interface RefreshJobPayload {
  /** Names the run (the timer's slot, or an admin's run): price history entries are per item and run. */
  runId: string;
  items: { userId: string; itemId: string }[];
}

/** Items per job: a page of the sources, small enough that a retry is cheap. */
export const REFRESH_BATCH_ITEMS = 25;

const id = { type: 'string', minLength: 1, maxLength: 1023, pattern: '^[^/\\\\?#]+$' };

export const refreshJob = defineJob<RefreshJobPayload>({
  type: 'wardrobe.scraper-refresh',
  queue: 'scraper-jobs',
  payloadSchema: {
    type: 'object',
    required: ['runId', 'items'],
    additionalProperties: false,
    properties: {
      runId: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
      items: {
        type: 'array',
        minItems: 1,
        maxItems: REFRESH_BATCH_ITEMS,
        items: { type: 'object', required: ['userId', 'itemId'], additionalProperties: false, properties: { userId: id, itemId: id } },
      },
    },
  },
  settingsPrefix: 'SCRAPER_JOB',
  handler: 'handlers/wardrobe/scraper/refresh.job#createRun',
});

export const scraperJobs: readonly JobSpec[] = [refreshJob as JobSpec];
