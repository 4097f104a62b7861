/**
 * Every job Portico runs, like the function table is for functions. The worker and poison
 * functions of each job queue are derived from this list (handlers/jobs/functions.ts).
 */
import type { JobSpec } from '../kernel/jobs.ts';
import { systemJobs } from '../handlers/system/jobs.ts';
import { wardrobeJobs } from '../handlers/wardrobe/jobs.ts';

export const jobs: readonly JobSpec[] = [...systemJobs, ...wardrobeJobs] as JobSpec[];
