/** Operations: dead letters, job status and metrics, under /api/admin/ for the admin class. */
import { defineFunction } from '../../kernel/functions.ts';
import { deadLetterPage, jobStatus, listQuery, metricsSnapshot, purgeRequest, purgeResult } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const admin = { 400: problem, 401: problem, 403: problem };

export const listDeadLetters = defineFunction({
  name: 'admin-dead-letters-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'admin/dead-letters', auth: 'admin',
    summary: 'Lists dead-lettered jobs, newest first, a page at a time.',
    request: { query: listQuery },
    responses: { 200: { description: 'A page of dead letters', schema: deadLetterPage }, ...admin },
  },
  handler: 'handlers/operations/dead-letters.routes#listDeadLetters',
});

export const replayDeadLetter = defineFunction({
  name: 'admin-dead-letters-replay',
  trigger: {
    kind: 'http', method: 'POST', route: 'admin/dead-letters/{id}/replay', auth: 'admin',
    summary: 'Re-enqueues a dead-lettered job with a fresh attempt count and removes the dead letter.',
    responses: { 202: { description: 'Re-enqueued' }, 404: problem, 409: problem, ...admin },
  },
  handler: 'handlers/operations/dead-letters.routes#replayDeadLetter',
});

export const deleteDeadLetter = defineFunction({
  name: 'admin-dead-letters-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'admin/dead-letters/{id}', auth: 'admin',
    summary: 'Purges one dead letter.',
    responses: { 204: { description: 'Purged' }, 404: problem, ...admin },
  },
  handler: 'handlers/operations/dead-letters.routes#deleteDeadLetter',
});

export const purgeDeadLetters = defineFunction({
  name: 'admin-dead-letters-purge',
  trigger: {
    kind: 'http', method: 'POST', route: 'admin/dead-letters/purge', auth: 'admin',
    summary: 'Purges up to `max` dead letters, optionally of one type or older than `before`.',
    request: { body: purgeRequest },
    responses: { 200: { description: 'How many were purged, and whether more match', schema: purgeResult }, ...admin },
  },
  handler: 'handlers/operations/dead-letters.routes#purgeDeadLetters',
});

export const getJob = defineFunction({
  name: 'admin-job-status',
  trigger: {
    kind: 'http', method: 'GET', route: 'admin/jobs/{id}', auth: 'admin',
    summary: "A job's status: queued, running, retrying, completed or dead-lettered, with its attempt and last error.",
    responses: { 200: { description: 'The job', schema: jobStatus }, 404: problem, ...admin },
  },
  handler: 'handlers/operations/job-status.routes#getJob',
});

export const getMetrics = defineFunction({
  name: 'admin-metrics',
  trigger: {
    kind: 'http', method: 'GET', route: 'admin/metrics', auth: 'admin',
    summary: "This instance's metrics since it started: per function count, errors and p50-p99 latency (ms), per job type attempts, retries and dead letters, and every counter and histogram. Each instance has its own view; the OTLP exporter holds the aggregate.",
    responses: { 200: { description: "This instance's metrics", schema: metricsSnapshot }, ...admin },
  },
  handler: 'handlers/operations/metrics.routes#getMetrics',
});

export const operationsFunctions = [listDeadLetters, replayDeadLetter, deleteDeadLetter, purgeDeadLetters, getJob, getMetrics];
