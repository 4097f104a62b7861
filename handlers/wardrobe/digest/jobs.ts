/** The wardrobe's digest jobs. */
import type { JobSpec } from '../../../middleware/jobs/job-spec.ts';

export const digestJobs: readonly JobSpec[] = [];
