/** The voice service's queue jobs, each retried with backoff and dead-lettered with its reason. */
import type { JobSpec } from '../../kernel/jobs.ts';

export const voiceJobs: readonly JobSpec[] = [];
