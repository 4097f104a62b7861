/**
 * The queue-triggered job worker. For each message: parse and validate the envelope (or
 * dead-letter it with the reason), take the job's lease, run it, then record it completed;
 * on failure re-enqueue it with backoff, or dead-letter it after its last attempt. Storage
 * queues have no backoff or dead-lettering of their own; this is it.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readModifyWrite } from '../domain/documents.ts';
import { AppError } from '../domain/errors.ts';
import { backoffSeconds, decideDelivery, parseEnvelope, type Delivery, type JobRecord } from '../domain/jobs.ts';
import { METRIC, noMetrics } from '../domain/metrics.ts';
import type { JobEnvelope } from '../domain/ports.ts';
import { redactString } from '../middleware/redact.ts';
import { compileSchema } from '../middleware/validation.ts';
import { createDeadLetters, type DeadLetterRecord } from './dead-letters.ts';
import { createJobClient } from './job-client.ts';
import { PermanentJobError, type JobRun, type JobSpec } from '../kernel/jobs.ts';
import { createLedger } from './ledger.ts';
import type { JobRuntimeDeps } from './runtime-deps.ts';
import { traceIdOf, traceOf } from '../middleware/trace-context.ts';

/** The queue a record came from: `...:<queue>` in eventSourceARN, on Azure and on SQS alike. */
export const queueOf = (record: SQSRecord) => record.eventSourceARN.split(':').pop() ?? '';

const errorText = (error: unknown) => redactString(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);

/** The `job` label of a dead letter whose message names no job this deployment knows. */
export const UNKNOWN_JOB = 'unknown';

/** The job runtime's instruments (domain/metrics.ts METRIC), all labelled by job type. */
function jobMetrics({ metrics = noMetrics() }: JobRuntimeDeps) {
  return {
    attempts: metrics.counter(METRIC.jobAttempts, { unit: '{attempt}', description: 'Job attempts started, per job type' }),
    completed: metrics.counter(METRIC.jobCompleted, { unit: '{job}', description: 'Jobs completed, per job type' }),
    retries: metrics.counter(METRIC.jobRetries, { unit: '{attempt}', description: 'Failed attempts re-enqueued with backoff, per job type' }),
    deadLetters: metrics.counter(METRIC.jobDeadLetters, { unit: '{job}', description: 'Jobs and messages dead-lettered, per job type and reason' }),
    duration: metrics.histogram(METRIC.jobDuration, { unit: 'ms', description: "Time a job's code ran, per job type, whatever the outcome" }),
  };
}

