/**
 * The pure rules of the job runtime: the retry policy, the message envelope, and what to do
 * with a delivery given the job's record. No I/O here; jobs/ (the job runtime) does the plumbing.
 */
import type { JobEnvelope } from './ports.ts';

export interface RetryPolicy {
  /** Total attempts, the first included (the seeds' *_MAX_RETRIES + 1). */
  maxAttempts: number;
  baseBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** Extra uniform jitter added on top, so retries of jobs that failed together spread out. */
  jitterSeconds: number;
}

/**
 * Delay before attempt `failedAttempt + 1`: exponential backoff with full jitter
 * (uniform between 0 and min(max, base * 2^(n-1))), plus up to `jitterSeconds`.
 */
export function backoffSeconds(failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffSeconds, policy.baseBackoffSeconds * 2 ** Math.max(0, failedAttempt - 1));
  return random() * ceiling + random() * policy.jitterSeconds;
}

export type JobStatus = 'queued' | 'running' | 'retrying' | 'completed' | 'dead-lettered';

/** One document per job: its status for callers to poll, its lease, and its dedupe marker. */
export type JobRecord = {
  id: string;
  type: string;
  status: JobStatus;
  attempt: number;
  /** Epoch ms until which a worker holds the job; a crashed worker's lease simply runs out. */
  leaseUntil?: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  expiresAt?: number;
};

export type Delivery =
  | { action: 'run' }
  | { action: 'skip'; reason: 'already-finished' | 'superseded' }
  | { action: 'defer'; seconds: number };

/** Decides what a worker does with a delivery of `envelope`, given the job's record (if any). */
export function decideDelivery(record: JobRecord | undefined, envelope: JobEnvelope, nowMs: number): Delivery {
  if (!record) return { action: 'run' };
  if (record.status === 'completed' || record.status === 'dead-lettered') return { action: 'skip', reason: 'already-finished' };
  // A duplicate of an attempt that has since failed and been re-enqueued: the newer message carries the job.
  if (envelope.attempt < record.attempt) return { action: 'skip', reason: 'superseded' };
  if (record.status === 'running' && (record.leaseUntil ?? 0) > nowMs) {
    return { action: 'defer', seconds: Math.ceil(((record.leaseUntil ?? nowMs) - nowMs) / 1000) };
  }
  return { action: 'run' };
}

export type EnvelopeResult = { ok: true; envelope: JobEnvelope } | { ok: false; reason: string };

const JOB_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** Parses a queue message into an envelope, or says exactly why it is not one. */
export function parseEnvelope(text: string): EnvelopeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The message is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'The message is not a JSON object.' };
  const envelope = value as Partial<JobEnvelope>;
  if (typeof envelope.type !== 'string' || envelope.type === '') return { ok: false, reason: 'The envelope has no type.' };
  if (typeof envelope.jobId !== 'string' || !JOB_ID.test(envelope.jobId)) return { ok: false, reason: 'The envelope has no valid jobId.' };
  if (!Number.isInteger(envelope.attempt) || (envelope.attempt as number) < 1) return { ok: false, reason: 'The envelope has no valid attempt.' };
  if (typeof envelope.enqueuedAt !== 'string') return { ok: false, reason: 'The envelope has no enqueuedAt.' };
  if (envelope.payload === undefined && envelope.payloadRef === undefined) return { ok: false, reason: 'The envelope has no payload.' };
  return { ok: true, envelope: envelope as JobEnvelope };
}

/** The id of a timer slot's claim document: one per job and scheduled time. */
export const slotClaimId = (job: string, slot: string) => `run:${job}:${slot.replace(/[^0-9TZ]/g, '')}`;

export interface JobSettings {
  retry: RetryPolicy;
  /** How long a finished job's record blocks a duplicate delivery; at least the message's lifetime. */
  dedupeTtlSeconds: number;
  /** How long a caller can poll a finished job's status. */
  completedTtlSeconds: number;
}
