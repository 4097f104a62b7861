/**
 * Enqueues jobs: builds the envelope, moves a large payload to a blob, validates the payload
 * before it leaves, and records the job as queued so its status can be polled at once.
 */
import { validateId } from '../domain/documents.ts';
import { badRequest, notFound } from '../domain/errors.ts';
import type { JobRecord } from '../domain/jobs.ts';
import type { JobEnvelope } from '../domain/ports.ts';
import { compileSchema, toFieldProblems } from '../middleware/validation.ts';
import { jobsContainerOf, jobsContainersOf } from './containers.ts';
import type { JobSpec } from '../kernel/jobs.ts';
import { INLINE_PAYLOAD_LIMIT, PAYLOAD_CONTAINER, type JobRuntimeDeps } from './runtime-deps.ts';

export interface EnqueueOptions {
  /** Supply one to make enqueueing idempotent: the same id is the same job. */
  jobId?: string;
  delaySeconds?: number;
  traceparent?: string;
}

export function createJobClient(deps: Pick<JobRuntimeDeps, 'documents' | 'queue' | 'blobs' | 'clock' | 'ids' | 'jobs' | 'settings'>) {
  const specs = new Map(deps.jobs.map((spec) => [spec.type, spec]));
  const recordsOf = (spec?: JobSpec) => deps.documents.repository<JobRecord>(jobsContainerOf(spec));

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

  /**
   * Enqueues a job of `job`'s type. The spec types the payload; its queue and homes are taken
   * from this runtime's list, where the deployment's names were resolved.
   */
  async function enqueue<P>(job: JobSpec<P>, payload: P, options: EnqueueOptions = {}): Promise<string> {
    const spec = specOf(job.type);
    const type = spec.type;
    const validate = compileSchema(spec.payloadSchema);
    if (!validate(payload)) throw badRequest('invalid_payload', 'The job payload is invalid.', toFieldProblems('payload', validate.errors ?? []));
    const jobId = validateId(options.jobId ?? deps.ids.next());
    const now = deps.clock.now();
    const settings = deps.settings(spec);
    try {
      await recordsOf(spec).create({
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

  /** A job's record: in its type's container when `type` is given, else in whichever container holds it. */
  async function status(jobId: string, type?: string): Promise<JobRecord> {
    validateId(jobId);
    const containers = type ? [jobsContainerOf(specOf(type))] : jobsContainersOf(deps.jobs);
    for (const container of containers) {
      const record = await deps.documents.repository<JobRecord>(container).get(jobId, jobId);
      if (!record || (type && record.type !== type)) continue;
      const { etag: _etag, ...rest } = record;
      return rest as JobRecord;
    }
    throw notFound(`No job ${jobId} is known (finished jobs are kept for a limited time).`);
  }

  /** The spec of a known type, or undefined (dead letters of unknown types go to the shared homes). */
  const findSpec = (type: string | undefined): JobSpec | undefined => (type === undefined ? undefined : specs.get(type));

  return { enqueue, send, status, specOf, findSpec, recordsOf };
}

export type JobClient = ReturnType<typeof createJobClient>;
