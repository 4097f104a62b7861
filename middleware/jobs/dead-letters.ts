/**
 * Dead letters: a record in the store (the job, its attempts, the last error) AND a message on
 * `<queue>-deadletter` for whoever watches. Records are what operators list, replay and purge.
 */
import { validateId } from '../../domain/documents.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { JobRecord } from '../../domain/jobs.ts';
import type { JobEnvelope, Page } from '../../domain/ports.ts';
import { deadLettersContainer, jobsContainer } from './containers.ts';
import type { JobClient } from './job-client.ts';
import { deadLetterQueueOf } from './job-spec.ts';
import type { JobRuntimeDeps } from './runtime-deps.ts';

export type DeadLetterReason = 'unparseable' | 'unknown_type' | 'invalid_payload' | 'payload_missing' | 'max_attempts' | 'permanent_failure' | 'poisoned';

export type DeadLetterRecord = {
  id: string;
  queue: string;
  type?: string;
  reason: DeadLetterReason;
  lastError: string;
  attempts: number;
  deadLetteredAt: string;
  /** The envelope, when the message was one; replay re-sends it. */
  envelope?: JobEnvelope;
  /** The raw message (truncated) when it was not an envelope. */
  rawMessage?: string;
};

const RAW_LIMIT = 8 * 1024;

export function createDeadLetters(deps: Pick<JobRuntimeDeps, 'documents' | 'queue' | 'clock' | 'logger'>, client: JobClient) {
  const records = deps.documents.repository<DeadLetterRecord>(deadLettersContainer);
  const jobs = deps.documents.repository<JobRecord>(jobsContainer);

  async function record(letter: Omit<DeadLetterRecord, 'deadLetteredAt'>): Promise<void> {
    const stored: DeadLetterRecord = {
      ...letter,
      ...(letter.rawMessage ? { rawMessage: letter.rawMessage.slice(0, RAW_LIMIT) } : {}),
      deadLetteredAt: deps.clock.now().toISOString(),
    };
    await records.upsert(stored);
    await deps.queue.send(
      deadLetterQueueOf(letter.queue),
      JSON.stringify({ jobId: letter.id, type: letter.type, reason: letter.reason, lastError: letter.lastError, attempts: letter.attempts, deadLetteredAt: stored.deadLetteredAt }),
    );
    deps.logger.warn({ jobId: letter.id, type: letter.type, reason: letter.reason, attempts: letter.attempts }, 'job dead-lettered');
  }

  async function list(options: { limit: number; continuation?: string; type?: string }): Promise<Page<DeadLetterRecord>> {
    const page = await records.query({
      limit: options.limit,
      ...(options.continuation ? { continuation: options.continuation } : {}),
      ...(options.type ? { filters: [{ field: 'type', op: '=', value: options.type }] } : {}),
      orderBy: { field: 'deadLetteredAt', direction: 'desc' },
    });
    return { ...page, items: page.items.map(({ etag: _etag, ...rest }) => rest as DeadLetterRecord) };
  }

  /** Re-enqueues the job with a fresh attempt count and removes its dead letter. */
  async function replay(id: string): Promise<{ jobId: string }> {
    const letter = await records.get(validateId(id), id);
    if (!letter) throw notFound(`No dead letter ${id}.`);
    if (!letter.envelope) throw new AppError(409, 'not_replayable', 'This dead letter was not a job envelope; it can only be purged.');
    client.specOf(letter.envelope.type);
    const now = deps.clock.now();
    const previous = await jobs.get(letter.envelope.jobId, letter.envelope.jobId);
    await jobs.upsert({
      ...(previous ? stripEtag(previous) : {}),
      id: letter.envelope.jobId,
      type: letter.envelope.type,
      status: 'queued',
      attempt: 1,
      leaseUntil: undefined,
      createdAt: previous?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    } as JobRecord);
    await client.send({ ...letter.envelope, attempt: 1, enqueuedAt: now.toISOString() });
    await records.delete(letter.id, letter.id);
    deps.logger.info({ jobId: letter.envelope.jobId, type: letter.envelope.type }, 'dead letter replayed');
    return { jobId: letter.envelope.jobId };
  }

  async function purge(id: string): Promise<boolean> {
    return records.delete(validateId(id), id);
  }

  /** Purges up to `max` dead letters, optionally of one type or older than a time. */
  async function purgeMany(options: { type?: string; before?: string; max: number }): Promise<{ purged: number; more: boolean }> {
    const filters = [
      ...(options.type ? [{ field: 'type', op: '=' as const, value: options.type }] : []),
      ...(options.before ? [{ field: 'deadLetteredAt', op: '<' as const, value: options.before }] : []),
    ];
    const page = await records.query({ limit: options.max, filters });
    let purged = 0;
    for (const letter of page.items) if (await records.delete(letter.id, letter.id)) purged++;
    return { purged, more: Boolean(page.continuation) };
  }

  return { record, list, replay, purge, purgeMany };
}

function stripEtag<T extends { etag?: string }>(document: T): Omit<T, 'etag'> {
  const { etag: _etag, ...rest } = document;
  return rest;
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
