/**
 * Dead letters: a record in the store (the job, its attempts, the last error) AND a message on
 * `<queue>-deadletter` (or the job's own dead-letter queue) for whoever watches. Records are
 * what operators list, replay and purge; a job may keep them in its own container.
 */
import { validateId } from '../domain/documents.ts';
import { AppError, badRequest, notFound } from '../domain/errors.ts';
import type { JobRecord } from '../domain/jobs.ts';
import type { ContainerSpec, JobEnvelope, Page } from '../domain/ports.ts';
import { deadLettersContainerOf, deadLettersContainersOf } from './containers.ts';
import type { JobClient } from './job-client.ts';
import { deadLetterQueueFor } from '../kernel/jobs.ts';
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

export function createDeadLetters(deps: Pick<JobRuntimeDeps, 'documents' | 'queue' | 'clock' | 'logger' | 'jobs'>, client: JobClient) {
  const repository = (container: ContainerSpec) => deps.documents.repository<DeadLetterRecord>(container);
  /** Every dead-letter container, the shared one first. */
  const containers = deadLettersContainersOf(deps.jobs);

  async function record(letter: Omit<DeadLetterRecord, 'deadLetteredAt'>): Promise<void> {
    const stored: DeadLetterRecord = {
      ...letter,
      ...(letter.rawMessage ? { rawMessage: letter.rawMessage.slice(0, RAW_LIMIT) } : {}),
      deadLetteredAt: deps.clock.now().toISOString(),
    };
    const spec = client.findSpec(letter.type);
    await repository(deadLettersContainerOf(spec)).upsert(stored);
    await deps.queue.send(
      deadLetterQueueFor(spec ?? { queue: letter.queue }),
      JSON.stringify({ jobId: letter.id, type: letter.type, reason: letter.reason, lastError: letter.lastError, attempts: letter.attempts, deadLetteredAt: stored.deadLetteredAt }),
    );
    deps.logger.warn({ jobId: letter.id, type: letter.type, reason: letter.reason, attempts: letter.attempts }, 'job dead-lettered');
  }

  /** The containers to look in: the type's own when one is named, else all of them. */
  const containersFor = (type?: string) => (type ? [deadLettersContainerOf(client.findSpec(type))] : containers);

  /**
   * Newest first within each container, the containers one after another (the shared one
   * first); the continuation token says which container and where in it.
   */
  async function list(options: { limit: number; continuation?: string; type?: string }): Promise<Page<DeadLetterRecord>> {
    const searched = containersFor(options.type);
    let { index, token } = decodeCursor(options.continuation, searched.length);
    const items: DeadLetterRecord[] = [];
    while (index < searched.length && items.length < options.limit) {
      const page = await repository(searched[index]!).query({
        limit: options.limit - items.length,
        ...(token ? { continuation: token } : {}),
        ...(options.type ? { filters: [{ field: 'type', op: '=', value: options.type }] } : {}),
        orderBy: { field: 'deadLetteredAt', direction: 'desc' },
      });
      items.push(...page.items.map(({ etag: _etag, ...rest }) => rest as DeadLetterRecord));
      if (page.continuation) return { items, continuation: encodeCursor(index, page.continuation) };
      index++;
      token = undefined;
    }
    return { items, ...(index < searched.length ? { continuation: encodeCursor(index, undefined) } : {}) };
  }

  /** The letter with this id, and the container it is in. */
  async function find(id: string): Promise<{ letter: DeadLetterRecord; container: ContainerSpec } | undefined> {
    validateId(id);
    for (const container of containers) {
      const letter = await repository(container).get(id, id);
      if (letter) return { letter, container };
    }
    return undefined;
  }

  /** Re-enqueues the job with a fresh attempt count and removes its dead letter. */
  async function replay(id: string): Promise<{ jobId: string }> {
    const found = await find(id);
    if (!found) throw notFound(`No dead letter ${id}.`);
    const { letter, container } = found;
    if (!letter.envelope) throw new AppError(409, 'not_replayable', 'This dead letter was not a job envelope; it can only be purged.');
    const jobs = client.recordsOf(client.specOf(letter.envelope.type));
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
    await repository(container).delete(letter.id, letter.id);
    deps.logger.info({ jobId: letter.envelope.jobId, type: letter.envelope.type }, 'dead letter replayed');
    return { jobId: letter.envelope.jobId };
  }

  async function purge(id: string): Promise<boolean> {
    validateId(id);
    for (const container of containers) if (await repository(container).delete(id, id)) return true;
    return false;
  }

  /** Purges up to `max` dead letters, optionally of one type or older than a time. */
  async function purgeMany(options: { type?: string; before?: string; max: number }): Promise<{ purged: number; more: boolean }> {
    const filters = [
      ...(options.type ? [{ field: 'type', op: '=' as const, value: options.type }] : []),
      ...(options.before ? [{ field: 'deadLetteredAt', op: '<' as const, value: options.before }] : []),
    ];
    let purged = 0;
    let more = false;
    for (const container of containersFor(options.type)) {
      if (purged >= options.max) {
        more = true;
        break;
      }
      const page = await repository(container).query({ limit: options.max - purged, filters });
      for (const letter of page.items) if (await repository(container).delete(letter.id, letter.id)) purged++;
      more ||= Boolean(page.continuation);
    }
    return { purged, more };
  }

  return { record, list, replay, purge, purgeMany };
}

/** `{ container index, that container's token }` as one opaque token. */
function encodeCursor(index: number, token: string | undefined): string {
  return Buffer.from(JSON.stringify(token ? [index, token] : [index])).toString('base64url');
}

function decodeCursor(continuation: string | undefined, containers: number): { index: number; token: string | undefined } {
  if (!continuation) return { index: 0, token: undefined };
  try {
    const [index, token] = JSON.parse(Buffer.from(continuation, 'base64url').toString('utf8')) as [unknown, unknown];
    if (Number.isInteger(index) && (index as number) >= 0 && (index as number) < containers && (token === undefined || typeof token === 'string')) {
      return { index: index as number, token: token as string | undefined };
    }
  } catch {
    // fall through: a token we did not issue
  }
  throw badRequest('invalid_continuation', 'The continuation token is not valid.');
}

function stripEtag<T extends { etag?: string }>(document: T): Omit<T, 'etag'> {
  const { etag: _etag, ...rest } = document;
  return rest;
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
