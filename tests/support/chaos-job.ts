/** The chaos test's job declaration and settings, shared by the test and its worker process. */
import type { JobSettings } from '../../domain/jobs.ts';
import { defineJob } from '../../kernel/jobs.ts';

export const chaosJob = defineJob<{ i: number; poison: boolean; slowIn: number }>({
  type: 'chaos.job',
  queue: 'chaos-jobs',
  payloadSchema: {
    type: 'object',
    required: ['i', 'poison', 'slowIn'],
    additionalProperties: false,
    properties: { i: { type: 'integer' }, poison: { type: 'boolean' }, slowIn: { type: 'integer' } },
  },
  settingsPrefix: 'CHAOS_JOB',
});

export const chaosSettings: JobSettings = {
  retry: { maxAttempts: 4, baseBackoffSeconds: 0.2, maxBackoffSeconds: 1, jitterSeconds: 0.2 },
  dedupeTtlSeconds: 3600,
  completedTtlSeconds: 3600,
};

/** Shorter than the test's patience, longer than any normal attempt. */
export const CHAOS_LEASE_SECONDS = 3;
