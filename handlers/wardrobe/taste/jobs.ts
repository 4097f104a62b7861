/** The wardrobe's taste jobs. */
import type { JobSpec } from '../../../middleware/jobs/job-spec.ts';

export const tasteJobs: readonly JobSpec[] = [];
