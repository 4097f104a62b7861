/** The wardrobe's scraper jobs. */
import type { JobSpec } from '../../../middleware/jobs/job-spec.ts';

export const scraperJobs: readonly JobSpec[] = [];
