/**
 * Enqueues jobs: builds the envelope, moves a large payload to a blob, validates the payload
 * before it leaves, and records the job as queued so its status can be polled at once.
 */
import { validateId } from '../../domain/documents.ts';
import { badRequest, notFound } from '../../domain/errors.ts';
import type { JobRecord } from '../../domain/jobs.ts';
import type { JobEnvelope } from '../../domain/ports.ts';
import { compileSchema, toFieldProblems } from '../validation.ts';
import { jobsContainer } from './containers.ts';
import type { JobSpec } from './job-spec.ts';
import { INLINE_PAYLOAD_LIMIT, PAYLOAD_CONTAINER, type JobRuntimeDeps } from './runtime-deps.ts';

export interface EnqueueOptions {
  /** Supply one to make enqueueing idempotent: the same id is the same job. */
  jobId?: string;
  delaySeconds?: number;
  traceparent?: string;
}

export function createJobClient(deps: Pick<JobRuntimeDeps, 'documents' | 'queue' | 'blobs' | 'clock' | 'ids' | 'jobs' | 'settings'>) {
  const specs = new Map(deps.jobs.map((spec) => [spec.type, spec]));
  const records = deps.documents.repository<JobRecord>(jobsContainer);

  function specOf(type: string): JobSpec {
    const spec = specs.get(type);
    if (!spec) throw badRequest('unknown_job_type', `No job is named "${type}".`);
    return spec;
  }

  /** Sends an envelope as it is (used for first sends, retries, deferrals and replays). */
  async function send(envelope: JobEnvelope, delaySeconds = 0): Promise<void> {
    const spec = specOf(envelope.type);
    let message = envelope;
    const inline = JSON.stringify(envelope.payload ?? null);
    if (envelope.payload !== undefined && Buffer.byteLength(inline) > INLINE_PAYLOAD_LIMIT) {
      const name = `${envelope.jobId}.json`;
      await deps.blobs.put(PAYLOAD_CONTAINER, name, Buffer.from(inline), 'application/json');
      const { payload: _moved, ...rest } = envelope;
      message = { ...rest, payloadRef: { container: PAYLOAD_CONTAINER, name } };
    }
    await deps.queue.send(spec.queue, JSON.stringify(message), { delaySeconds: Math.max(0, Math.ceil(delaySeconds)) });
  }

  async function enqueue<P>(type: string, payload: P, options: EnqueueOptions = {}): Promise<string> {
    const spec = specOf(type);
    const validate = compileSchema(spec.payloadSchema);
    if (!validate(payload)) throw badRequest('invalid_payload', 'The job payload is invalid.', toFieldProblems('payload', validate.errors ?? []));
    const jobId = validateId(options.jobId ?? deps.ids.next());
    const now = deps.clock.now();
    const settings = deps.settings(spec);
    try {
      await records.create({
        id: jobId,
        type,
        status: 'queued',
        attempt: 1,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        expiresAt: now.getTime() + settings.dedupeTtlSeconds * 1000,
      });
    } catch (error) {
      // Same job id again: the job exists already, which is the point of supplying one.
      if ((error as { code?: string }).code === 'already_exists') return jobId;
      throw error;
    }
    await send(
      { type, jobId, attempt: 1, enqueuedAt: now.toISOString(), payload, ...(options.traceparent ? { traceparent: options.traceparent } : {}) },
      options.delaySeconds,
    );
    return jobId;
  }

  async function status(jobId: string): Promise<JobRecord> {
    const record = await records.get(validateId(jobId), jobId);
    if (!record) throw notFound(`No job ${jobId} is known (finished jobs are kept for a limited time).`);
    const { etag: _etag, ...rest } = record;
    return rest as JobRecord;
  }

  return { enqueue, send, status, specOf };
}

export type JobClient = ReturnType<typeof createJobClient>;