export function createJobWorker(deps: JobRuntimeDeps) {
  const client = createJobClient(deps);
  const deadLetters = createDeadLetters(deps, client);
  const ledger = createLedger(deps);
  const specs = new Map(deps.jobs.map((spec) => [spec.type, spec]));
  const runs = new Map<string, Promise<JobRun<unknown>>>();
  const metrics = jobMetrics(deps);

  /** The job's code: inline (tests), or its module's factory bound once by the composition root. */
  function runOf(spec: JobSpec): Promise<JobRun<unknown>> {
    if (spec.run) return Promise.resolve(spec.run as JobRun<unknown>);
    let run = runs.get(spec.type);
    if (!run) {
      if (!deps.bindJob) return Promise.reject(new Error(`Job ${spec.type} has no inline run and the runtime was given no bindJob.`));
      run = deps.bindJob(spec);
      runs.set(spec.type, run);
    }
    return run;
  }

  async function payloadOf(envelope: JobEnvelope): Promise<unknown> {
    if (!envelope.payloadRef) return envelope.payload;
    const blob = await deps.blobs.get(envelope.payloadRef.container, envelope.payloadRef.name);
    return blob ? (JSON.parse(Buffer.from(blob.bytes).toString('utf8')) as unknown) : undefined;
  }

  const update = (spec: JobSpec, envelope: JobEnvelope, change: (current: JobRecord) => Partial<JobRecord>) =>
    readModifyWrite(client.recordsOf(spec), envelope.jobId, envelope.jobId, (current) => {
      const now = deps.clock.now().toISOString();
      const base: JobRecord = current ?? { id: envelope.jobId, type: envelope.type, status: 'queued', attempt: envelope.attempt, createdAt: now, updatedAt: now };
      const { etag: _etag, ...rest } = base as JobRecord & { etag?: string };
      return { ...rest, ...change(base), updatedAt: now } as JobRecord;
    });

  async function deadLetter(envelope: JobEnvelope | undefined, letter: Omit<DeadLetterRecord, 'deadLetteredAt' | 'id'> & { id?: string }, spec?: JobSpec) {
    await deadLetters.record({ ...letter, id: letter.id ?? envelope!.jobId, ...(envelope ? { envelope } : {}) });
    // Only known types label a series: a message's own type field could be anything.
    metrics.deadLetters.add(1, { job: spec?.type ?? UNKNOWN_JOB, reason: letter.reason });
    if (envelope && spec) {
      const keep = deps.settings(spec).dedupeTtlSeconds;
      await update(spec, envelope, () => ({ status: 'dead-lettered', lastError: letter.lastError, leaseUntil: undefined, expiresAt: deps.clock.now().getTime() + keep * 1000 }));
    }
  }

  async function handle(record: SQSRecord, context: Context): Promise<void> {
    const queue = queueOf(record);
    const parsed = parseEnvelope(record.body);
    if (!parsed.ok) {
      return deadLetter(undefined, { id: `message-${record.messageId}`, queue, reason: 'unparseable', lastError: parsed.reason, attempts: 0, rawMessage: record.body });
    }
    const envelope = parsed.envelope;
    const spec = specs.get(envelope.type);
    if (!spec) return deadLetter(envelope, { queue, type: envelope.type, reason: 'unknown_type', lastError: `No job is named "${envelope.type}".`, attempts: envelope.attempt });
    const payload = await payloadOf(envelope);
    if (payload === undefined) return deadLetter(envelope, { queue, type: spec.type, reason: 'payload_missing', lastError: 'The payload blob is gone.', attempts: envelope.attempt }, spec);
    const validate = compileSchema(spec.payloadSchema);
    if (!validate(payload)) {
      const lastError = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ');
      return deadLetter(envelope, { queue, type: spec.type, reason: 'invalid_payload', lastError, attempts: envelope.attempt }, spec);
    }

    const settings = deps.settings(spec);
    // A job started by a traced request logs under that request's correlation id (its trace id).
    const correlationId = traceIdOf(envelope.traceparent);
    const log = deps.logger.child({ jobId: envelope.jobId, type: spec.type, attempt: envelope.attempt, invocationId: context.awsRequestId, ...(correlationId ? { correlationId } : {}) });
    let delivery: Delivery = { action: 'run' };
    await readModifyWrite(client.recordsOf(spec), envelope.jobId, envelope.jobId, (current) => {
      const now = deps.clock.now();
      delivery = decideDelivery(current, envelope, now.getTime());
      if (delivery.action !== 'run') return undefined;
      const { etag: _etag, ...rest } = (current ?? {}) as Partial<JobRecord> & { etag?: string };
      return {
        createdAt: now.toISOString(),
        ...rest,
        id: envelope.jobId,
        type: spec.type,
        status: 'running',
        attempt: envelope.attempt,
        leaseUntil: now.getTime() + deps.leaseSeconds * 1000,
        updatedAt: now.toISOString(),
        expiresAt: now.getTime() + settings.dedupeTtlSeconds * 1000,
      } as JobRecord;
    });
    const decided = delivery as Delivery;
    if (decided.action === 'skip') return log.info({ reason: decided.reason }, 'duplicate delivery skipped');
    if (decided.action === 'defer') {
      log.info({ seconds: decided.seconds }, 'job is leased by another worker; deferred');
      return client.send(envelope, decided.seconds);
    }

    const lease = new AbortController();
    const timer = setTimeout(() => lease.abort(), Math.max(0, deps.leaseSeconds * 1000 - 1000));
    timer.unref?.();
    const series = { job: spec.type };
    metrics.attempts.add(1, series);
    const started = performance.now();
    const ran = () => metrics.duration.record(performance.now() - started, series);
    try {
      const run = await runOf(spec);
      await run(payload, {
        jobId: envelope.jobId,
        attempt: envelope.attempt,
        maxAttempts: settings.retry.maxAttempts,
        log,
        ...traceOf(envelope),
        signal: lease.signal,
        once: (key, effect) => ledger.once(envelope.jobId, key, effect, settings.dedupeTtlSeconds),
      });
    } catch (error) {
      clearTimeout(timer);
      ran();
      const lastError = errorText(error);
      const permanent = error instanceof PermanentJobError || (error instanceof AppError && error.status < 500);
      if (!permanent && envelope.attempt < settings.retry.maxAttempts) {
        const delay = backoffSeconds(envelope.attempt, settings.retry, deps.random);
        // Re-enqueue first: if we die before updating the record, the newer message still carries the job.
        await client.send({ ...envelope, attempt: envelope.attempt + 1 }, delay);
        await update(spec, envelope, () => ({ status: 'retrying', attempt: envelope.attempt + 1, leaseUntil: undefined, lastError }));
        metrics.retries.add(1, series);
        log.warn({ err: error, retryInSeconds: Math.round(delay * 10) / 10 }, 'job failed; retrying');
        return;
      }
      return deadLetter(envelope, { queue, type: spec.type, reason: permanent ? 'permanent_failure' : 'max_attempts', lastError, attempts: envelope.attempt }, spec);
    }
    clearTimeout(timer);
    ran();
    const finished = deps.clock.now();
    await update(spec, envelope, () => ({
      status: 'completed',
      completedAt: finished.toISOString(),
      leaseUntil: undefined,
      lastError: undefined,
      expiresAt: finished.getTime() + Math.max(settings.dedupeTtlSeconds, settings.completedTtlSeconds) * 1000,
    }));
    metrics.completed.add(1, series);
    log.info('job completed');
  }

  /** The Lambda-shaped queue handler: infrastructure failures go back to the queue to retry. */
  const worker = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handle(record, context);
      } catch (error) {
        deps.logger.error({ err: error, messageId: record.messageId }, 'job message could not be processed; it will be redelivered');
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };

  /** Handler for `<queue>-poison`: what the host gave up on becomes a dead letter, never lost. */
  const poison = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const queue = queueOf(record).replace(/-poison$/, '');
        const parsed = parseEnvelope(record.body);
        const envelope = parsed.ok ? parsed.envelope : undefined;
        const lastError = `The host gave up after ${record.attributes.ApproximateReceiveCount ?? 'several'} deliveries of a message it could not process.`;
        await deadLetter(
          envelope,
          { id: envelope?.jobId ?? `message-${record.messageId}`, queue, reason: 'poisoned', lastError, attempts: envelope?.attempt ?? 0, ...(envelope ? { type: envelope.type } : { rawMessage: record.body }) },
          envelope ? specs.get(envelope.type) : undefined,
        );
      } catch (error) {
        deps.logger.error({ err: error, messageId: record.messageId }, 'poison message could not be recorded; it will be redelivered');
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };

  return { worker, poison, client, deadLetters, ledger };
}
