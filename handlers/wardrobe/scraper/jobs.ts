/**
 * The scraper's job: `wardrobe.scraper-run` reads one brand-site source (its sitemap and
 * listing pages, then its product pages, at most SCRAPER_MAX_CONCURRENCY at once) into the
 * feed. A site that is slow or down fails the job, which the runtime retries with backoff and
 * in the end dead-letters; a product page that fails is skipped (the next run reads it again).
 */
import { defineJob, type JobSpec } from '../../../kernel/jobs.ts';

export interface RunJobPayload {
  sourceId: string;
  /** Names the run: the timer's slot, or a subscription's hour, so a repeat is the same job. */
  runId: string;
}

export const runJob = defineJob<RunJobPayload>({
  type: 'wardrobe.scraper-run',
  queue: 'scraper-jobs',
  payloadSchema: {
    type: 'object',
    required: ['sourceId', 'runId'],
    additionalProperties: false,
    properties: {
      sourceId: { type: 'string', pattern: '^[a-z0-9_-]{1,100}$' },
      runId: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
    },
  },
  settingsPrefix: 'SCRAPER_JOB',
  handler: 'handlers/wardrobe/scraper/run.job#createRun',
});

export const scraperJobs: readonly JobSpec[] = [runJob as JobSpec];

/** One job per source and run. */
export const runJobId = (sourceId: string, runId: string) => `scraper-run-${sourceId}-${runId}`;
