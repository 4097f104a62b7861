/** The wardrobe service's jobs. */
import type { JobSpec } from '../../middleware/jobs/job-spec.ts';
import { digestJobs } from './digest/jobs.ts';
import { scraperJobs } from './scraper/jobs.ts';
import { tasteJobs } from './taste/jobs.ts';

export const wardrobeJobs: readonly JobSpec[] = [...tasteJobs, ...digestJobs, ...scraperJobs];
