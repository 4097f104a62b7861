/** The wardrobe service's jobs. */
import type { JobSpec } from '../../kernel/jobs.ts';
import { digestJobs } from './digest/jobs.ts';
import { scraperJobs } from './scraper/jobs.ts';
import { tasteJobs } from './taste/jobs.ts';

export const wardrobeJobs: readonly JobSpec[] = [...tasteJobs, ...digestJobs, ...scraperJobs];
